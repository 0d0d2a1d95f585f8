"""Stored SPARQL query files: the catalog of queries/ and the strict header each one opens with.

    # Title: Participants of a meeting
    # Question: Who took part in a meeting, in which role, on whose behalf?
    #   (indented comment lines continue the previous key)
    # Param: meeting = kg:meeting-2024-02-29-moscow-palestinian-factions (iri)
    # Columns: ?meeting ?participant ?role ?onBehalfOf
    # Needs: inferred          (the query needs the owlrl closure; optional)
    # Online-only: yes         (federated; never run offline; optional)
    # Severity: Error          (checks only)

pyoxigraph requires a substituted variable to be in the top-level projection, so every query
projects its parameters. A parameter without a default is optional: left unbound, the query
answers for every value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hrkg.queries.params import PARAM_KINDS, Param, ParamError, bind_value
from hrkg.queries.syntax import has_order_by, query_form, strip_comments, syntax_error

HEADER_KEYS = (
    "title",
    "question",
    "description",
    "severity",
    "param",
    "columns",
    "needs",
    "online-only",
    "note",
)
SINGLE_KEYS = {"title", "question", "description", "severity", "columns", "needs", "online-only"}


class QueryFileError(Exception):
    """A query file with a bad header or bad syntax; str() is `path:line: message`."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


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


_KEY_LINE = re.compile(r"^#\s?([A-Za-z][A-Za-z-]*):\s*(.*)$")
_PARAM = re.compile(
    r"^\??(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(?P<default>\S+))?\s*\((?P<kind>[a-z]+)\)\s*$"
)
_VARIABLE = re.compile(r"^[?$]?([A-Za-z_][A-Za-z0-9_]*)$")

Fields = dict[str, tuple[str, int]]


def read_header(path: Path, text: str) -> tuple[Fields, list[tuple[str, int]]]:
    """The header's key lines (value and line number) and its Param lines, in order."""
    fields: Fields = {}
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
        if key_line is None:
            continuation = stripped.lstrip("#").strip()
            if current is not None and continuation:
                value, first = fields[current]
                fields[current] = (f"{value} {continuation}".strip(), first)
            continue
        key, value = key_line.group(1).lower(), key_line.group(2).strip()
        if key not in HEADER_KEYS:
            known = ", ".join(k.capitalize() for k in HEADER_KEYS)
            raise QueryFileError(
                path, number, f"unknown header key {key_line.group(1)!r} (known: {known})"
            )
        if key == "param":
            params.append((value, number))
            current = None
            continue
        if key in SINGLE_KEYS and key in fields:
            raise QueryFileError(path, number, f"header key {key_line.group(1)!r} repeated")
        fields[key] = (value, number)
        current = key
    return fields, params


def required(path: Path, fields: Fields, key: str, alternative: str | None = None) -> str:
    """The value of a key the header must have (or of its alternative)."""
    for k in (key, alternative):
        if k and k in fields and fields[k][0]:
            return fields[k][0]
    wanted = f"'# {key.capitalize()}:'"
    if alternative:
        wanted += f" (or '# {alternative.capitalize()}:')"
    raise QueryFileError(path, 1, f"missing header {wanted}")


def choice(path: Path, fields: Fields, key: str, allowed: tuple[str, ...]) -> str | None:
    """The lower-cased value of an optional key that must be one of `allowed`."""
    if key not in fields:
        return None
    value, number = fields[key]
    if value.lower() not in allowed:
        wanted = " or ".join(repr(a) for a in allowed)
        raise QueryFileError(path, number, f"{key.capitalize()} must be {wanted}, not {value!r}")
    return value.lower()


def parse_columns(path: Path, fields: Fields) -> tuple[str, ...]:
    if "columns" not in fields:
        return ()
    value, number = fields["columns"]
    names = []
    for token in value.split():
        variable = _VARIABLE.match(token)
        if not variable:
            raise QueryFileError(path, number, f"bad column {token!r} (write ?name)")
        names.append(variable.group(1))
    return tuple(names)


def parse_params(path: Path, lines: list[tuple[str, int]], text: str) -> tuple[Param, ...]:
    """`# Param: name = default (kind)` lines, each checked against the query text."""
    bare = strip_comments(text)
    parsed: list[Param] = []
    for value, number in lines:
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
        if not re.search(rf"[?$]{name}\b", bare):
            raise QueryFileError(path, number, f"Param {name!r} is not a variable of the query")
        if any(p.name == name for p in parsed):
            raise QueryFileError(path, number, f"Param {name!r} declared twice")
        if default is not None:
            try:
                bind_value(kind, default)
            except ParamError as err:
                raise QueryFileError(path, number, f"bad default for {name!r}: {err}") from None
        parsed.append(Param(name, default, kind))
    return tuple(parsed)


def read_text(path: Path) -> str:
    """The file's text; unreadable or non-UTF-8 files are a QueryFileError naming the path."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise QueryFileError(path, line, f"not UTF-8 text ({err.reason})") from None
    except OSError as err:
        raise QueryFileError(path, 0, f"cannot read: {err.strerror or err}") from None


def checked_form(path: Path, text: str) -> str:
    """The query form (SELECT …) of text that parses; else QueryFileError naming the line."""
    error = syntax_error(text)
    if error is not None:
        line, column, detail = error
        raise QueryFileError(path, line, f"column {column}: SPARQL syntax error: {detail}")
    try:
        form = query_form(text)
    except ValueError as err:
        raise QueryFileError(path, 1, str(err)) from None
    return form


def load_query(path: Path) -> QueryFile:
    """Read a query file, check its header and its syntax; raise QueryFileError naming the line."""
    text = read_text(path)
    fields, param_lines = read_header(path, text)
    title = required(path, fields, "title")
    question = required(path, fields, "question", "description")
    severity = choice(path, fields, "severity", ("error", "warning"))
    needs = choice(path, fields, "needs", ("inferred",))
    online = choice(path, fields, "online-only", ("yes", "no"))
    columns = parse_columns(path, fields)
    params = parse_params(path, param_lines, text)
    form = checked_form(path, text)
    return QueryFile(
        path=path,
        name=path.stem,
        title=title,
        question=question,
        severity=severity.capitalize() if severity else None,
        params=params,
        columns=columns,
        needs_inferred=needs == "inferred",
        online_only=online == "yes",
        text=text,
        form=form,
        ordered=has_order_by(text),
    )


def discover(folder: Path, pattern: str = "*.rq") -> list[QueryFile]:
    """Every query file in `folder` matching `pattern`, by name: adding a file turns it on."""
    return [load_query(p) for p in sorted(folder.glob(pattern), key=lambda p: p.name)]


def resolve(folder: Path, name: str) -> Path:
    """A query given by file path, by exact stored name, or by a unique name prefix."""
    path = Path(name)
    if path.suffix == ".rq" and path.exists():
        return path
    exact = folder / f"{name}.rq"
    if exact.exists():
        return exact
    matches = sorted(folder.glob(f"{name}*.rq")) or sorted(folder.glob(f"*{name}*.rq"))
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.stem for p in sorted(folder.glob("*.rq")))
    raise QueryFileError(Path(name), 0, f"no single stored query matches {name!r}; known: {known}")
