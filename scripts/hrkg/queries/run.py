"""Running a stored query on pyoxigraph (the product's engine) or rdflib (the reference)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrkg.queries.catalog import QueryFile
from hrkg.queries.params import bind_params
from hrkg.queries.results import (
    ASK_COLUMNS,
    Result,
    normalise_ox,
    normalise_rdflib,
    triple_cell_ox,
    triple_cell_rdflib,
    triples_result,
)

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib


def engine_answer(
    store: ox.Store,
    q: QueryFile,
    params: dict[str, str] | None = None,
    allowed_services: Sequence[str] = (),
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """pyoxigraph's own answer object. The default graph is the union of the named graphs
    unless the query has FROM / FROM NAMED of its own (then exactly that dataset). A SERVICE
    call to an endpoint not in `allowed_services` raises ServiceRefused before anything runs."""
    import pyoxigraph as ox

    from hrkg.queries.guard import names_dataset, refuse_service

    refused = refuse_service(q.text, allowed_services)
    if refused:
        raise refused
    bound = bind_params(q, params)
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): term for name, term in bound.items()
    }
    return store.query(
        q.text,
        use_default_graph_as_union=not names_dataset(q.text),
        substitutions=substitutions or None,
    )


def run_oxigraph(
    store: ox.Store,
    q: QueryFile,
    params: dict[str, str] | None = None,
    allowed_services: Sequence[str] = (),
) -> Result:
    """The normalised result of a query on a pyoxigraph store (see engine_answer)."""

    answer = engine_answer(store, q, params, allowed_services)
    if q.form == "ASK":
        return Result(ASK_COLUMNS, [("true" if bool(answer) else "false",)], ordered=False)
    if q.form in ("CONSTRUCT", "DESCRIBE"):
        return triples_result(
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

    from hrkg.rdf import to_rdflib

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
        return triples_result(
            (
                (triple_cell_rdflib(s), triple_cell_rdflib(p), triple_cell_rdflib(o))
                for s, p, o in graph
            )
        )
    variables = [str(v) for v in (answer.vars or [])]
    rows = [
        tuple(normalise_rdflib(row[i]) for i in range(len(variables)))  # type: ignore[index]
        for row in answer
    ]
    return Result(tuple(variables), rows, ordered=q.ordered)


class StoreMissing(Exception):
    """No built store where one was expected; the message says how to make one."""


def open_store(dist: Path) -> ox.Store:
    """The built store `dist/store`, opened read-only (nothing here builds it)."""
    import pyoxigraph as ox

    store_path = dist / "store"
    if not (store_path / "CURRENT").exists() and not store_path.is_dir():
        raise StoreMissing(f"no built store at {store_path}; run 'hrkg build' first")
    try:
        return ox.Store.read_only(str(store_path))
    except OSError as err:
        raise StoreMissing(f"cannot open the store {store_path}: {err}") from None
