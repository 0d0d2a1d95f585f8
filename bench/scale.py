"""`make bench-scale`: how `hrkg build` grows with the project (issue 14).

For each size (about 10k, 100k, 300k and 1M input triples by default) a scaled project is
generated (bench/scaled.py: renamed copies of the article as distinct sources), then built
cold (a new output folder, no .hrkg-cache/) and rebuilt after one literal of one copy changed.
Each build is a whole `hrkg build --timings` process: wall and CPU seconds per step (the
build's own table), of the whole process tree (wait4), and its peak memory (bench/procs.py).
A build past the budget is killed and recorded as not finished; larger sizes are then skipped.
From the cold builds, the growth exponent per step: the least-squares slope of log(seconds)
against log(triples). Last, the SHACL and closure engines on one size (bench/engines.py),
alternating engines in each round, medians. Writes its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import engines
import procs
import scaled
from results import RESULTS, cpu_model, write_section

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- scale.py: begin -->", "<!-- scale.py: end -->"
HRKG = str(Path(sys.executable).parent / "hrkg")
PACKAGES = ("rdflib", "pyshacl", "owlrl", "pyoxigraph", "pyshacl-turbo", "pyrudof", "reasonable")
TOO_SMALL_S = 0.05  # a step this short is noise on a shared machine: no exponent from it


@dataclass
class Build:
    """One measured build: the process (procs.Measured) and the build's own step table."""

    run: procs.Measured
    steps: list[dict[str, object]] = field(default_factory=list)
    output_triples: int = 0


@dataclass
class Size:
    """Everything measured at one size."""

    label: str
    copies: int
    triples: int
    cold: list[Build] = field(default_factory=list)
    change: list[Build] = field(default_factory=list)
    skipped: str = ""


def parse_size(text: str) -> int:
    text = text.strip()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def build_once(project: Path, sources: Path, out: Path, log: Path, budget: float) -> Build:
    """`hrkg build` of `project` into `out` as a measured process; reads its --timings file."""
    timings = log.with_suffix(".json")
    timings.unlink(missing_ok=True)
    env = {**os.environ, "HRKG_SOURCES_DIR": str(sources)}
    argv = [HRKG, "build", "--project", str(project), "--out", str(out), "--quiet"]
    run = procs.run_measured([*argv, "--timings", str(timings)], budget_s=budget, env=env, log=log)
    if run.exit is not None and run.exit != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"bench/scale.py: the build of {project} failed ({log}):\n{tail}")
    if not run.finished or not timings.exists():
        return Build(run)
    record = json.loads(timings.read_text(encoding="utf-8"))
    triples = record.get("triples_per_graph", {})
    return Build(run, list(record["steps"]), sum(triples.values()))


def measure_size(label: str, work: Path, repeat: int, budget: float) -> Size:
    """Generate the project of one size, then `repeat` × (cold build, one-change rebuild)."""
    target = parse_size(label)
    made = scaled.make_project(work / label, scaled.copies_for(target))
    size = Size(label, len(made.slugs), made.triples)
    print(f"{label}: {size.copies} copies, {size.triples} input triples", file=sys.stderr)
    for attempt in range(repeat):
        out = work / label / "dist"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(made.project / ".hrkg-cache", ignore_errors=True)  # cold: no cache
        cold = build_once(
            made.project, made.sources, out, work / label / f"cold-{attempt}.log", budget
        )
        size.cold.append(cold)
        print(f"  cold {attempt + 1}: {describe(cold.run)}", file=sys.stderr)
        if not cold.run.finished:
            break
        scaled.touch_source(made.project, 0, attempt + 1)
        change = build_once(
            made.project, made.sources, out, work / label / f"change-{attempt}.log", budget
        )
        size.change.append(change)
        print(f"  one change {attempt + 1}: {describe(change.run)}", file=sys.stderr)
    shutil.rmtree(work / label / "dist", ignore_errors=True)
    return size


def describe(run: procs.Measured) -> str:
    if not run.finished:
        return f"did not finish in {run.budget_s:.0f} s"
    return f"{run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU, peak {gb(run.peak_pss)} PSS"


def gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB"


# --------------------------------------------------------------------------- numbers


def step_names(builds: list[Build]) -> list[str]:
    names: list[str] = []
    for b in builds:
        for s in b.steps:
            if s["step"] not in names:
                names.append(str(s["step"]))
    return names


def step_value(build: Build, name: str, key: str) -> float | None:
    for s in build.steps:
        if s["step"] == name:
            value = s[key]
            assert isinstance(value, int | float)
            return float(value)
    return None


def median_step(builds: list[Build], name: str, key: str) -> float | None:
    values = [v for b in builds if (v := step_value(b, name, key)) is not None]
    return statistics.median(values) if values else None


def finished(builds: list[Build]) -> list[Build]:
    return [b for b in builds if b.run.finished]


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) against log(x); None for fewer than two sizes."""
    usable = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len({x for x, _ in usable}) < 2:
        return None
    mx = statistics.fmean(x for x, _ in usable)
    my = statistics.fmean(y for _, y in usable)
    num = sum((x - mx) * (y - my) for x, y in usable)
    den = sum((x - mx) ** 2 for x, _ in usable)
    return num / den


def exponent(sizes: list[Size], name: str, key: str) -> str:
    """The growth exponent of one step over the sizes whose cold builds finished."""
    points = []
    for size in sizes:
        value = median_step(finished(size.cold), name, key)
        if value is None:
            continue
        if value < TOO_SMALL_S:
            return "too short to fit"
        points.append((float(size.triples), value))
    fitted = slope(points)
    return "—" if fitted is None else f"{fitted:.2f}"


def whole_exponent(sizes: list[Size], field_name: str) -> str:
    points = [
        (float(s.triples), statistics.median(getattr(b.run, field_name) for b in done))
        for s in sizes
        if (done := finished(s.cold))
    ]
    fitted = slope(points)
    return "—" if fitted is None else f"{fitted:.2f}"


# --------------------------------------------------------------------------- engines


@dataclass
class EngineRow:
    kind: str
    name: str
    runs: list[procs.Measured] = field(default_factory=list)
    answers: list[dict[str, object]] = field(default_factory=list)


def compare_engines(
    project: Path, work: Path, rounds: int, budget: float
) -> tuple[int, list[EngineRow]]:
    """Each engine once per round, the order rotated each round; returns input size and rows."""
    triples = engines.prepare(project, work)
    names = [("SHACL", e) for e in engines.SHACL_ENGINES] + [
        ("closure", e) for e in engines.CLOSURE_ENGINES
    ]
    rows = {name: EngineRow(kind, name) for kind, name in names}
    for attempt in range(rounds):
        shift = attempt % len(names)
        for _kind, name in names[shift:] + names[:shift]:
            log = work / f"{name}-{attempt}.log"
            argv = [sys.executable, str(ROOT / "bench" / "engines.py"), name, str(work)]
            run = procs.run_measured(argv, budget_s=budget, log=log)
            answer = last_json(log)
            rows[name].runs.append(run)
            rows[name].answers.append(answer)
            print(f"  {name} {attempt + 1}: {describe(run)} {answer}", file=sys.stderr)
    return triples, list(rows.values())


def last_json(log: Path) -> dict[str, object]:
    for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{"):
            try:
                parsed = json.loads(line)
            except json.JSONDecodeError:
                break
            assert isinstance(parsed, dict)
            return parsed
    return {"error": log.read_text(encoding="utf-8", errors="replace")[-300:].strip()}


def engine_table(rows: list[EngineRow], work: Path) -> list[str]:
    reference = {"SHACL": "pyshacl", "closure": "owlrl"}
    lines = [
        "| kind | engine | results | same as reference | wall s | CPU s | peak PSS | runs |",
        "|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        answer = row.answers[0] if row.answers else {}
        if "unavailable" in answer:
            lines.append(f"| {row.kind} | {row.name} | {answer['unavailable']} | | | | | |")
            continue
        done = [
            r for r, a in zip(row.runs, row.answers, strict=True) if r.finished and "digest" in a
        ]
        if not done:
            why = (
                f"did not finish in {row.runs[0].budget_s:.0f} s"
                if row.runs and not row.runs[0].finished
                else str(answer.get("error", "failed"))[:120].replace("\n", " ").replace("|", "/")
            )
            lines.append(f"| {row.kind} | {row.name} | {why} | | | | | {len(row.runs)} |")
            continue
        ref = reference[row.kind]
        same = "(reference)" if row.name == ref else engines.difference(work, row.name, ref)
        lines.append(
            f"| {row.kind} | {row.name} | {answer['results']} | {same} "
            f"| {statistics.median(r.wall_s for r in done):.2f} "
            f"| {statistics.median(r.cpu_s for r in done):.2f} "
            f"| {gb(statistics.median(r.peak_pss for r in done))} | {len(done)} |"
        )
    return lines


# --------------------------------------------------------------------------- the report


def machine() -> list[str]:
    cpu = cpu_model()
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    java = shutil.which("java")
    if java:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
        first = (done.stderr or done.stdout).splitlines()[:1]
        versions.append(f"Jena 4.5 (Debian) on {first[0] if first else 'java'}")
    return [
        f"Machine: {cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average at start "
        f"{load} (the machine is shared with other jobs).",
        "",
        f"Packages: {', '.join(versions)}.",
    ]


def cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def size_table(size: Size) -> list[str]:
    cold, change = finished(size.cold), finished(size.change)
    out_triples = cold[0].output_triples if cold else 0
    head = f"### ~{size.label}: {size.copies} copies, {size.triples:,} input triples" + (
        f", {out_triples:,} quads built" if out_triples else ""
    )
    if not cold:
        why = size.skipped or (
            f"did not finish in {size.cold[0].run.budget_s:.0f} s" if size.cold else "not run"
        )
        return [head, "", f"Cold build: {why}.", ""]
    lines = [
        head,
        "",
        f"Medians of {len(cold)} cold build(s) and {len(change)} one-change rebuild(s).",
        "",
        "| step | cold wall s | cold CPU s | one-change wall s | one-change CPU s |",
        "|---|---:|---:|---:|---:|",
    ]
    within = {str(s["step"]): s["within"] for b in cold for s in b.steps if s.get("within")}
    for name in step_names(cold + change):
        shown = f"{name} (in {within[name]})" if name in within else name
        lines.append(
            f"| {shown} | {cell(median_step(cold, name, 'wall_s'))} "
            f"| {cell(median_step(cold, name, 'cpu_s'))} "
            f"| {cell(median_step(change, name, 'wall_s'))} "
            f"| {cell(median_step(change, name, 'cpu_s'))} |"
        )

    def whole(builds: list[Build], attr: str) -> float | None:
        return statistics.median(getattr(b.run, attr) for b in builds) if builds else None

    lines.append(
        f"| **whole process tree** | {cell(whole(cold, 'wall_s'))} | {cell(whole(cold, 'cpu_s'))} "
        f"| {cell(whole(change, 'wall_s'))} | {cell(whole(change, 'cpu_s'))} |"
    )
    peak = whole(cold, "peak_pss")
    rss = whole(cold, "peak_rss")
    peak_change = whole(change, "peak_pss")
    lines += [
        "",
        f"Peak memory of the process tree: cold {gb(peak or 0)} PSS ({gb(rss or 0)} summed RSS), "
        f"one-change {gb(peak_change or 0)} PSS.",
        "",
    ]
    unfinished = [b for b in size.change if not b.run.finished]
    if unfinished:
        lines += [f"One-change rebuild did not finish in {unfinished[0].run.budget_s:.0f} s.", ""]
    return lines


def exponent_table(sizes: list[Size]) -> list[str]:
    measured = [s for s in sizes if finished(s.cold)]
    names = step_names([b for s in measured for b in finished(s.cold)])
    lines = [
        "### Growth exponents (cold builds; slope of log seconds against log triples)",
        "",
        f"Over {len(measured)} size(s): {', '.join(f'{s.triples:,}' for s in measured)} triples. "
        "1.0 is linear; on a shared machine the CPU exponent is the steadier one (wall time "
        "includes waiting for the cores); a step shorter than "
        f"{TOO_SMALL_S} s at some size is not fitted.",
        "",
        "| step | wall exponent | CPU exponent |",
        "|---|---:|---:|",
    ]
    for name in names:
        wall, cpu = exponent(measured, name, "wall_s"), exponent(measured, name, "cpu_s")
        lines.append(f"| {name} | {wall} | {cpu} |")
    lines.append(
        f"| **whole process tree** | {whole_exponent(measured, 'wall_s')} "
        f"| {whole_exponent(measured, 'cpu_s')} |"
    )
    lines.append(f"| peak memory (PSS) | {whole_exponent(measured, 'peak_pss')} | |")
    return [*lines, ""]


def report(
    sizes: list[Size],
    engine_rows: list[EngineRow],
    engine_triples: int,
    engine_work: Path,
    args: argparse.Namespace,
) -> list[str]:
    lines = [
        BEGIN,
        "",
        "## Scale: `hrkg build` of scaled projects (bench/scale.py)",
        "",
        *machine(),
        "",
        "Each project is N renamed copies of the article as distinct sources (bench/scaled.py: "
        "own slug, own IRIs, own copy of the text; shared ontology, vocabularies and entities); "
        "its stored queries run, but tests/expected is not copied (the expected answers are the "
        "article's), so no answers are compared. A cold build writes into a new folder with no "
        ".hrkg-cache/; the one-change rebuild follows it into the same folder after one literal "
        "of one copy changed. Step times are the build's own (`hrkg build --timings`): CPU is the "
        "process's and its ended children's, so a worker's whole CPU (the owlrl closure, the "
        "ontology pages) lands in the step that waits for it, and steps marked *in write* are "
        "part of write's time; reason's wall time is only the wait for the closure "
        "worker, which runs beside SHACL and the checks. The whole process tree's CPU comes "
        "from wait4; peak memory is "
        "sampled from /proc every 0.2 s (PSS: shared pages divided among the processes sharing "
        "them). Reproduce with `make bench-scale` "
        f"(here: `--sizes {args.sizes} --repeat {args.repeat} --budget {args.budget:.0f}`).",
        "",
    ]
    for size in sizes:
        lines += size_table(size)
    lines += exponent_table(sizes)
    if engine_rows:
        rounds = max(len(r.runs) for r in engine_rows)
        lines += [
            f"### Engines on the same input ({engine_triples:,} triples), {rounds} round(s), "
            "engines alternating, medians",
            "",
            "Each engine is its own process, timed from start (imports and parsing included). "
            "SHACL results are compared as (focus node, severity, constraint component) against "
            "pyshacl as the build calls it (core shapes in pyshacl, SHACL-SPARQL in pyoxigraph); "
            "the other engines get the data with the ontology merged in and the whole shapes "
            "graph. Closures are compared as the kept inferences (`new_own_triples`) against the "
            "build's owlrl worker; `reasonable` gets the same filtered input.",
            "",
            *engine_table(engine_rows, engine_work),
            "",
        ]
    return [*lines, END]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10k,100k,300k,1M", help="e.g. 10k,30k (input triples)")
    parser.add_argument("--repeat", type=int, default=1, help="cold + one-change pairs per size")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds allowed per build")
    parser.add_argument(
        "--engines-at",
        default="",
        help="size for the engine comparison (default: the largest "
        "size whose cold build finished; 'none' to skip)",
    )
    parser.add_argument("--engine-rounds", type=int, default=3)
    parser.add_argument("--engine-budget", type=float, default=600.0)
    parser.add_argument("--work", type=Path, default=None, help="folder for the projects (kept)")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="hrkg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        "bench/scale.py: scaled projects drop tests/expected (their answers are the article's); "
        f"stored queries still run. Work folder: {work}",
        file=sys.stderr,
    )
    sizes: list[Size] = []
    for label in args.sizes.split(","):
        if sizes and not finished(sizes[-1].cold):
            sizes.append(
                Size(label, 0, 0, skipped=f"not attempted: ~{sizes[-1].label} did not finish")
            )
            continue
        sizes.append(measure_size(label, work, args.repeat, args.budget))
    engine_rows: list[EngineRow] = []
    engine_triples = 0
    done = [s for s in sizes if finished(s.cold)]
    if args.engines_at != "none" and done:
        at = next((s for s in done if s.label == args.engines_at), done[-1])
        print(f"engines at ~{at.label}:", file=sys.stderr)
        engine_triples, engine_rows = compare_engines(
            work / at.label / "project", work / "engines", args.engine_rounds, args.engine_budget
        )
    lines = report(sizes, engine_rows, engine_triples, work / "engines", args)
    (work / "scale-results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.no_write:
        print("\n".join(lines))
    else:
        write_section(BEGIN, END, lines)
        print(f"bench/scale.py: wrote its section of {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
