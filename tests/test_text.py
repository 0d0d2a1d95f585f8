"""The table renderer (hrkg.text): fits the terminal, full width into a pipe, plain text cells."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from hrkg.text import fit, print_table, render, terminal_width

HEADERS = ["actor", "count", "wording"]
LONG = (
    "Russia is involved in supplying the armed formations affiliated with Hamas with weapons "
    "and ammunition."
)
ROWS = [("kg:russia", "12", LONG), ("kg:hamas", "3", "short")]


def words(text: str) -> list[str]:
    return text.split()


def test_full_width_keeps_every_cell_on_one_line() -> None:
    out = render(HEADERS, ROWS)
    assert any(LONG in line for line in out.splitlines())
    assert out.splitlines()[1].startswith("---")


@pytest.mark.parametrize("width", [40, 60, 80])
def test_wrapping_fits_and_loses_nothing(width: int) -> None:
    out = render(HEADERS, ROWS, width=width)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert len(lines) > 4, "the long cell should wrap onto several lines"
    for word in words(LONG):
        assert word in out


def test_truncating_fits_and_marks_the_cut() -> None:
    out = render(HEADERS, ROWS, width=40, truncate=True)
    lines = out.splitlines()
    assert len(lines) == 4 and max(len(line) for line in lines) <= 40
    assert "…" in lines[2]


def test_numbers_right_aligned_text_left() -> None:
    lines = render(HEADERS, ROWS).splitlines()
    count_end = lines[0].index("count") + len("count")
    assert lines[2][:count_end].endswith("12") and lines[3][:count_end].endswith(" 3")


def test_cells_are_not_markup() -> None:
    out = render(["x"], [("[bold]not bold[/bold] [link=x]y[/link]",)])
    assert "[bold]not bold[/bold] [link=x]y[/link]" in out


def test_fit_shrinks_prose_first() -> None:
    widths = fit([10, 5, 100], HEADERS, 60, prose=[False, False, True])
    assert widths[:2] == [10, 5] and sum(widths) + 4 <= 60


def test_pipe_is_full_width_terminal_is_fitted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(io.StringIO()) is None
    monkeypatch.setenv("COLUMNS", "50")
    stream = io.StringIO()
    print_table(HEADERS, ROWS, stream=stream)
    assert max(len(line) for line in stream.getvalue().splitlines()) <= 50


def test_help_does_not_import_the_renderer() -> None:
    code = (
        "import sys\nfrom hrkg.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('rich', 'pyoxigraph', 'rdflib', 'hrkg.api')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
