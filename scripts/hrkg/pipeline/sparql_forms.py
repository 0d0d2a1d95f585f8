"""The forms of a SHACL-SPARQL query: which the spec excludes, and which hrkg can run fast.

SHACL 1.0 §5.3.1 excludes MINUS, federated SERVICE, VALUES, `AS ?v` for a pre-bound
variable and sub-queries that do not return every pre-bound variable: a processor must
report a failure for them, so `refusal` names the first one found. `fast_path` says whether
a constraint's query can be run once over all focus nodes (the targets joined first into the
WHERE group) with the same solutions as pre-binding `$this` per focus node: that holds when
`$this` occurs only in the WHERE group itself or inside EXISTS / NOT EXISTS (which see the
solution's bindings), and there is no sub-query, $currentShape or $shapesGraph.

Keywords are found on tokens, never on raw text: a word inside a comment, a string or an
IRI is not a keyword, and the WHERE keyword is optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7-\U000effff]+)
    | (?P<pname>[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# pre-bound in every SHACL-SPARQL query; sub-queries need not return the last two
ALWAYS_BOUND = ("this", "currentShape", "shapesGraph")
OPTIONAL_IN_SUBQUERIES = ("currentShape", "shapesGraph")
EXCLUDED = {"MINUS": "MINUS", "SERVICE": "SERVICE (federated query)", "VALUES": "VALUES"}


@dataclass(frozen=True)
class Token:
    kind: str  # var, pname, word, open, close, iri, string, other
    text: str
    depth: int  # braces open before this token
    offset: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def variable(self) -> str:
        return self.text[1:] if self.kind == "var" else ""


class FormError(ValueError):
    """The query cannot be tokenised (an unterminated string or IRI)."""


def tokens(query: str) -> list[Token]:
    """The query's tokens without spaces and comments, each with its brace depth."""
    out: list[Token] = []
    depth = 0
    position = 0
    while position < len(query):
        match = TOKEN.match(query, position)
        if match is None:  # pragma: no cover - `other` matches any character
            raise FormError(f"cannot read the query at offset {position}")
        kind = match.lastgroup or "other"
        text = match.group()
        if kind == "close":
            depth -= 1
        if kind not in ("space", "comment"):
            if kind == "other" and text in "'\"":
                raise FormError(f"unterminated string at offset {position}")
            out.append(Token(kind, text, depth, position))
        if kind == "open":
            depth += 1
        position = match.end()
    return out


def refusal(query: str, prebound: tuple[str, ...] = ALWAYS_BOUND) -> str:
    """Why SHACL excludes this query ('' when it does not): the first excluded form."""
    try:
        toks = tokens(query)
    except FormError as err:
        return str(err)
    for index, tok in enumerate(toks):
        if tok.keyword in EXCLUDED:
            return f"uses {EXCLUDED[tok.keyword]}, which SHACL-SPARQL excludes"
        if tok.keyword == "AS" and index + 1 < len(toks):
            name = toks[index + 1].variable
            if name in prebound:
                return f"assigns the pre-bound variable ${name} (AS ?{name})"
        if tok.keyword == "SELECT" and tok.depth > 0:
            missing = missing_in_subquery(toks, index, prebound)
            if missing:
                return f"has a sub-query that does not return the pre-bound ${missing}"
    return ""


def missing_in_subquery(toks: list[Token], start: int, prebound: tuple[str, ...]) -> str:
    """The first pre-bound variable a sub-query's projection leaves out ('' if none);
    `SELECT *` counts as leaving all out, since $this need not be in scope inside it."""
    projected: set[str] = set()
    for tok in toks[start + 1 :]:
        if tok.kind == "open" or tok.keyword == "WHERE":
            break
        if tok.kind == "var":
            projected.add(tok.variable)
    for name in prebound:
        if name not in OPTIONAL_IN_SUBQUERIES and name not in projected:
            return name
    return ""


def where_group(toks: list[Token]) -> int:
    """Index of the `{` that opens the query's WHERE group (the WHERE keyword is optional)."""
    for index, tok in enumerate(toks):
        if tok.kind == "open" and tok.depth == 0:
            return index
    raise FormError("the query has no WHERE group")


def fast_path(query: str) -> bool:
    """True when joining the focus nodes into the WHERE group equals pre-binding $this."""
    try:
        toks = tokens(query)
        start = where_group(toks)
    except FormError:
        return False
    selects = [t for t in toks if t.keyword == "SELECT"]
    if len(selects) != 1 or selects[0].depth != 0:
        return False
    if any(t.variable in ("currentShape", "shapesGraph", "PATH") for t in toks):
        return False
    exists_depths: list[int] = []  # depths of the EXISTS groups we are inside
    for index, tok in enumerate(toks[start + 1 :], start + 1):
        if exists_depths and tok.kind == "close" and tok.depth == exists_depths[-1]:
            exists_depths.pop()
        if tok.kind == "open" and toks[index - 1].keyword == "EXISTS":
            exists_depths.append(tok.depth)
        if tok.variable == "this" and tok.depth > 1 and not exists_depths:
            return False
    return True


def join_first(query: str, pattern: str) -> str:
    """`pattern` inserted first into the WHERE group and `$this` written as ?this.

    Put first in the group, the targets bind ?this before the group's FILTERs and BINDs
    run, as pre-binding would; blank-node focus nodes work too (VALUES could not hold them).
    """
    toks = tokens(query)
    brace = toks[where_group(toks)].offset + 1
    pieces = []
    last = 0
    for tok in toks:
        if tok.kind == "var" and tok.text == "$this":
            pieces += [query[last : tok.offset], "?this"]
            last = tok.offset + len(tok.text)
        if tok.offset + 1 == brace:
            pieces += [query[last:brace], "\n", pattern, "\n"]
            last = brace
    pieces.append(query[last:])
    return "".join(pieces)
