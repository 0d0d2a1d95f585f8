"""A W3C Entity Reconciliation Service (API v0.2) over the graph's curated entities.

So that an OpenRefine user can match a spreadsheet of actors, places or weapons against this
graph: a service manifest, reconciliation queries (a name, optional types, optional
properties: `wikidata` for a QID) answered with candidates scored from labels and alternative
labels (accents, case and punctuation ignored), an HTML preview, and entity suggest.

Pure functions over a pyoxigraph Store; the HTTP server only routes to
`handle(store, method, path, params)`, which returns (status, content type, body).
"""

from __future__ import annotations

import difflib
import html
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

KG = "https://w3id.org/hrkg/id/"
HRKG = "https://w3id.org/hrkg/ontology#"
WD = "http://www.wikidata.org/entity/"
PREFIX = "/reconcile"
DEFAULT_BASE = "http://127.0.0.1:7878"
MAX_QUERIES = 100
DEFAULT_LIMIT = 5
MATCH_SCORE = 95.0
TOP_CLASSES = ("Actor", "Place", "WeaponSystem", "Treaty", "ArmedConflict")
JSON = "application/json"
CALLBACK_RE = re.compile(r"[A-Za-z_$][\w$.]{0,63}")
QID_RE = re.compile(r"Q[1-9][0-9]*")

ENTITIES_QUERY = """
PREFIX hrkg: <https://w3id.org/hrkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?class ?classLabel ?top ?label ?alt ?comment ?wikidata WHERE {
  VALUES ?top { hrkg:Actor hrkg:Place hrkg:WeaponSystem hrkg:Treaty hrkg:ArmedConflict }
  ?entity a ?class ; rdfs:label ?label .
  ?class rdfs:subClassOf* ?top .
  FILTER(STRSTARTS(STR(?class), STR(hrkg:)) && STRSTARTS(STR(?entity), "https://w3id.org/hrkg/id/"))
  FILTER NOT EXISTS { ?entity a ?narrower . ?narrower rdfs:subClassOf ?class .
                      FILTER(?narrower != ?class) }
  OPTIONAL { ?class rdfs:label ?classLabel }
  OPTIONAL { ?entity skos:altLabel ?alt }
  OPTIONAL { ?entity rdfs:comment ?comment }
  OPTIONAL { ?entity skos:exactMatch ?wikidata .
             FILTER(STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/Q")) }
}
"""


class ReconcileError(ValueError):
    """A malformed request; the message says what to send instead (HTTP 400)."""


class BatchTooLarge(ReconcileError):
    """More queries than the manifest's batchSize (HTTP 413, as the specification allows)."""


@dataclass
class Entity:
    """One reconcilable entity with every name it is known by."""

    id: str  # the slug; identifierSpace + id is its IRI
    label: str
    types: set[tuple[str, str]]  # (class local name, class label), most specific
    tops: set[str]  # the broad classes it falls under (Actor, Place …)
    alts: set[str]
    comment: str
    qid: str

    @property
    def names(self) -> list[str]:
        return [self.label, *sorted(self.alts)]


def normalise(text: str) -> str:
    """Fold accents, case and punctuation, so "Hizbullah", "HIZBULLAH" and "Hizbulláh" meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", stripped.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def entities(store: ox.Store) -> dict[str, Entity]:
    """Every curated actor, place, weapon system, treaty and conflict, by slug."""
    found: dict[str, Entity] = {}
    for row in store.query(ENTITIES_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        iri = row["entity"].value
        slug = iri[len(KG) :]
        entity = found.get(slug)
        if entity is None:
            wikidata = row["wikidata"]
            qid = wikidata.value[len(WD) :] if wikidata is not None else ""
            comment = row["comment"].value if row["comment"] is not None else ""
            entity = found[slug] = Entity(
                slug, row["label"].value, set(), set(), set(), comment, qid
            )
        cls = row["class"].value
        class_label = row["classLabel"].value if row["classLabel"] is not None else ""
        entity.types.add((cls[len(HRKG) :], class_label or cls[len(HRKG) :]))
        entity.tops.add(row["top"].value[len(HRKG) :])
        if row["alt"] is not None:
            entity.alts.add(row["alt"].value)
    return found


def name_score(query: str, names: Sequence[str]) -> tuple[float, bool]:
    """0–100 for the best of an entity's names; True when that name is its main label.

    Equal after folding: 100 (main label) or 98 (alternative label). Otherwise the better of
    the character similarity and, when every query word is one of the name's words (a surname
    alone, "Zakharova"), 90 scaled by how much of the name the query covers.
    """
    wanted = normalise(query)
    if not wanted:
        return 0.0, False
    best, best_is_label = 0.0, False
    for index, name in enumerate(names):
        have = normalise(name)
        if not have:
            continue
        if have == wanted:
            score = 100.0 if index == 0 else 98.0
        else:
            score = 100.0 * difflib.SequenceMatcher(None, wanted, have).ratio() * 0.9
            query_words, name_words = set(wanted.split()), set(have.split())
            if query_words <= name_words:
                score = max(score, 90.0 * len(query_words) / len(name_words) + 5.0)
        if score > best:
            best, best_is_label = score, index == 0
    return round(best, 1), best_is_label


def _types_of(query: Mapping[str, Any]) -> list[str]:
    wanted = query.get("type")
    if wanted is None:
        return []
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    if not all(isinstance(t, str) for t in names):
        raise ReconcileError("`type` is a type id or a list of type ids")
    return [t[len(HRKG) :] if t.startswith(HRKG) else t for t in names]


def _wanted_qids(query: Mapping[str, Any]) -> list[str]:
    qids = []
    for prop in query.get("properties") or []:
        if not isinstance(prop, Mapping) or "pid" not in prop or "v" not in prop:
            raise ReconcileError("each property is an object with `pid` and `v`")
        if prop["pid"] != "wikidata":
            raise ReconcileError(
                f"unknown property {prop['pid']!r}: this service matches "
                "`wikidata` (a QID such as Q38799)"
            )
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        for value in values:
            text = value.get("id", "") if isinstance(value, Mapping) else str(value)
            text = text.rsplit("/", 1)[-1].strip()
            if not QID_RE.fullmatch(text):
                raise ReconcileError(f"`wikidata` value {text!r} is not a QID")
            qids.append(text)
    return qids


def reconcile_one(index: Mapping[str, Entity], query: Mapping[str, Any]) -> dict[str, Any]:
    """The scored candidates for one reconciliation query."""
    if not isinstance(query, Mapping):
        raise ReconcileError("each query in the batch is an object")
    text = query.get("query", "")
    if not isinstance(text, str):
        raise ReconcileError("`query` is a string")
    types = _types_of(query)
    qids = _wanted_qids(query)
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int | float) or limit < 1:
        raise ReconcileError("`limit` is a positive number")
    strict = query.get("type_strict", "any")
    candidates = []
    for entity in index.values():
        own = {t for t, _label in entity.types} | entity.tops
        if types and (not set(types) & own if strict != "all" else not set(types) <= own):
            continue
        score, _is_label = name_score(text, entity.names) if text else (0.0, False)
        if qids:
            if entity.qid in qids:
                score = 100.0
            elif entity.qid:
                score = max(0.0, score - 30.0)  # a different Wikidata item: unlikely
        if score <= 0:
            continue
        candidates.append((score, entity))
    candidates.sort(key=lambda c: (-c[0], c[1].id))
    top = candidates[: int(limit)]
    result = []
    for rank, (score, entity) in enumerate(top):
        runner_up = candidates[rank + 1][0] if rank + 1 < len(candidates) else 0.0
        result.append(
            {
                "id": entity.id,
                "name": entity.label,
                "description": entity.comment,
                "score": score,
                "match": rank == 0 and score >= MATCH_SCORE and score - runner_up >= 5.0,
                "type": [{"id": t, "name": label} for t, label in sorted(entity.types)],
                "features": [{"id": "name", "value": score}],
            }
        )
    return {"result": result}


def manifest(base_url: str = DEFAULT_BASE) -> dict[str, Any]:
    """The service manifest (API v0.2) with absolute URLs on the serving host."""
    service = base_url.rstrip("/") + PREFIX
    return {
        "versions": ["0.2"],
        "name": "hamas-russia-kg entities",
        "identifierSpace": KG,
        "schemaSpace": HRKG,
        "documentation": "https://w3id.org/hrkg/",
        "view": {"url": KG + "{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": 400, "height": 200},
        "suggest": {"entity": {"service_url": service, "service_path": "/suggest/entity"}},
        "defaultTypes": [
            {"id": name, "name": re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()}
            for name in TOP_CLASSES
        ],
        "batchSize": MAX_QUERIES,
    }


def preview(index: Mapping[str, Entity], entity_id: str) -> str:
    """A small HTML page summarising one entity (for OpenRefine's preview iframe)."""
    entity = index.get(entity_id)
    if entity is None:
        raise KeyError(entity_id)
    types = ", ".join(label for _t, label in sorted(entity.types))
    alts = "; ".join(sorted(entity.alts))
    wikidata = (
        f'<p>Wikidata: <a href="https://www.wikidata.org/wiki/{entity.qid}">{entity.qid}</a></p>'
        if entity.qid
        else "<p>No Wikidata link.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(entity.label)}</title></head><body>"
        f"<h1>{html.escape(entity.label)}</h1><p>{html.escape(types)}</p>"
        + (f"<p>Also: {html.escape(alts)}</p>" if alts else "")
        + (f"<p>{html.escape(entity.comment)}</p>" if entity.comment else "")
        + wikidata
        + f'<p><a href="{html.escape(KG + entity.id)}">{html.escape(KG + entity.id)}'
        "</a></p></body></html>\n"
    )


def suggest(
    index: Mapping[str, Entity], prefix: str, cursor: int = 0, size: int = 10
) -> dict[str, Any]:
    """Entities one of whose names (or name words) starts with the typed prefix."""
    wanted = normalise(prefix)
    hits = []
    for entity in index.values():
        names = [normalise(n) for n in entity.names]
        if not wanted or any(n.startswith(wanted) or f" {wanted}" in f" {n}" for n in names):
            starts = any(n.startswith(wanted) for n in names)
            hits.append((0 if starts else 1, entity.label.casefold(), entity))
    hits.sort(key=lambda h: (h[0], h[1]))
    return {
        "result": [
            {
                "id": e.id,
                "name": e.label,
                "description": e.comment,
                "notable": [{"id": t, "name": label} for t, label in sorted(e.types)],
            }
            for _rank, _name, e in hits[cursor : cursor + size]
        ]
    }


def _first(params: Mapping[str, Any], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list | tuple):
        return str(value[0]) if value else None
    return None if value is None else str(value)


def _json(status: int, payload: Any, callback: str | None) -> tuple[int, str, bytes]:
    body = json.dumps(payload, ensure_ascii=False, indent=1)
    if callback:
        return status, "application/javascript; charset=utf-8", f"{callback}({body});".encode()
    return status, JSON, body.encode()


def handle(
    store: ox.Store, method: str, path: str, params: Mapping[str, Any], base_url: str = DEFAULT_BASE
) -> tuple[int, str, bytes]:
    """Answer one request under /reconcile: (HTTP status, content type, body).

    `params` holds the query-string and form fields (a value or a list of values).
    """
    callback = _first(params, "callback")
    if callback is not None and not CALLBACK_RE.fullmatch(callback):
        return 400, "text/plain; charset=utf-8", b"`callback` must be a JavaScript name"
    if method not in ("GET", "POST", "HEAD"):
        return 405, "text/plain; charset=utf-8", b"Use GET or POST."
    sub = path[len(PREFIX) :] if path.startswith(PREFIX) else path
    try:
        if sub in ("", "/"):
            queries = _first(params, "queries")
            if queries is None:
                return _json(200, manifest(base_url), callback)
            return _json(200, reconcile_batch(entities(store), queries), callback)
        if sub == "/preview":
            entity_id = _first(params, "id") or ""
            try:
                page = preview(entities(store), entity_id)
            except KeyError:
                return 404, "text/plain; charset=utf-8", f"No entity {entity_id!r}.".encode()
            return 200, "text/html; charset=utf-8", page.encode()
        if sub == "/suggest/entity":
            cursor = int(_first(params, "cursor") or 0)
            return _json(
                200, suggest(entities(store), _first(params, "prefix") or "", cursor), callback
            )
    except BatchTooLarge as err:
        return 413, "text/plain; charset=utf-8", str(err).encode()
    except (ReconcileError, ValueError) as err:
        return 400, "text/plain; charset=utf-8", str(err).encode()
    return (
        404,
        "text/plain; charset=utf-8",
        (
            b"Not found. The reconciliation service is /reconcile (manifest), with "
            b"/reconcile/preview?id= and /reconcile/suggest/entity?prefix=."
        ),
    )


def reconcile_batch(index: Mapping[str, Entity], queries: str) -> dict[str, Any]:
    """Answer a batch given as the JSON text of the `queries` parameter."""
    try:
        batch = json.loads(queries)
    except json.JSONDecodeError as err:
        raise ReconcileError(f"`queries` is not JSON: {err}") from None
    if not isinstance(batch, dict):
        raise ReconcileError("`queries` is a JSON object of queries keyed by id")
    if len(batch) > MAX_QUERIES:
        raise BatchTooLarge(f"at most {MAX_QUERIES} queries in one batch (batchSize)")
    return {key: reconcile_one(index, query) for key, query in batch.items()}
