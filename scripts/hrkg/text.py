"""The one table renderer of the CLI (fits the terminal, full width when piped) and the
progress lines of long steps.

Built on rich (imported only when a table is drawn, so `hrkg --help` stays fast). On a
terminal, columns share its width: long cells wrap onto several lines (or are cut with an
ellipsis when `truncate` is set); numbers are right-aligned. Piped into a file or another
program, nothing is wrapped or cut, so `hrkg query … | less -S` or `grep` see whole cells.
Cells are plain text: square brackets in the data are never read as rich markup.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

# A box of plain ASCII like the project's other tables: header, a rule of dashes, rows.
_RULE_BOX = "    \n    \n -  \n    \n    \n    \n    \n    \n"


def _is_number(cell: str) -> bool:
    return cell.replace(".", "", 1).replace(",", "").lstrip("-").isdigit()


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The width to fit, or None when the output is not a terminal (a pipe or a file).

    COLUMNS, when set, wins (as for most Unix tools); it also lets tests choose a width.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream or sys.stdout
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    return shutil.get_terminal_size((100, 24)).columns


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's natural width: its longest line, header included."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            longest = max((len(line) for line in cell.splitlines()), default=0)
            widths[i] = max(widths[i], longest)
    return widths


def _is_prose(cells: Sequence[str]) -> bool:
    """A column of running text (most cells have spaces): the first to wrap."""
    filled = [c for c in cells if c]
    return bool(filled) and sum(" " in c for c in filled) * 2 >= len(filled)


def _shrink(
    fitted: list[int], floor: Sequence[int], columns: Sequence[int], available: int
) -> None:
    """Water-filling: take one character at a time from the widest of `columns`."""
    while sum(fitted) > available:
        shrinkable = [i for i in columns if fitted[i] > floor[i]]
        if not shrinkable:
            return
        widest = max(shrinkable, key=lambda i: fitted[i])
        fitted[widest] -= 1


def fit(
    widths: Sequence[int],
    headers: Sequence[str],
    width: int,
    prose: Sequence[bool] | None = None,
    gap: int = 2,
) -> list[int]:
    """Column widths that fit `width`: running text wraps first, then every column shrinks.

    Prose columns go down to 12 characters first; then all columns shrink, widest first, but
    none below its header or 10 characters (a whole ISO date), so a very narrow terminal gets
    a table wider than itself rather than an unreadable one.
    """
    fitted = list(widths)
    prose = prose or [False] * len(widths)
    available = width - gap * max(len(widths) - 1, 0)
    text_floor = [min(w, max(len(h), 12)) for w, h in zip(widths, headers, strict=True)]
    _shrink(fitted, text_floor, [i for i, p in enumerate(prose) if p], available)
    floor = [min(w, max(len(h), 10)) for w, h in zip(widths, headers, strict=True)]
    _shrink(fitted, floor, range(len(widths)), available)
    return fitted


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    width: int | None = None,
    truncate: bool = False,
) -> str:
    """Rows as an aligned text table no wider than `width` (None: as wide as the cells need)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[str(c).replace("\r", "") for c in row] for row in rows]
    if truncate:
        cells = [[c.replace("\n", " ") for c in row] for row in cells]
    natural = column_widths(headers, cells)
    prose = [_is_prose([row[i] for row in cells]) for i in range(len(headers))]
    widths = natural if width is None else fit(natural, headers, width, prose)
    numeric = [
        any(row[i] for row in cells) and all(_is_number(row[i]) for row in cells if row[i])
        for i in range(len(headers))
    ]
    table = Table(
        box=box.Box(_RULE_BOX, ascii=True),
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        expand=False,
        header_style="",
        safe_box=True,
    )
    for i, header in enumerate(headers):
        table.add_column(
            Text(header),
            justify="right" if numeric[i] else "left",
            overflow="ellipsis" if truncate else "fold",
            no_wrap=truncate,
            width=widths[i],
        )
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    out = io.StringIO()
    console = Console(
        file=out,
        width=sum(widths) + 2 * len(widths) + 1,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    console.print(table)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    # The header rule as the project's other tables draw it: dashes under each column only.
    rule = next((i for i, line in enumerate(lines) if line and set(line) <= {"-", " "}), None)
    if rule is not None:
        lines[rule] = "  ".join("-" * w for w in widths)
    return "\n".join(lines)


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    stream: TextIO | None = None,
    truncate: bool = False,
) -> None:
    """Render for `stream` (stdout): fitted to a terminal, full width into a pipe."""
    stream = stream or sys.stdout
    print(render(headers, rows, width=terminal_width(stream), truncate=truncate), file=stream)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows as an aligned text table as wide as its cells (reports, summaries, stderr)."""
    return render(headers, rows)


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its children that have ended.

    A child's time is counted only once it is waited for, so a worker's whole CPU lands in
    the step that collects its result.
    """
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Steps:
    """Times named steps (wall and CPU seconds) and tells the user, on stderr, what is running
    and how long it took."""

    quiet: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    within: dict[str, str] = field(default_factory=dict)  # a nested step -> its outer step
    _open: list[str] = field(default_factory=list, repr=False)

    def note(self, text: str) -> None:
        """A line about the running step (what it found, what it skipped)."""
        if not self.quiet:
            print(f"  {text}", file=sys.stderr, flush=True)

    @contextmanager
    def step(self, name: str, doing: str) -> Iterator[None]:
        if not self.quiet:
            print(f"… {doing}", file=sys.stderr, flush=True)
        if self._open:
            self.within[name] = self._open[-1]
        self._open.append(name)
        start, start_cpu = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self._open.pop()
            elapsed = time.perf_counter() - start
            self.timings[name] = elapsed
            self.cpu[name] = cpu_seconds() - start_cpu
            if not self.quiet and elapsed >= 1.0:
                print(f"  {name} took {elapsed:.1f} s", file=sys.stderr, flush=True)

    def records(self) -> list[dict[str, object]]:
        """The steps in the order they ended, for a machine-readable report."""
        return [
            {
                "step": name,
                "wall_s": round(wall, 4),
                "cpu_s": round(self.cpu.get(name, 0.0), 4),
                "within": self.within.get(name),
            }
            for name, wall in self.timings.items()
        ]
