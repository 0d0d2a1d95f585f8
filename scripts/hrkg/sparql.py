"""Stored SPARQL query files: header parsing, safe parameter binding, running, normalising.

A query file (`queries/NN-slug.rq`, `queries/checks/*-violation.rq`) opens with a comment
header that documents it and that this module reads, strictly:

    # Title: Participants of a meeting
    # Question: Who took part in a meeting, in which role, on whose behalf?
    #   (indented comment lines continue the previous key)
    # Param: meeting = kg:meeting-2024-02-29-moscow-palestinian-factions (iri)
    # Columns: ?meeting ?participant ?role ?onBehalfOf
    # Needs: inferred          (the query needs the owlrl closure; optional)
    # Online-only: yes         (federated; never run offline; optional)
    # Severity: Error          (checks only)

Parameters are bound as RDF terms through the engines' own mechanisms (pyoxigraph
`substitutions`, rdflib `initBindings`), never by formatting text into the query. pyoxigraph
requires a substituted variable to be in the top-level projection, so every query projects
its parameters. A parameter without a default is optional: left unbound, the query answers
for every value.

Results are normalised to strings so that rdflib, pyoxigraph and other engines agree and so
that expected answers can be written by hand: `kg:slug` for the KG's IRIs, fixed prefixes for
other known namespaces, the lexical form for literals (numbers canonical), "" for unbound.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from hrkg.namespaces import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

# The project's prefix table (hrkg.namespaces) shortens IRIs in results and expands CURIEs.
# Longest namespace wins when shortening, so `dsta:` beats `hv:`.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

XSD = PREFIXES["xsd"]
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"
XSD_INTEGER = XSD + "integer"
INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
}
DECIMAL_TYPES = {XSD + "decimal"}
FLOAT_TYPES = {XSD + "double", XSD + "float"}
BOOLEAN_TYPE = XSD + "boolean"

PARAM_KINDS = ("iri", "date", "string", "integer")
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
HEADER_KEYS = (
    "title", "question", "description", "severity", "param", "columns", "needs",
    "online-only", "note",
)
SINGLE_KEYS = {"title", "question", "description", "severity", "columns", "needs", "online-only"}


class QueryFileError(Exception):
    """A query file with a bad header or bad syntax; str() is `path:line: message`."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class ParamError(ValueError):
    """A parameter value that is unknown or not of its declared kind."""


@dataclass(frozen=True)
class Param:
    """One declared parameter: `# Param: name = default (kind)`; default None = optional."""

    name: str
    default: str | None
    kind: str


@dataclass(frozen=True)
class QueryFile:
    """A parsed query file: its header fields and its text."""

    path: Path
    name: str
    title: str
    question: str
    severity: str | None
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    needs_inferred: bool
    online_only: bool
    text: str
    form: str
    ordered: bool

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParamError(f"{self.name}: unknown parameter {name!r}")


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


# --------------------------------------------------------------------------- parsing

_KEY_LINE = re.compile(r"^#\s?([A-Za-z][A-Za-z-]*):\s*(.*)$")
_PARAM = re.compile(
    r"^\??(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(?P<default>\S+))?\s*\((?P<kind>[a-z]+)\)\s*$"
)
_VARIABLE = re.compile(r"^[?$]?([A-Za-z_][A-Za-z0-9_]*)$")
# Tokens that may contain '#' or keywords without being comments or keywords.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s+<>)\s*)*", re.IGNORECASE)


def _strip(text: str) -> str:
    """The query without comments, with strings and IRIs emptied (for keyword detection)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return ""
        if token.startswith("<"):
            return "<>"
        return '""'

    return _TOKEN.sub(replace, text)


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first keyword after the prologue."""
    bare = _strip(text)
    rest = bare[_PROLOGUE.match(bare).end():]  # type: ignore[union-attr]
    word = re.match(r"\s*([A-Za-z]+)", rest)
    form = word.group(1).upper() if word else ""
    if form not in FORMS:
        raise ValueError(f"cannot tell the query form (found {form or 'nothing'!r})")
    return form


def has_order_by(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", _strip(text), re.IGNORECASE) is not None


def _syntax_error_position(message: str) -> tuple[int, int]:
    found = re.search(r"(?:at|line)\s+(\d+):(\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def _rdflib_error_position(text: str) -> tuple[int, int] | None:
    """Where rdflib's parser stops (it often points nearer the mistake than pyoxigraph)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except Exception as err:  # pyparsing.ParseException and friends
        line, column = getattr(err, "lineno", None), getattr(err, "col", None)
        if isinstance(line, int) and isinstance(column, int):
            return line, column
    return None


def check_syntax(path: Path, text: str) -> None:
    """Parse the query with pyoxigraph, never calling out: SERVICE is rewritten as GRAPH
    (same grammar, same positions) and the text is given to an empty in-memory store.

    A query nested too deep is refused first (native parsers crash on thousands of braces).
    Should the rewrite leave a SERVICE (e.g. spelt with \\u escapes), only rdflib's parser
    reads it. pyoxigraph sometimes reports the end of the enclosing group rather than the
    mistake; on error rdflib's parser is asked too, and the earlier position is reported.
    """
    import pyoxigraph as ox

    from hrkg.queries.guard import nesting_error, service_calls, without_service

    deep = nesting_error(text)
    if deep:
        line = int(deep.split(":")[0].removeprefix("line "))
        raise QueryFileError(path, line, deep.split(": ", 1)[1])
    checked = without_service(text)
    if service_calls(checked):
        position = _rdflib_error_position(text)
        if position is not None:
            raise QueryFileError(path, position[0], f"column {position[1]}: SPARQL syntax "
                                 "error (rdflib's parser)")
        return
    try:
        ox.Store().query(checked)
    except SyntaxError as err:
        message = str(err.msg) if getattr(err, "msg", None) else str(err)
        position = _syntax_error_position(message)
        other = _rdflib_error_position(text)
        if other is not None and (position == (0, 0) or other < position):
            position = other
        line, column = position
        detail = re.sub(r"^error at \d+:\d+:\s*", "", message)
        raise QueryFileError(
            path, line, f"column {column}: SPARQL syntax error: {detail}"
        ) from None


def load_query(path: Path) -> QueryFile:
    """Read a query file, check its header and its syntax; raise QueryFileError naming the line."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, tuple[str, int]] = {}
    params: list[tuple[str, int]] = []
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if not stripped.startswith("#"):
            break
        key_line = _KEY_LINE.match(stripped)
        if key_line:
            key, value = key_line.group(1).lower(), key_line.group(2).strip()
            if key not in HEADER_KEYS:
                known = ", ".join(k.capitalize() for k in HEADER_KEYS)
                raise QueryFileError(path, number, f"unknown header key {key_line.group(1)!r} "
                                     f"(known: {known})")
            if key == "param":
                params.append((value, number))
                current = None
                continue
            if key in SINGLE_KEYS and key in fields:
                raise QueryFileError(path, number, f"header key {key_line.group(1)!r} repeated")
            fields[key] = (value, number)
            current = key
            continue
        continuation = stripped.lstrip("#").strip()
        if current is not None and continuation:
            value, first = fields[current]
            fields[current] = (f"{value} {continuation}".strip(), first)

    def need(key: str, alternative: str | None = None) -> str:
        for k in (key, alternative):
            if k and k in fields and fields[k][0]:
                return fields[k][0]
        wanted = f"'# {key.capitalize()}:'"
        if alternative:
            wanted += f" (or '# {alternative.capitalize()}:')"
        raise QueryFileError(path, 1, f"missing header {wanted}")

    title = need("title")
    question = need("question", "description")

    severity = None
    if "severity" in fields:
        value, number = fields["severity"]
        if value.lower() not in ("error", "warning"):
            raise QueryFileError(path, number, f"Severity must be Error or Warning, not {value!r}")
        severity = value.capitalize()

    needs_inferred = False
    if "needs" in fields:
        value, number = fields["needs"]
        if value.lower() != "inferred":
            raise QueryFileError(path, number, f"Needs must be 'inferred', not {value!r}")
        needs_inferred = True

    online_only = False
    if "online-only" in fields:
        value, number = fields["online-only"]
        if value.lower() not in ("yes", "no"):
            raise QueryFileError(path, number, f"Online-only must be yes or no, not {value!r}")
        online_only = value.lower() == "yes"

    columns: tuple[str, ...] = ()
    if "columns" in fields:
        value, number = fields["columns"]
        names = []
        for token in value.split():
            variable = _VARIABLE.match(token)
            if not variable:
                raise QueryFileError(path, number, f"bad column {token!r} (write ?name)")
            names.append(variable.group(1))
        columns = tuple(names)

    parsed_params: list[Param] = []
    for value, number in params:
        match = _PARAM.match(value)
        if not match:
            raise QueryFileError(
                path, number, f"bad Param {value!r} (write 'name = default (kind)')"
            )
        name, default, kind = match.group("name"), match.group("default"), match.group("kind")
        if kind not in PARAM_KINDS:
            raise QueryFileError(
                path, number, f"Param kind must be one of {', '.join(PARAM_KINDS)}, not {kind!r}"
            )
        if not re.search(rf"[?$]{name}\b", _strip(text)):
            raise QueryFileError(path, number, f"Param {name!r} is not a variable of the query")
        if any(p.name == name for p in parsed_params):
            raise QueryFileError(path, number, f"Param {name!r} declared twice")
        if default is not None:
            try:
                bind_value(kind, default)
            except ParamError as err:
                raise QueryFileError(path, number, f"bad default for {name!r}: {err}") from None
        parsed_params.append(Param(name, default, kind))

    check_syntax(path, text)
    try:
        form = query_form(text)
    except ValueError as err:
        raise QueryFileError(path, 1, str(err)) from None
    return QueryFile(
        path=path,
        name=path.stem,
        title=title,
        question=question,
        severity=severity,
        params=tuple(parsed_params),
        columns=columns,
        needs_inferred=needs_inferred,
        online_only=online_only,
        text=text,
        form=form,
        ordered=has_order_by(text),
    )


def discover(folder: Path, pattern: str = "*.rq") -> list[QueryFile]:
    """Every query file in `folder` matching `pattern`, by name: adding a file turns it on."""
    return [load_query(p) for p in sorted(folder.glob(pattern), key=lambda p: p.name)]


# --------------------------------------------------------------------------- parameters

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9_.\-/]*)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def expand_iri(value: str) -> str:
    """A CURIE with a known prefix (kg:slug) or an absolute IRI (<…> optional); else ParamError."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    curie = _CURIE.match(value)
    if curie and curie.group(1) in PREFIXES:
        return PREFIXES[curie.group(1)] + (curie.group(2) or "")
    if _IRI.match(value) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^urn:", value):
        return value
    raise ParamError(f"not an IRI or known CURIE: {value!r}")


def bind_value(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    """One parameter value as an RDF term, checked against its kind."""
    import pyoxigraph as ox

    if kind == "iri":
        iri = expand_iri(value)
        try:
            return ox.NamedNode(iri)
        except ValueError as err:
            raise ParamError(f"not a valid IRI: {value!r} ({err})") from None
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError("not YYYY-MM-DD")
            dt.date.fromisoformat(value)
        except ValueError:
            raise ParamError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD_DATE))
    if kind == "integer":
        if not _INTEGER.match(value.strip()):
            raise ParamError(f"not an integer: {value!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD_INTEGER))
    if kind == "string":
        return ox.Literal(value)
    raise ParamError(f"unknown parameter kind {kind!r}")


Term: TypeAlias = "ox.NamedNode | ox.Literal"


def bind_params(q: QueryFile, given: dict[str, str] | None = None) -> dict[str, Term]:
    """Terms for every parameter given or defaulted; unknown names and bad values raise ParamError.

    The result is only ever passed to the engines as bindings, never pasted into query text.
    """
    given = {k.lstrip("?$"): v for k, v in (given or {}).items()}
    declared = {p.name for p in q.params}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise ParamError(
            f"{q.name}: unknown parameter(s) {', '.join(unknown)}"
            f" (declared: {', '.join(sorted(declared)) or 'none'})"
        )
    bound: dict[str, Term] = {}
    for p in q.params:
        value = given.get(p.name, p.default)
        if value is None:
            continue
        try:
            bound[p.name] = bind_value(p.kind, value)
        except ParamError as err:
            raise ParamError(f"{q.name}: parameter {p.name!r} ({p.kind}): {err}") from None
    return bound


# --------------------------------------------------------------------------- normalising


def shorten(iri: str) -> str:
    """`kg:slug` and other known prefixes; unknown namespaces stay full IRIs."""
    for prefix, base in _BY_LENGTH:
        if iri.startswith(base) and len(iri) > len(base):
            local = iri[len(base):]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return iri


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


def _triples_result(triples: Iterable[tuple[str, str, str]]) -> Result:
    return Result(TRIPLE_COLUMNS, sorted(set(triples)), ordered=False)


# --------------------------------------------------------------------------- running


def run_oxigraph(store: ox.Store, q: QueryFile, params: dict[str, str] | None = None,
                 allowed_services: Sequence[str] = ()) -> Result:
    """Run on a pyoxigraph store; the default graph is the union of the named graphs unless
    the query has FROM / FROM NAMED of its own (then exactly that dataset). A SERVICE call
    to an endpoint not in `allowed_services` raises ServiceRefused before anything runs."""
    import pyoxigraph as ox

    from hrkg.queries.guard import names_dataset, refuse_service

    refused = refuse_service(q.text, allowed_services)
    if refused:
        raise refused

    bound = bind_params(q, params)
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): term for name, term in bound.items()
    }
    answer = store.query(
        q.text, use_default_graph_as_union=not names_dataset(q.text),
        substitutions=substitutions or None,
    )
    if q.form == "ASK":
        return Result(ASK_COLUMNS, [("true" if bool(answer) else "false",)], ordered=False)
    if q.form in ("CONSTRUCT", "DESCRIBE"):
        return _triples_result(
            (triple_cell_ox(t.subject), triple_cell_ox(t.predicate), triple_cell_ox(t.object))
             for t in answer  # type: ignore[union-attr]
        )
    solutions: ox.QuerySolutions = answer  # type: ignore[assignment]
    variables = [v.value for v in solutions.variables]
    rows = [tuple(normalise_ox(s[v]) for v in variables) for s in solutions]
    return Result(tuple(variables), rows, ordered=q.ordered)


def run_rdflib(
    dataset: rdflib.Dataset, q: QueryFile, params: dict[str, str] | None = None
) -> Result:
    """Run on an rdflib Dataset built with default_union=True, parameters as initBindings."""
    from rdflib import Variable

    from hrkg.assemble import to_rdflib

    if not getattr(dataset, "default_union", False):
        raise ValueError("run_rdflib needs an rdflib.Dataset(default_union=True)")
    bound = bind_params(q, params)
    bindings: dict[str, Any] = {Variable(name): to_rdflib(term) for name, term in bound.items()}
    answer = dataset.query(q.text, initBindings=bindings)
    if q.form == "ASK":
        return Result(ASK_COLUMNS, [("true" if answer.askAnswer else "false",)], ordered=False)
    if q.form in ("CONSTRUCT", "DESCRIBE"):
        graph = answer.graph
        assert graph is not None
        return _triples_result(
            ((triple_cell_rdflib(s), triple_cell_rdflib(p), triple_cell_rdflib(o))
             for s, p, o in graph)
        )
    variables = [str(v) for v in (answer.vars or [])]
    rows = [
        tuple(normalise_rdflib(row[i]) for i in range(len(variables)))  # type: ignore[index]
        for row in answer
    ]
    return Result(tuple(variables), rows, ordered=q.ordered)


# --------------------------------------------------------------------------- expected answers

SUBSET_MARK = "# subset"


def read_expected(path: Path) -> Result:
    """An expected answer: CSV, header row = columns; a first line `# subset` = partial answer."""
    text = path.read_text(encoding="utf-8")
    subset = False
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith(SUBSET_MARK):
        subset = True
        text = "".join(lines[1:])
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError(f"{path}: empty expected file (needs at least a header row)") from None
    columns = tuple(c.strip().lstrip("?") for c in header)
    rows = []
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(columns):
            raise ValueError(f"{path}:{number}: {len(row)} cells, header has {len(columns)}")
        rows.append(tuple(row))
    return Result(columns, rows, ordered=False, subset=subset)


def _show(row: Sequence[str]) -> str:
    return " | ".join(row)


def compare(actual: Result, expected: Result) -> list[str]:
    """Differences in words; order matters only if either side is ordered (and not a subset)."""
    if actual.columns != expected.columns:
        return [f"columns differ: expected {', '.join(expected.columns)}; "
                f"got {', '.join(actual.columns)}"]
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
    from hrkg.report import table

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
