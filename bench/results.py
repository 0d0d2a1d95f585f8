"""What every benchmark needs to report: the CPU's name, and its own section of RESULTS.md.

Each benchmark owns the lines between its markers (`<!-- name.py: begin -->` … `end -->`) and
replaces them in place, written whole (a temporary file renamed) or not at all.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else the machine type."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write_section(begin: str, end: str, lines: list[str], results: Path = RESULTS) -> None:
    """Put `lines` (which start with `begin` and end with `end`) in place of the old section,
    or at the end of the file when there is none yet."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
    section = "\n".join(line for line in lines).rstrip("\n")
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    partial = results.with_suffix(".md.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, results)
