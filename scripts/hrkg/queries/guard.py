"""What a SPARQL query would do, found by reading its tokens, never by evaluating it.

The endpoint, `hrkg query`, the build's SHACL-SPARQL and the query list must not make a
network call nobody asked for: `refuse_service` finds every `SERVICE` clause (with its
endpoint IRI resolved against PREFIX and BASE) and refuses those not on an allow-list.
`names_dataset` tells whether the query has its own FROM / FROM NAMED (then the union
default graph must not replace it). `nesting_error` refuses queries nested deeper than a
parser can take safely (thousands of braces crash native parsers instead of failing).

The scan is lexical and conservative: comments, strings and IRIs are tokens of their own,
so `SERVICE` inside them is ignored, and `\\u` escapes are also decoded and scanned again
(SPARQL lets them stand for any character before parsing).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_NESTING = 200  # braces and parentheses; real queries stay below 20

_TOKENS = re.compile(
    r"(?P<comment>#[^\n\r]*)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)'
    r"|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$][\w\u00b7]+)"
    r"|(?P<name>(?:[^\W\d][\w.\-\u00b7]*)?:(?:[\w\-.:%\u00b7]|\\[^\s])*|[^\W\d][\w\-\u00b7]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int
    start: int


@dataclass(frozen=True)
class ServiceCall:
    """One SERVICE clause: its endpoint IRI (None when it is a variable) and line."""

    endpoint: str | None
    line: int
    silent: bool


class ServiceRefused(ValueError):
    """A query that would call an endpoint not on the allow-list; str() says which."""

    def __init__(self, calls: list[ServiceCall]) -> None:
        named = ", ".join(
            f"<{c.endpoint}> (line {c.line})"
            if c.endpoint
            else f"a variable endpoint (line {c.line})"
            for c in calls
        )
        super().__init__(
            f"SERVICE refused: no outbound request is made unless allowed; the "
            f"query calls {named}. Allow an endpoint with --allow-service URL."
        )
        self.calls = calls


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens, whitespace dropped."""
    line = 1
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group(0)
        if kind != "space":
            yield Token(kind, value.rstrip(".") if kind == "name" else value, line, match.start())
        line += value.count("\n")


def _unescaped(text: str) -> str:
    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"

    return _ESCAPE.sub(char, text)


def _variants(text: str) -> list[str]:
    other = _unescaped(text)
    return [text] if other == text else [text, other]


def service_calls(text: str, base_iri: str | None = None) -> list[ServiceCall]:
    """Every SERVICE clause of the query, endpoints as absolute IRIs where they can be."""
    found: dict[tuple[str | None, int], ServiceCall] = {}
    for variant in _variants(text):
        prefixes: dict[str, str] = {}
        base = base_iri
        items = list(tokens(variant))
        for index, token in enumerate(items):
            word = token.text.upper() if token.kind == "name" else ""
            following = items[index + 1 : index + 4]
            if (
                word == "PREFIX"
                and len(following) >= 2
                and following[0].kind == "name"
                and following[1].kind == "iri"
            ):
                prefixes[following[0].text.rstrip(":")] = _resolve(following[1].text[1:-1], base)
            elif word == "BASE" and following and following[0].kind == "iri":
                base = _resolve(following[0].text[1:-1], base)
            elif word == "SERVICE":
                silent = bool(following) and following[0].text.upper() == "SILENT"
                target = (
                    following[1]
                    if silent and len(following) > 1
                    else (following[0] if following else None)
                )
                endpoint = _endpoint(target, prefixes, base)
                call = ServiceCall(endpoint, token.line, silent)
                found.setdefault((endpoint, token.line), call)
    return list(found.values())


def _resolve(iri: str, base: str | None) -> str:
    return urllib.parse.urljoin(base, iri) if base else iri


def _endpoint(token: Token | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if token is None or token.kind == "var":
        return None
    if token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    if token.kind == "name" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return token.text  # unknown prefix: never matches an allowed URL, so it is refused


def refuse_service(
    query_text: str, allowed: Iterable[str] = (), base_iri: str | None = None
) -> ServiceRefused | None:
    """The error to report if the query calls a SERVICE not in `allowed`, else None.

    `allowed` holds endpoint URLs compared exactly; a variable endpoint is always refused
    (where it points is only known while the query runs).
    """
    permitted = set(allowed)
    refused = [
        c
        for c in service_calls(query_text, base_iri)
        if c.endpoint is None or c.endpoint not in permitted
    ]
    return ServiceRefused(refused) if refused else None


def without_service(query_text: str) -> str:
    """The query with each `SERVICE [SILENT]` written as `GRAPH`, padded to the same length.

    `SERVICE x { }` and `GRAPH x { }` have the same grammar, so a parser finds the same
    syntax errors at the same lines and columns, and checking the rewritten text on an
    empty store can call nobody.
    """
    out = list(query_text)
    items = list(tokens(query_text))
    for index, token in enumerate(items):
        if token.kind == "name" and token.text.upper() == "SERVICE":
            out[token.start : token.start + 7] = list("GRAPH  ")
            following = items[index + 1] if index + 1 < len(items) else None
            if following is not None and following.text.upper() == "SILENT":
                out[following.start : following.start + 6] = list(" " * 6)
    return "".join(out)


def names_dataset(query_text: str) -> bool:
    """True when the query has a FROM or FROM NAMED clause of its own."""
    return any(t.kind == "name" and t.text.upper() == "FROM" for t in tokens(query_text))


def nesting_error(query_text: str, limit: int = MAX_NESTING) -> str | None:
    """A message when braces or parentheses nest deeper than `limit`, else None."""
    depth = 0
    for token in tokens(query_text):
        if token.kind == "other" and token.text in "{(":
            depth += 1
            if depth > limit:
                return (
                    f"line {token.line}: the query nests braces or parentheses more than "
                    f"{limit} deep; this server refuses such queries before parsing"
                )
        elif token.kind == "other" and token.text in "})":
            depth = max(0, depth - 1)
    return None
