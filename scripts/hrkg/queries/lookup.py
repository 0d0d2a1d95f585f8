"""Find curated entities by name, slug or Wikidata QID, ignoring accents, case and punctuation.

Analysts type "Abu Marzook", "ben-zvi", "Zakharova" or "wd:Q159", not `kg:musa-abu-marzouk`. The
names come from one query shipped with the package (builtin/names.rq) over the built store;
matching is done here: exact (after folding), then partial (all words of the query in one name),
then the closest spellings (difflib) as a suggestion. `resolve` turns a parameter value into one
IRI or raises LookupFailed with a message that says what was meant, never returning nothing
silently.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.rdf import KG, WIKIDATA_ENTITY

if TYPE_CHECKING:
    import pyoxigraph as ox

    from hrkg.queries.catalog import QueryFile

NAMES_QUERY = Path("names.rq")  # relative to BUILTIN_QUERIES
EXISTS_QUERY = Path("exists.rq")
CLOSEST_CUTOFF = 0.75
_QID = re.compile(r"^(?:wd:|<?http://www\.wikidata\.org/entity/)?(Q[1-9][0-9]*)>?$", re.IGNORECASE)

BUILTIN_QUERIES = Path(__file__).parent / "builtin"
"""The toolkit's own SPARQL (names, existence, descriptions): it ships with the package."""


class LookupFailed(LookupError):
    """No entity (or more than one) answers to a name; str() says which and suggests others."""


def fold(text: str) -> str:
    """Lower case, no accents, each run of non-alphanumerics one space: 'Ben-Zvi' → 'ben zvi'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[^0-9a-z]+", bare.casefold())).strip()


@dataclass(frozen=True)
class Entity:
    """A curated entity and every name it answers to."""

    iri: str
    label: str
    kind: str
    qid: str
    names: tuple[str, ...]

    @property
    def curie(self) -> str:
        return "kg:" + self.iri[len(KG) :] if self.iri.startswith(KG) else self.iri

    @property
    def slug(self) -> str:
        return self.iri[len(KG) :] if self.iri.startswith(KG) else ""


@dataclass(frozen=True)
class Match:
    """One entity found for a query: how (exact, partial, closest), by which name, how close."""

    entity: Entity
    how: str
    name: str
    score: float


class Index:
    """The names of the curated entities, folded, ready for matching."""

    def __init__(self, entities: list[Entity], queries_dir: Path = BUILTIN_QUERIES) -> None:
        self.entities = entities
        self.queries_dir = queries_dir
        self._keys: list[tuple[str, str, Entity]] = []  # (folded key, shown name, entity)
        for entity in entities:
            shown = [*entity.names, entity.slug]
            for name in dict.fromkeys(n for n in shown if n):
                self._keys.append((fold(name), name, entity))
            if entity.qid:
                self._keys.append((entity.qid.casefold(), entity.qid, entity))

    @classmethod
    def from_store(cls, store: ox.Store, queries_dir: Path = BUILTIN_QUERIES) -> Index:
        from hrkg.queries.catalog import load_query
        from hrkg.queries.params import expand_iri
        from hrkg.queries.run import run_oxigraph

        result = run_oxigraph(store, load_query(queries_dir / NAMES_QUERY))
        col = {name: i for i, name in enumerate(result.columns)}
        found: dict[str, dict[str, object]] = {}
        for row in result.rows:
            iri = expand_iri(row[col["entity"]])
            item = found.setdefault(
                iri, {"label": row[col["label"]], "names": [], "qid": "", "kind": ""}
            )
            if row[col["class"]]:
                item["kind"] = row[col["class"]].removeprefix("hrkg:")
            if row[col["field"]] == "wikidata":
                item["qid"] = row[col["name"]]
            else:
                names = item["names"]
                assert isinstance(names, list)
                if row[col["name"]] not in names:
                    names.append(row[col["name"]])
        return cls(
            [
                Entity(iri, str(v["label"]), str(v["kind"]), str(v["qid"]), tuple(v["names"]))  # type: ignore[arg-type]
                for iri, v in sorted(found.items())
            ],
            queries_dir,
        )

    def by_iri(self, iri: str) -> Entity | None:
        return next((e for e in self.entities if e.iri == iri), None)

    def find(self, text: str, limit: int = 10) -> list[Match]:
        """Exact matches, else partial ones, else the closest spellings; one match per entity."""
        query = _entity_key(text)
        if not query:
            return []
        exact = self._best(k for k in self._keys if k[0] == query)
        if exact:
            return [Match(e, "exact", n, 1.0) for e, n, _ in exact][:limit]
        words = set(query.split())
        partial = self._best(
            k for k in self._keys if words <= set(k[0].split()) or f" {query} " in f" {k[0]} "
        )
        if partial:
            return [Match(e, "partial", n, 1.0) for e, n, _ in partial][:limit]
        scored: dict[str, tuple[float, str, Entity]] = {}
        for key, name, entity in self._keys:
            score = difflib.SequenceMatcher(None, query, key).ratio()
            if score >= CLOSEST_CUTOFF and score > scored.get(entity.iri, (0.0, "", entity))[0]:
                scored[entity.iri] = (score, name, entity)
        ranked = sorted(scored.values(), key=lambda t: (-t[0], t[2].label))
        return [Match(e, "closest", n, round(s, 3)) for s, n, e in ranked[: min(limit, 3)]]

    @staticmethod
    def _best(keys: object) -> list[tuple[Entity, str, float]]:
        seen: dict[str, tuple[Entity, str, float]] = {}
        for _key, name, entity in keys:  # type: ignore[attr-defined]
            seen.setdefault(entity.iri, (entity, name, 1.0))
        return sorted(seen.values(), key=lambda t: t[0].label.casefold())


def _entity_key(text: str) -> str:
    """The folded form to look up: a QID, or a name, slug, `kg:slug` or KG IRI as words."""
    text = text.strip()
    qid = _QID.match(text)
    if qid:
        return qid.group(1).casefold()
    text = text.strip("<>")
    for prefix in (KG, "kg:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return fold(text)


def describe_match(match: Match) -> str:
    e = match.entity
    via = f", as {match.name!r}" if match.name != e.label else ""
    return f"{e.curie} ({e.label}{via})"


def exists(store: ox.Store, iri: str, queries_dir: Path = BUILTIN_QUERIES) -> bool:
    """Whether any triple mentions the IRI (hrkg/queries/builtin/exists.rq)."""
    from hrkg.queries.catalog import load_query
    from hrkg.queries.run import run_oxigraph

    result = run_oxigraph(store, load_query(queries_dir / EXISTS_QUERY), {"resource": f"<{iri}>"})
    return result.rows == [("true",)]


def resolve(store: ox.Store, index: Index, value: str) -> str:
    """The IRI a parameter value names: an IRI in the graph, a QID, a slug, a label or alt label.

    An IRI or CURIE that is in the graph is taken as it is. Anything else is looked up by name;
    it must name exactly one entity, exactly or partially, or LookupFailed says why, with the
    closest names as suggestions.
    """
    from hrkg.queries.params import ParamError, expand_iri

    text = value.strip()
    qid = _QID.match(text)
    if qid:
        wanted = qid.group(1).upper()
        for entity in index.entities:
            if entity.qid.upper() == wanted:
                return entity.iri
        raise LookupFailed(f"no entity is linked to Wikidata {wanted}")
    looks_like_iri = False
    try:
        iri = expand_iri(text)
        looks_like_iri = ":" in text and " " not in text
    except ParamError:
        iri = ""
    if looks_like_iri and exists(store, iri, index.queries_dir):
        return iri
    matches = index.find(text)
    if looks_like_iri and not (iri.startswith(KG) or text.startswith("kg:")):
        # An IRI outside the KG's namespace that no triple mentions: nothing to look up by name.
        raise LookupFailed(f"{text!r} is not in the graph")
    exact = [m for m in matches if m.how in ("exact", "partial")]
    if not looks_like_iri and len(exact) == 1:
        return exact[0].entity.iri
    if looks_like_iri:
        close = matches or index.find(text.split(":", 1)[-1])
        hint = _suggest(close)
        raise LookupFailed(f"{text!r} is not in the graph{hint}")
    if len(exact) > 1:
        names = "; ".join(describe_match(m) for m in exact)
        raise LookupFailed(f"{text!r} names {len(exact)} entities: {names}; give one slug")
    raise LookupFailed(f"no entity is called {text!r}{_suggest(matches)}")


def _suggest(matches: list[Match]) -> str:
    if not matches:
        return " (try hrkg find NAME)"
    return "; did you mean " + " or ".join(describe_match(m) for m in matches[:3]) + "?"


def wikidata_iri(qid: str) -> str:
    return WIKIDATA_ENTITY + qid


def resolve_params(
    store: ox.Store,
    query: QueryFile,
    given: dict[str, str],
    index: Index | None = None,
    queries_dir: Path = BUILTIN_QUERIES,
) -> dict[str, str]:
    """`given` with every IRI parameter (given or defaulted) turned into a full `<IRI>`.

    Names, slugs and QIDs are looked up; an IRI no triple mentions raises LookupFailed, so a
    typo never yields a silently empty answer. Other kinds pass through unchanged.
    """
    resolved = dict(given)
    for param in query.params:
        value = given.get(param.name, param.default)
        if param.kind != "iri" or value is None:
            continue
        if index is None:
            index = Index.from_store(store, queries_dir)
        try:
            resolved[param.name] = f"<{resolve(store, index, value)}>"
        except LookupFailed as err:
            raise LookupFailed(f"parameter {param.name}: {err}") from None
    return resolved
