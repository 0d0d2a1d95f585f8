"""Benchmark the CLI as a user runs it: median wall time of whole commands.

Writes its section of bench/RESULTS.md (linked from README). Run with `make bench`.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import cpu_model, write_section

BEGIN, END = "<!-- run.py: begin -->", "<!-- run.py: end -->"

ROOT = Path(__file__).resolve().parents[1]
HRKG = str(Path(sys.executable).parent / "hrkg")
RUNS = int(os.environ.get("HRKG_BENCH_RUNS", "5"))
BUDGET_BUILD_S = 3.0


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def machine() -> str:
    cpu = cpu_model()
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def site_numbers(out: str) -> str:
    """Render time inside the process (median of the runs) and the site's size."""
    seconds: list[float] = []
    cpu: list[float] = []
    for _ in range(RUNS):
        done = subprocess.run(
            [HRKG, "site", "--out", out], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout
        seconds.append(float(done.rsplit("(", 1)[1].split(" s, ")[0]))
        cpu.append(float(done.rsplit(", ", 1)[1].split(" s CPU")[0]))
        pages = done.split("hrkg site: ", 1)[1].split(" pages", 1)[0]
    files = [p for p in (Path(out) / "site").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return (
        f"{pages} pages, {len(files)} files, {size / 1_000_000:.1f} MB, rendered in "
        f"{statistics.median(seconds):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
        "(medians, inside the process)"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "dist")
        subprocess.run([HRKG, "build", "--out", out, "--quiet"], check=True, cwd=ROOT)
        cold = [str(Path(tmp) / f"cold-{i}") for i in range(RUNS)]
        cases = {
            "hrkg --help": [HRKG, "--help"],
            "hrkg build": [HRKG, "build", "--out", out, "--quiet"],
            "hrkg build (cold: new folder, docs rendered)": [HRKG, "build", "--quiet", "--out"],
            "hrkg validate": [HRKG, "validate", "--quiet"],
            "hrkg query 01-timeline": [HRKG, "query", "01-timeline", "--dist", out],
            "hrkg query 05-designation-status": [
                HRKG,
                "query",
                "05-designation-status",
                "--dist",
                out,
            ],
            "hrkg site": [HRKG, "site", "--out", out],
        }
        rows = []
        for name, argv in cases.items():
            if name.startswith("hrkg build (cold"):
                samples = [timed([*argv, folder]) for folder in cold]
            else:
                samples = [timed(argv) for _ in range(RUNS)]
            rows.append((name, statistics.median(samples), min(samples), max(samples)))
            print(f"{name:40} median {rows[-1][1]:.3f} s", flush=True)
        site = site_numbers(out)
    build_median = next(r[1] for r in rows if r[0] == "hrkg build")
    lines = [
        BEGIN,
        "",
        f"Machine: {machine()}.",
        f"Each command run {RUNS} times as a whole process (start-up included); "
        "median, min and max wall time in seconds. Reproduce with `make bench`.",
        "",
        "| command | median s | min s | max s |",
        "|---|---:|---:|---:|",
        *(f"| `{n}` | {m:.3f} | {lo:.3f} | {hi:.3f} |" for n, m, lo, hi in rows),
        "",
        f"Full build: {build_median:.2f} s median, {build_median / BUDGET_BUILD_S:.0%} of the "
        f"{BUDGET_BUILD_S:.0f} s budget. `hrkg build` rebuilds into an existing dist/, which "
        "reuses the ontology pages while the ontology, vocabularies and renderer are unchanged; "
        "the cold build renders them (pyLODE) in a worker process beside the other steps.",
        "",
        f"Linked Data site (`dist/site`, part of every build): {site}.",
        "",
        END,
    ]
    write_section(BEGIN, END, lines)  # the other benchmarks' sections stay
    print("wrote its section of bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
