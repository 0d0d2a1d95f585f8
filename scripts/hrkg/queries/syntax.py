"""SPARQL text without a parser of our own: comments and strings told apart, the query form,
ORDER BY, and a syntax check that names the line and column of a mistake.
"""

from __future__ import annotations

import re

FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")

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


def strip_comments(text: str) -> str:
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
    bare = strip_comments(text)
    rest = bare[_PROLOGUE.match(bare).end() :]  # type: ignore[union-attr]
    word = re.match(r"\s*([A-Za-z]+)", rest)
    form = word.group(1).upper() if word else ""
    if form not in FORMS:
        raise ValueError(f"cannot tell the query form (found {form or 'nothing'!r})")
    return form


def has_order_by(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", strip_comments(text), re.IGNORECASE) is not None


def _syntax_error_position(message: str) -> tuple[int, int]:
    found = re.search(r"(?:at|line)\s+(\d+):(\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def _rdflib_error(text: str) -> tuple[int, int, str] | None:
    """Where rdflib's parser stops, and why (it parses only; nothing is evaluated)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except Exception as err:  # pyparsing.ParseException and friends
        line, column = getattr(err, "lineno", None), getattr(err, "col", None)
        if isinstance(line, int) and isinstance(column, int):
            return line, column, str(getattr(err, "msg", err))
        return 0, 0, str(err)
    return None


def mentions_service(text: str) -> bool:
    """True when the query (outside comments, strings and IRIs) has a SERVICE clause."""
    return re.search(r"\bSERVICE\b", strip_comments(text), re.IGNORECASE) is not None


def syntax_error(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of the first syntax error, or None; the query is never run.

    Nothing is ever called: a query nested too deep is refused first (native parsers crash on
    thousands of braces); each SERVICE is rewritten as GRAPH (same grammar, same positions)
    and the text is prepared on an empty in-memory pyoxigraph store; should the rewrite leave
    a SERVICE (spelt with \\u escapes, say), only rdflib's parser reads it. pyoxigraph
    sometimes reports the end of the enclosing group rather than the mistake, so rdflib is
    asked too and the earlier position is reported.
    """
    import pyoxigraph as ox

    from hrkg.queries.guard import nesting_error, service_calls, without_service

    deep = nesting_error(text)
    if deep:
        line = int(deep.split(":")[0].removeprefix("line "))
        return line, 0, deep.split(": ", 1)[1]
    checked = without_service(text)
    if service_calls(checked):  # a SERVICE the rewrite could not reach: rdflib parses only
        return _rdflib_error(text)
    try:
        ox.Store().query(checked)
    except SyntaxError as err:
        message = str(err.msg) if getattr(err, "msg", None) else str(err)
        position = _syntax_error_position(message)
        other = _rdflib_error(text)
        found = other[:2] if other is not None else (0, 0)
        if found != (0, 0) and (position == (0, 0) or found < position):
            position = found
        detail = re.sub(r"^error at \d+:\d+:\s*", "", message)
        return position[0], position[1], detail
    return None


def blank_comments(text: str) -> str:
    """The query with every comment overwritten by spaces: same length, same offsets."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return " " * len(token) if token.startswith("#") else token

    return _TOKEN.sub(replace, text)
