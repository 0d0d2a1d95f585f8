"""The Python API: the built knowledge graph for notebooks and scripts.

    >>> import hrkg
    >>> kg = hrkg.open()                                   # dist/store of the project here
    >>> kg.query("07-claims-about", actor="Hamas")         # rows, with a label beside each IRI
    >>> kg.find("Zakharova")                               # entities by name, variant, QID
    >>> kg.describe("kg:maria-zakharova")                  # what the graph says about one

Stored queries are named as `hrkg query --list` shows them (a unique prefix will do); any
SPARQL text works too. IRI parameters take names, slugs or QIDs like the CLI; an unknown name
raises LookupError instead of returning an empty answer. `Rows.to_pandas()` needs pandas (the
`pandas` extra).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas
    import pyoxigraph as ox

    from hrkg.queries.catalog import QueryFile
    from hrkg.queries.lookup import Index, Match


def open(
    project: str | os.PathLike[str] | None = None,
    *,
    dist: str | os.PathLike[str] | None = None,
    build: bool = True,
) -> KnowledgeGraph:
    """The built graph of the project in the cwd (or `project`), building dist/ if it is missing.

    The built folder is `dist`, else $HRKG_DIST, else the project's dist/. (The name shadows
    the builtin `open` inside this module only; `hrkg.open` reads as the verb it is.)
    """
    from hrkg.project import find_project

    found = find_project(Path(project) if project is not None else None)
    root = found.root
    if dist is None and os.environ.get("HRKG_DIST"):
        dist = os.environ["HRKG_DIST"]
    out = Path(dist).resolve() if dist is not None else found.dist_dir
    if not (out / "store").exists():
        if not build:
            raise FileNotFoundError(f"{out / 'store'} does not exist; run hrkg build")
        from hrkg.pipeline.build import BuildFailed
        from hrkg.pipeline.build import build as build_dist
        from hrkg.text import Steps

        try:
            build_dist(found, out, Steps(quiet=True))
        except BuildFailed as err:
            raise RuntimeError(f"hrkg build failed (exit {err.code}): {err}") from None
    import pyoxigraph as ox

    return KnowledgeGraph(ox.Store.read_only(str(out / "store")), root)


@dataclass
class Rows(Sequence[dict[str, str]]):
    """An answer: named columns, one dict per row; IRI columns have a `<column>_label` beside."""

    columns: tuple[str, ...]
    records: list[dict[str, str]]
    name: str = ""

    def __getitem__(self, index: int) -> dict[str, str]:  # type: ignore[override]
        return self.records[index]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.records)

    def column(self, name: str) -> list[str]:
        """One column's cells, in row order."""
        return [r[name] for r in self.records]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with the same columns (pip install 'hamas-russia-kg[pandas]')."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Rows.to_pandas() needs pandas: pip install pandas") from None
        return pd.DataFrame.from_records(self.records, columns=list(self.columns))

    def __str__(self) -> str:
        from hrkg.text import render

        return render(self.columns, [[r[c] for c in self.columns] for r in self.records])

    def _repr_html_(self) -> str:
        """A plain HTML table, so notebooks show an answer without pandas."""
        from html import escape

        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(r[c])}</td>" for c in self.columns) + "</tr>"
            for r in self.records
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return f"<Rows {self.name or 'answer'}: {len(self)} rows × {len(self.columns)} columns>"


@dataclass
class KnowledgeGraph:
    """The built store, read-only, with name lookup and labels at hand."""

    store: ox.Store
    root: Path
    _index: Index | None = field(default=None, repr=False)
    _labels: dict[str, str] | None = field(default=None, repr=False)

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def builtin_dir(self) -> Path:
        from hrkg.queries.lookup import BUILTIN_QUERIES

        return BUILTIN_QUERIES

    @property
    def index(self) -> Index:
        from hrkg.queries.lookup import Index

        if self._index is None:
            self._index = Index.from_store(self.store, self.builtin_dir)
        return self._index

    def labels(self) -> dict[str, str]:
        """Every resource's label, by the short form the answers use (kg:hamas → Hamas)."""
        from hrkg.queries.catalog import load_query
        from hrkg.queries.run import run_oxigraph

        if self._labels is None:
            result = run_oxigraph(self.store, load_query(self.builtin_dir / "labels.rq"))
            labels: dict[str, str] = {}
            for resource, label in result.rows:
                labels.setdefault(resource, label)
            self._labels = labels
        return self._labels

    def stored(self, name: str) -> QueryFile:
        """A stored query by name or unique prefix ("07" or "07-claims-about")."""
        from hrkg.queries.catalog import load_query

        exact = self.queries_dir / f"{name}.rq"
        if exact.exists():
            return load_query(exact)
        matches = sorted(self.queries_dir.glob(f"{name}*.rq"))
        if len(matches) != 1:
            known = ", ".join(p.stem for p in sorted(self.queries_dir.glob("*.rq")))
            raise KeyError(f"no single stored query matches {name!r}; known: {known}")
        return load_query(matches[0])

    def query(self, query: str, **params: str) -> Rows:
        """Run a stored query (by name) or SPARQL text; IRI parameters may be names or QIDs."""
        from hrkg.queries.adhoc import adhoc_query
        from hrkg.queries.lookup import LookupFailed, resolve_params
        from hrkg.queries.run import run_oxigraph

        q = adhoc_query(query, "<text>", params) if _is_sparql(query) else self.stored(query)
        try:
            resolved = resolve_params(self.store, q, params, self.index, self.builtin_dir)
        except LookupFailed as err:
            raise LookupError(f"{q.name}: {err}") from None
        return self._with_labels(run_oxigraph(self.store, q, resolved), q.name)

    def find(self, name: str, limit: int = 10) -> Rows:
        """Entities answering to a name, spelling variant, slug or QID (closest spellings last)."""
        matches: list[Match] = self.index.find(name, limit)
        columns = ("entity", "label", "kind", "qid", "match", "name")
        records = [
            dict(
                zip(
                    columns,
                    (m.entity.curie, m.entity.label, m.entity.kind, m.entity.qid, m.how, m.name),
                    strict=True,
                )
            )
            for m in matches
        ]
        return Rows(columns, records, f"find {name!r}")

    def resolve(self, name: str) -> str:
        """The full IRI of the one entity `name` (or IRI, slug, QID) stands for."""
        from hrkg.queries.lookup import LookupFailed, resolve

        try:
            return resolve(self.store, self.index, name)
        except LookupFailed as err:
            raise LookupError(str(err)) from None

    def describe(self, resource: str) -> Rows:
        """The triples about a resource (an IRI, kg:slug or entity name), closure left out."""
        from hrkg.queries.catalog import load_query
        from hrkg.queries.run import run_oxigraph

        iri = self.resolve(resource)
        q = load_query(self.builtin_dir / "describe.rq")
        return self._with_labels(
            run_oxigraph(self.store, q, {"resource": f"<{iri}>"}), f"describe {resource}"
        )

    def export(self, out: str | os.PathLike[str]) -> dict[str, int]:
        """Write the CSV tables and csv-metadata.json (as `hrkg export`); rows per table."""
        from hrkg.publish.export.write import export

        return export(self.store, Path(out))

    def _with_labels(self, result: Any, name: str) -> Rows:
        labels = self.labels()
        iri_columns = [
            c for i, c in enumerate(result.columns) if any(row[i] in labels for row in result.rows)
        ]
        columns: list[str] = []
        for column in result.columns:
            columns.append(column)
            if column in iri_columns:
                columns.append(f"{column}_label")
        records = []
        for row in result.rows:
            record = dict(zip(result.columns, row, strict=True))
            for column in iri_columns:
                record[f"{column}_label"] = labels.get(record[column], "")
            records.append({c: record[c] for c in columns})
        return Rows(tuple(columns), records, name)


def _is_sparql(text: str) -> bool:
    return any(ch.isspace() for ch in text.strip()) or "{" in text


__all__ = ["KnowledgeGraph", "Rows", "open"]
