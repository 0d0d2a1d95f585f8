"""`hrkg load`: the embedded store and real SPARQL endpoints (Oxigraph server, Virtuoso).

Loads must replace rather than append (idempotent), be verified by reading the counts
back, leave the old content in place when they break off, and never show credentials.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from hrkg.cli import main
from hrkg.publish import load
from stores import SAMPLE_GRAPH
from stores.engines import OxigraphServer, VirtuosoServer, http_query

pytest_plugins = ["stores.fixtures"]

GRAPHS = {
    SAMPLE_GRAPH + name: count
    for name, count in (("ontology", 12), ("entities", 14), ("source-sample", 25), ("inferred", 7))
}


def counts(url: str, extra: list[tuple[str, str]] | None = None) -> dict[str, int]:
    answer = http_query(
        url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", extra or []
    )
    out = {}
    for graph, number in answer.rows:
        name = graph.strip("<>")
        if name.startswith(SAMPLE_GRAPH):
            out[name] = int(number.split('"')[1])
    return out


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`hrkg load` in a subprocess, so stdout, stderr and exit code are the real ones."""
    return subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "load", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


# --- pieces --------------------------------------------------------------------------------


def test_batches_keep_blank_node_groups_together(sample_nq: Path) -> None:
    import pyoxigraph as ox

    graphs = load.read_dump(sample_nq)
    source = graphs[SAMPLE_GRAPH + "source-sample"]
    batches = list(load.batches(source, 2))
    assert sum(len(b) for b in batches) == len(source)
    owner: dict[str, int] = {}
    for index, batch in enumerate(batches):
        for triple in batch:
            for term in (triple.subject, triple.object):
                if isinstance(term, ox.BlankNode):
                    assert owner.setdefault(term.value, index) == index
    with_blanks = [b for b in batches if any(isinstance(t.subject, ox.BlankNode) for t in b)]
    # the quote selector (link, type, exact) and the position selector (link, type, start, end)
    assert sorted(len(b) for b in with_blanks) == [3, 4]
    assert "WHERE {}" in load.insert("urn:x:g", with_blanks[0])
    assert load.insert("urn:x:g", batches[0]).startswith("INSERT DATA")


def test_read_dump_refuses_default_graph_triples(tmp_path: Path) -> None:
    dump = tmp_path / "default.nq"
    dump.write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
    with pytest.raises(load.LoadError, match="outside named graphs"):
        load.read_dump(dump)


def test_credentials_in_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(load.LoadError) as err:
        load.check_url("http://loader:hunter2-secret@127.0.0.1:1/store")
    assert "hunter2-secret" not in str(err.value)
    assert load.redact("http://u:pw@host:8890/x?y=1") == "http://host:8890/x?y=1"


# --- embedded store ------------------------------------------------------------------------


def test_embedded_load_is_verified_and_idempotent(
    sample_nq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    for _ in range(2):
        assert main(["load", "--dump", str(sample_nq), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "graph" in out and "read back" in out and "4/4 graphs verified" in out
    opened = ox.Store.read_only(str(store))
    assert len(opened) == sum(GRAPHS.values())
    assert not list(tmp_path.glob(".store.*")), "temporary stores left behind"


def test_embedded_mismatch_leaves_the_old_store(
    sample_nq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    old = ox.Store(str(store))
    old.add(
        ox.Quad(
            ox.NamedNode("https://example.org/old"),
            ox.NamedNode("https://example.org/p"),
            ox.Literal("kept"),
            ox.NamedNode(SAMPLE_GRAPH + "old"),
        )
    )
    del old
    monkeypatch.setattr(load, "count_embedded", lambda _store, _graph: -1)
    assert main(["load", "--dump", str(sample_nq), "--store", str(store), "--quiet"]) == 1
    assert len(ox.Store.read_only(str(store))) == 1


def test_missing_dump_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["load", "--dump", str(tmp_path / "nope.nq"), "--store", str(tmp_path)]) == 2


# --- Oxigraph server -------------------------------------------------------------------------


@pytest.mark.server
def test_gsp_load_into_oxigraph_twice(oxigraph_server: OxigraphServer, sample_nq: Path) -> None:
    for _ in range(2):
        done = run_cli(
            "--dump",
            str(sample_nq),
            "--endpoint",
            oxigraph_server.gsp_url,
            "--query-endpoint",
            oxigraph_server.query_url,
        )
        assert done.returncode == 0, done.stderr
        assert "GSP PUT" in done.stdout and "MISMATCH" not in done.stdout
    assert counts(oxigraph_server.query_url) == GRAPHS


@pytest.mark.server
def test_update_fallback_when_gsp_is_refused(
    oxigraph_server: OxigraphServer, sample_nq: Path
) -> None:
    """PUT on the query URL is refused (404): the loader switches to SPARQL Update."""
    for _ in range(2):
        done = run_cli(
            "--dump",
            str(sample_nq),
            "--endpoint",
            oxigraph_server.query_url,
            "--update-endpoint",
            oxigraph_server.update_url,
            "--query-endpoint",
            oxigraph_server.query_url,
            "--batch-size",
            "4",
        )
        assert done.returncode == 0, done.stderr
        assert "using SPARQL Update" in done.stderr and "Update+MOVE" in done.stdout
    assert counts(oxigraph_server.query_url) == GRAPHS
    leftovers = http_query(
        oxigraph_server.query_url,
        'SELECT ?g WHERE { GRAPH ?g {} FILTER(STRSTARTS(STR(?g), "urn:uuid:")) }',
    )
    assert leftovers.rows == ()


@pytest.mark.server
def test_broken_off_update_load_keeps_the_old_graph(
    oxigraph_server: OxigraphServer, sample_nq: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = oxigraph_server
    args = argparse.Namespace(
        endpoint=None,
        update_endpoint=base.update_url,
        query_endpoint=base.query_url,
        protocol="update",
        batch_size=3,
        timeout=30.0,
    )
    graphs = load.read_dump(sample_nq)
    assert all(r.status == "ok" for r in load.load_remote(graphs, args, lambda _m: None))
    before = counts(base.query_url)

    real_update = load.Client.update
    calls = {"n": 0}

    def failing_update(self: load.Client, endpoint: str, update: str) -> None:
        calls["n"] += 1
        if update.startswith("INSERT") and calls["n"] > 3:
            raise load.LoadError("connection reset (simulated)")
        real_update(self, endpoint, update)

    monkeypatch.setattr(load.Client, "update", failing_update)
    changed = {g: t[:-1] for g, t in graphs.items()}  # would shrink every graph by one
    reports = load.load_remote(changed, args, lambda _m: None)
    assert reports[0].status == "FAILED"
    assert all(r.error == "not attempted" for r in reports[1:])
    assert counts(base.query_url) == before
    temporary = http_query(
        base.query_url, 'SELECT ?g WHERE { GRAPH ?g {} FILTER(STRSTARTS(STR(?g), "urn:uuid:")) }'
    )
    assert temporary.rows == (), "the temporary graph was not dropped"


@pytest.mark.server
def test_count_mismatch_exits_1(
    oxigraph_server: OxigraphServer,
    sample_nq: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(load.Client, "count", lambda self, endpoint, graph: 0)
    code = main(
        [
            "load",
            "--dump",
            str(sample_nq),
            "--endpoint",
            oxigraph_server.gsp_url,
            "--query-endpoint",
            oxigraph_server.query_url,
            "--quiet",
        ]
    )
    assert code == 1
    assert "MISMATCH" in capsys.readouterr().out


# --- Virtuoso --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def virtuoso_loader(virtuoso_server: VirtuosoServer) -> tuple[str, str]:
    """A Virtuoso account made for the test, with a random password and update rights."""
    user, password = "hrkg_loader", "pw-" + secrets.token_hex(8)
    virtuoso_server.isql(
        f"DB.DBA.USER_CREATE('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\";"
    )
    return user, password


@pytest.mark.server
@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_virtuoso_load_with_credentials_never_shown(
    virtuoso_server: VirtuosoServer,
    virtuoso_loader: tuple[str, str],
    sample_nq: Path,
    protocol: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user, password = virtuoso_loader
    env = dict(os.environ, HRKG_ENDPOINT_USER=user, HRKG_ENDPOINT_PASSWORD=password)
    target = (
        ["--endpoint", virtuoso_server.gsp_url]
        if protocol == "gsp"
        else ["--update-endpoint", virtuoso_server.update_url]
    )
    with caplog.at_level(logging.DEBUG):
        for _ in range(2):
            done = run_cli(
                "--dump",
                str(sample_nq),
                *target,
                "--query-endpoint",
                virtuoso_server.query_url,
                env=env,
            )
            assert done.returncode == 0, done.stderr
            assert password not in done.stdout + done.stderr
            assert ("GSP PUT" if protocol == "gsp" else "Update+MOVE") in done.stdout
    assert password not in caplog.text
    params = [("default-graph-uri", g) for g in GRAPHS] + [("named-graph-uri", g) for g in GRAPHS]
    assert counts(virtuoso_server.query_url, params) == GRAPHS


@pytest.mark.server
def test_virtuoso_wrong_password_fails_without_echo(
    virtuoso_server: VirtuosoServer, virtuoso_loader: tuple[str, str], sample_nq: Path
) -> None:
    wrong = "wrong-" + secrets.token_hex(8)
    env = dict(os.environ, HRKG_ENDPOINT_USER=virtuoso_loader[0], HRKG_ENDPOINT_PASSWORD=wrong)
    done = run_cli(
        "--dump",
        str(sample_nq),
        "--endpoint",
        virtuoso_server.gsp_url,
        "--query-endpoint",
        virtuoso_server.query_url,
        env=env,
    )
    assert done.returncode == 1
    assert "401" in done.stdout + done.stderr and "credentials" in done.stdout + done.stderr
    assert wrong not in done.stdout + done.stderr
