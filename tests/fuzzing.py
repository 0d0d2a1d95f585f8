"""Seeded mutation fuzzing of `hrkg build` over the fixture KG's files (and its source text).

Each case copies the fixture project (tests/fixtures/kg) and its source text into a fresh
folder, damages one file in one way chosen by a seeded generator (a flipped byte, a cut,
invalid UTF-8, a deleted or doubled line, a stray character, an emptied file, a file made a
folder), and runs `hrkg build` in a subprocess. The contract: exit code 0, 1 or 2; never a
Python traceback or a death by signal; a syntax error (exit 2) names the damaged file and a
line (`file:line`).

`make fuzz` runs a few hundred cases (python tests/fuzzing.py --cases 300);
tests/test_fuzz.py runs a handful in the suite. The same seed gives the same cases.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE_KG = HERE / "fixtures" / "kg"
FIXTURE_SOURCES = HERE / "fixtures" / "sources"
SOURCE_TEXT = "sources/fixture-source.txt"  # relative to a case's folder
MUTATIONS = (
    "flip-byte",
    "truncate",
    "invalid-utf8",
    "delete-line",
    "double-line",
    "stray-char",
    "empty",
    "folder",
)
STRAY = b'{}.;,"<>()[]@#\\^:?$'


@dataclass(frozen=True)
class Case:
    seed: int
    target: str  # path relative to the case folder: kg/... or sources/...
    mutation: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    code: int
    traceback: bool
    names_file: bool
    seconds: float
    stderr_tail: str

    @property
    def ok(self) -> bool:
        if self.traceback or self.code not in (0, 1, 2):
            return False
        return self.code != 2 or self.names_file


def targets() -> list[str]:
    files = sorted(
        f"kg/{p.relative_to(FIXTURE_KG)}"
        for p in FIXTURE_KG.rglob("*")
        if p.is_file() and "dist" not in p.parts
    )
    return [*files, SOURCE_TEXT]


def cases(count: int, seed: int) -> list[Case]:
    """`count` cases from `seed`; every mutation of every file is reachable."""
    rng = random.Random(seed)
    files = targets()
    return [
        Case(seed * 100_000 + index, rng.choice(files), rng.choice(MUTATIONS))
        for index in range(count)
    ]


def mutate(data: bytes, mutation: str, rng: random.Random) -> bytes:
    """`data` damaged by `mutation` (the folder mutation is handled by the caller)."""
    if mutation == "empty" or not data:
        return b""
    at = rng.randrange(len(data))
    if mutation == "flip-byte":
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    if mutation == "truncate":
        return data[:at]
    if mutation == "invalid-utf8":
        return data[:at] + rng.choice([b"\xff", b"\xc3\x28", b"\xe2\x82", b"\x80"]) + data[at:]
    if mutation == "stray-char":
        return data[:at] + bytes([rng.choice(STRAY)]) + data[at:]
    lines = data.splitlines(keepends=True)
    line = rng.randrange(len(lines))
    if mutation == "delete-line":
        return b"".join(lines[:line] + lines[line + 1 :])
    if mutation == "double-line":
        return b"".join(lines[: line + 1] + lines[line:])
    raise ValueError(mutation)


def prepare(case: Case, folder: Path) -> None:
    shutil.copytree(FIXTURE_KG, folder / "kg", ignore=shutil.ignore_patterns("dist"))
    shutil.copytree(FIXTURE_SOURCES, folder / "sources")
    path = folder / case.target
    if case.mutation == "folder":
        path.unlink()
        path.mkdir()
        (path / "inside.txt").write_text("a file inside a folder that should be a file\n")
        return
    path.write_bytes(mutate(path.read_bytes(), case.mutation, random.Random(case.seed)))


def run_case(case: Case, timeout: float = 120.0) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="hrkg-fuzz-") as scratch:
        folder = Path(scratch)
        prepare(case, folder)
        env = dict(os.environ, HRKG_SOURCES_DIR=str(folder / "sources"))
        command = [sys.executable, "-m", "hrkg.cli", "build", "--project", str(folder / "kg")]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [*command, "--out", str(folder / "dist"), "--quiet"],
                capture_output=True,
                text=True,
                errors="replace",
                env=env,
                timeout=timeout,
            )
            code, stderr = done.returncode, done.stderr
        except subprocess.TimeoutExpired:
            code, stderr = -999, "timed out"
        seconds = time.perf_counter() - started
    name = Path(case.target).name
    return Outcome(
        case=case,
        code=code,
        traceback="Traceback (most recent call last)" in stderr,
        names_file=re.search(re.escape(name) + r":\d", stderr) is not None,
        seconds=seconds,
        stderr_tail=stderr.strip()[-600:],
    )


def run_all(selected: list[Case], jobs: int) -> list[Outcome]:
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(run_case, selected))


def summary(outcomes: list[Outcome]) -> str:
    codes = Counter(o.code for o in outcomes)
    bad = [o for o in outcomes if not o.ok]
    seconds = sorted(o.seconds for o in outcomes)
    median = seconds[len(seconds) // 2] if seconds else 0.0
    lines = [
        f"cases: {len(outcomes)}",
        "exit codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items())),
        f"tracebacks: {sum(o.traceback for o in outcomes)}",
        f"deaths by signal or timeout: {sum(o.code < 0 for o in outcomes)}",
        f"syntax errors (exit 2) not naming file and line: "
        f"{sum(o.code == 2 and not o.names_file for o in outcomes)}",
        f"seconds per case: median {median:.2f}, max {max(seconds, default=0.0):.2f}",
    ]
    for o in bad[:20]:
        lines.append(f"\nFAILED seed={o.case.seed} {o.case.target} {o.case.mutation} -> {o.code}")
        lines.append("  " + o.stderr_tail.replace("\n", "\n  "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    outcomes = run_all(cases(args.cases, args.seed), args.jobs)
    print(summary(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
