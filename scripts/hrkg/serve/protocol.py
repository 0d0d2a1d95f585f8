"""The SPARQL 1.1 Protocol's request rules: from an HTTP request to one query operation.

Pure functions, no I/O: `read_operation` returns a `QueryOperation`, a `DescribeService`
(GET without a query: the Service Description) or raises `ProtocolError` with the status
and a message for the client. Updates in any form are refused with 403: this endpoint is
read-only whatever the store allows.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from email.message import Message

from hrkg.serve import negotiation

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
CHARSETS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "latin-1": "latin-1",
    "latin1": "latin-1",
}
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
KNOWN_PARAMS = {
    "query",
    "update",
    "format",
    "default-graph-uri",
    "named-graph-uri",
    "using-graph-uri",
    "using-named-graph-uri",
    "timeout",
}


class ProtocolError(Exception):
    """A request the protocol does not allow: HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


READ_ONLY = ProtocolError(
    403,
    "This endpoint is read-only: SPARQL Update and Graph Store "
    "writes are refused. Use `hrkg load` to change a store.",
)


@dataclass(frozen=True)
class QueryOperation:
    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None

    @property
    def protocol_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class DescribeService:
    format: str | None = None


def media_type(headers: Message) -> tuple[str, str | None]:
    """The Content-Type without parameters (lower case) and its charset, if any."""
    raw = headers.get("Content-Type")
    if raw is None:
        return "", None
    message = Message()
    message["Content-Type"] = raw
    charset = message.get_param("charset")
    return message.get_content_type() if raw.strip() else "", (
        str(charset).lower() if isinstance(charset, str) else None
    )


def decode(data: bytes, charset: str | None, what: str) -> str:
    """Bytes as text in the declared charset (UTF-8 when none); undecodable is a 400."""
    codec = CHARSETS.get((charset or "utf-8").lower())
    if codec is None:
        raise ProtocolError(
            415,
            f"{what}: charset {charset!r} is not accepted; send UTF-8 "
            "(or declare ISO-8859-1 / US-ASCII).",
        )
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise ProtocolError(
            400,
            f"{what} is not valid {codec.upper()} (byte {err.start}): "
            "send UTF-8 or declare the charset.",
        ) from None


def parse_form(data: bytes, charset: str | None, what: str) -> dict[str, list[str]]:
    """application/x-www-form-urlencoded, decoded strictly (bad percent-escapes are a 400)."""
    text = decode(data, "ascii" if charset is None else charset, what) if data else ""
    codec = CHARSETS.get((charset or "utf-8").lower(), "utf-8")
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, strict_parsing=False, encoding=codec, errors="strict"
        )
    except UnicodeDecodeError:
        raise ProtocolError(
            400, f"{what}: a percent-escaped value is not valid {codec.upper()}."
        ) from None


def _merge(target: dict[str, list[str]], extra: dict[str, list[str]]) -> None:
    for key, values in extra.items():
        target.setdefault(key, []).extend(values)


def _check_iris(values: list[str], name: str) -> list[str]:
    import pyoxigraph as ox

    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise ProtocolError(400, f"{name}: not an absolute IRI: {value!r}") from None
        if ":" not in value:
            raise ProtocolError(400, f"{name}: not an absolute IRI: {value!r}")
    return values


def _read_post_body(params: dict[str, list[str]], headers: Message, body: bytes) -> None:
    """Add what a POST's body carries to `params`: the query itself, or a form."""
    kind, charset = media_type(headers)
    if not kind:
        raise ProtocolError(
            400,
            "A POST needs a Content-Type: application/sparql-query "
            f"(the query as the body) or {FORM} (query=...).",
        )
    if kind == UPDATE:
        raise READ_ONLY
    if kind == QUERY:
        if "query" in params:
            raise ProtocolError(
                400,
                "A direct POST carries the query in the body; the "
                "URL must not have a query parameter too.",
            )
        params["query"] = [decode(body, charset, "The query")]
    elif kind == FORM:
        _merge(params, parse_form(body, charset, "The form"))
    else:
        raise ProtocolError(
            415, f"Content-Type {kind} is not a SPARQL request: send {QUERY} or {FORM}."
        )


def read_operation(
    method: str, query_string: str, headers: Message, body: bytes
) -> QueryOperation | DescribeService:
    """The operation an HTTP request to the endpoint asks for (see module docstring)."""
    if method not in ("GET", "HEAD", "POST"):
        raise READ_ONLY
    params = parse_form(query_string.encode("latin-1", "replace"), None, "the URL's query")
    if method == "POST":
        _read_post_body(params, headers, body)
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise READ_ONLY
    queries = params.get("query", [])
    fmt = _single(params, "format")
    if fmt is not None and not negotiation.valid_format_keyword(fmt):
        raise ProtocolError(
            400,
            f"format={fmt!r} is unknown; use one of "
            f"{', '.join(negotiation.KNOWN_KEYWORDS)} or a media type.",
        )
    if not queries:
        if method == "POST":
            raise ProtocolError(
                400,
                "The POST has no query (SPARQL 1.1 Protocol: one `query`). The query page is at /.",
            )
        return DescribeService(fmt)
    if len(queries) > 1:
        raise ProtocolError(400, f"Give exactly one query, not {len(queries)}.")
    if not queries[0].strip():
        raise ProtocolError(400, "The query is empty.")
    return QueryOperation(
        queries[0],
        _check_iris(params.get("default-graph-uri", []), "default-graph-uri"),
        _check_iris(params.get("named-graph-uri", []), "named-graph-uri"),
        fmt,
    )


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"Give {name} once, not {len(values)} times.")
    return values[0] if values else None
