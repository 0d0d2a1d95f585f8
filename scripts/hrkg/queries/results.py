"""Query answers in one model: string cells normalised so that every engine agrees and expected
answers can be written by hand (`kg:slug` for the KG's IRIs, fixed prefixes for other known
namespaces, the lexical form of literals with numbers canonical, "" for unbound), compared
with hand-written CSV files, and written out.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hrkg.rdf import XSD, XSD_STRING, shorten

INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
DECIMAL_TYPES = {XSD + "decimal"}
FLOAT_TYPES = {XSD + "double", XSD + "float"}
BOOLEAN_TYPE = XSD + "boolean"


@dataclass
class Result:
    """A normalised answer: string cells, comparable across engines and with hand-written CSV.

    `subset` marks an expected answer that lists only some of the rows (every one of them must
    appear in the actual answer); it is set by a `# subset` first line in an expected CSV.
    """

    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    ordered: bool = False
    subset: bool = field(default=False)


def canonical_lexical(lexical: str, datatype: str | None) -> str:
    """Numbers in one canonical form (so `01`, `1` and `1.0` agree); other literals unchanged."""
    try:
        if datatype in INTEGER_TYPES:
            return str(int(lexical.strip()))
        if datatype in DECIMAL_TYPES:
            number = Decimal(lexical.strip())
            if number == number.to_integral_value():
                return str(int(number))
            return format(number.normalize(), "f")
        if datatype in FLOAT_TYPES:
            value = float(lexical.strip())
            return str(int(value)) if value.is_integer() else repr(value)
        if datatype == BOOLEAN_TYPE:
            return "true" if lexical.strip() in ("true", "1") else "false"
    except (ValueError, InvalidOperation, OverflowError):
        return lexical
    return lexical


def normalise_ox(term: Any) -> str:
    """A pyoxigraph term (or None for unbound) as a normalised cell."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        return canonical_lexical(term.value, term.datatype.value)
    return str(term)


def normalise_rdflib(term: Any) -> str:
    """An rdflib term (or None for unbound) as a normalised cell."""
    import rdflib

    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return shorten(str(term))
    if isinstance(term, rdflib.BNode):
        return "_:"
    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype else None
        return canonical_lexical(str(term), datatype)
    return str(term)


def _quoted(lexical: str) -> str:
    return '"' + lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def triple_cell_literal(lexical: str, language: str | None, datatype: str | None) -> str:
    """A literal in N-Triples style, datatype shortened: "2024-03-01"^^xsd:date, "x"@en."""
    if language:
        return f"{_quoted(lexical)}@{language}"
    if datatype is None or datatype == XSD_STRING:
        return _quoted(lexical)
    return f"{_quoted(canonical_lexical(lexical, datatype))}^^{shorten(datatype)}"


def triple_cell_ox(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        datatype = None if term.language else term.datatype.value
        return triple_cell_literal(term.value, term.language, datatype)
    return normalise_ox(term)


def triple_cell_rdflib(term: Any) -> str:
    import rdflib

    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype else None
        return triple_cell_literal(str(term), term.language, datatype)
    return normalise_rdflib(term)


TRIPLE_COLUMNS = ("s", "p", "o")
ASK_COLUMNS = ("ask",)


def triples_result(triples: Iterable[tuple[str, str, str]]) -> Result:
    return Result(TRIPLE_COLUMNS, sorted(set(triples)), ordered=False)


SUBSET_MARK = "# subset"


class ExpectedFileError(ValueError):
    """An expected-answer file that cannot be read as CSV; str() is `path:line: message`."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def read_expected(path: Path) -> Result:
    """An expected answer: CSV, header row = columns; a first line `# subset` = partial answer."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise ExpectedFileError(path, line, f"not UTF-8 text ({err.reason})") from None
    except OSError as err:
        raise ExpectedFileError(path, 0, f"cannot read: {err.strerror or err}") from None
    subset = False
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith(SUBSET_MARK):
        subset = True
        text = "".join(lines[1:])
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ExpectedFileError(path, 1, "empty (needs at least a header row)") from None
    except csv.Error as err:
        raise ExpectedFileError(path, reader.line_num, f"not CSV: {err}") from None
    columns = tuple(c.strip().lstrip("?") for c in header)
    rows = []
    try:
        for row in reader:
            if not row:
                continue
            if len(row) != len(columns):
                raise ExpectedFileError(
                    path, reader.line_num, f"{len(row)} cells, header has {len(columns)}"
                )
            rows.append(tuple(row))
    except csv.Error as err:
        raise ExpectedFileError(path, reader.line_num, f"not CSV: {err}") from None
    return Result(columns, rows, ordered=False, subset=subset)


def _show(row: Sequence[str]) -> str:
    return " | ".join(row)


def compare(actual: Result, expected: Result) -> list[str]:
    """Differences in words; order matters only if either side is ordered (and not a subset)."""
    if actual.columns != expected.columns:
        return [
            f"columns differ: expected {', '.join(expected.columns)}; "
            f"got {', '.join(actual.columns)}"
        ]
    diffs: list[str] = []
    if expected.subset:
        have = Counter(actual.rows)
        for row in expected.rows:
            if have[row] <= 0:
                diffs.append(f"missing row: {_show(row)}")
            else:
                have[row] -= 1
        return diffs
    want, have = Counter(expected.rows), Counter(actual.rows)
    for row in sorted((want - have).elements()):
        diffs.append(f"missing row: {_show(row)}")
    for row in sorted((have - want).elements()):
        diffs.append(f"unexpected row: {_show(row)}")
    if not diffs and (actual.ordered or expected.ordered) and actual.rows != expected.rows:
        for index, (a, e) in enumerate(zip(actual.rows, expected.rows, strict=True), start=1):
            if a != e:
                diffs.append(f"order differs from row {index}: expected {_show(e)}; got {_show(a)}")
                break
    return diffs


# --------------------------------------------------------------------------- output


def format_table(result: Result) -> str:
    """An aligned text table of the result (multi-line cells folded onto one line)."""
    from hrkg.text import table

    rows = [[c.replace("\n", " ") for c in row] for row in result.rows]
    return table(list(result.columns), rows)


def to_csv(result: Result) -> str:
    """CSV with a header row: the format of tests/expected/*.csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return out.getvalue()


def to_json(result: Result) -> str:
    """JSON: {"columns": [...], "rows": [{column: cell}, ...]}."""
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return json.dumps({"columns": list(result.columns), "rows": rows}, ensure_ascii=False, indent=2)
