"""Parameters written into a query's text, for engines without a substitution API.

Servers (Oxigraph, Virtuoso, Jena over HTTP) and the query page get the stored query with its
parameters as a `VALUES ?name { term }` block at the top of the WHERE group. Joined first, it
gives the same answers as pyoxigraph's substitutions for the stored queries, which project
their parameters.
"""

from __future__ import annotations

import re

from hrkg.queries.catalog import QueryFile
from hrkg.queries.params import bind_params
from hrkg.queries.syntax import blank_comments


def bind_values(text: str, values: dict[str, str]) -> str:
    """`text` with `VALUES ?name { term }` lines (terms in N-Triples syntax) after WHERE {."""
    if not values:
        return text
    block = "".join(f"\n  VALUES ?{name} {{ {term} }}" for name, term in values.items())
    body = blank_comments(text)
    where = re.search(r"\bWHERE\s*\{", body, re.I) or re.search(r"\{", body)
    if not where:
        raise ValueError("no WHERE group to bind parameters in")
    return text[: where.end()] + block + text[where.end() :]


def with_defaults(query: QueryFile) -> str:
    """The query's text with its parameters' defaults bound as VALUES (see bind_values)."""
    bound = bind_params(query)
    return bind_values(query.text, {name: str(term) for name, term in bound.items()})
