"""`hrkg load`: the embedded store and real SPARQL endpoints (Oxigraph server, Virtuoso).

Loads must replace rather than append (idempotent), refuse a dump that differs from the
build's record before touching anything, be all-or-nothing against every endpoint kind
(a failure at any request, or the server killed, leaves every graph as it was, with no
temporary graph left behind), read the counts back, and never show credentials.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hrkg.cli import main
from hrkg.publish import http, load, remote
from hrkg.publish.manifest import MANIFEST, write_manifest
from stores import SAMPLE_GRAPH
from stores.engines import OxigraphServer, VirtuosoServer, http_query
from stores.fake_gsp import FakeStore, fake_gsp

pytest_plugins = ["stores.fixtures"]

GRAPHS = {
    SAMPLE_GRAPH + name: count
    for name, count in (("ontology", 12), ("entities", 14), ("source-sample", 25), ("inferred", 7))
}
OTHER_GRAPH = "https://example.org/someone-else/graph"


def counts(url: str, extra: list[tuple[str, str]] | None = None) -> dict[str, int]:
    """Triples per graph of the store (every graph, the temporary ones included)."""
    answer = http_query(
        url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", extra or []
    )
    return {graph.strip("<>"): int(number.split('"')[1]) for graph, number in answer.rows}


def ours(url: str) -> dict[str, int]:
    return {g: n for g, n in counts(url).items() if g.startswith(SAMPLE_GRAPH)}


def temporary_graphs(url: str) -> list[str]:
    return [g for g in counts(url) if g.startswith(remote.TEMP_PREFIX)]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`hrkg load` in a subprocess, so stdout, stderr and exit code are the real ones."""
    return subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "load", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def recorded(source: Path, folder: Path, keep: Callable[[str], bool] = lambda _g: True) -> Path:
    """`source`'s graphs kept by `keep`, as hrkg.nq in `folder` with the build's record."""
    import pyoxigraph as ox

    folder.mkdir(parents=True, exist_ok=True)
    quads = [
        q
        for q in ox.parse(path=str(source))
        if isinstance(q.graph_name, ox.NamedNode) and keep(q.graph_name.value)
    ]
    dump = folder / "hrkg.nq"
    ox.serialize(quads, str(dump), ox.RdfFormat.N_QUADS)
    write_manifest(quads, folder, ["hrkg.nq"])
    return dump


@pytest.fixture
def dump(sample_nq: Path, tmp_path: Path) -> Path:
    """The sample dataset as a dump with its build record, in a folder of its own."""
    return recorded(sample_nq, tmp_path / "dist")


@pytest.fixture
def shrunk(sample_nq: Path, tmp_path: Path) -> Path:
    """The same dataset one triple smaller in every graph (a different, valid dump)."""
    import pyoxigraph as ox

    seen: set[str] = set()
    quads = []
    for quad in ox.parse(path=str(sample_nq)):
        name = str(quad.graph_name)
        if name in seen or any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object)):
            quads.append(quad)
        else:
            seen.add(name)  # the first plain triple of each graph is left out
    folder = tmp_path / "shrunk"
    folder.mkdir()
    ox.serialize(quads, str(folder / "hrkg.nq"), ox.RdfFormat.N_QUADS)
    write_manifest(quads, folder, ["hrkg.nq"])
    return folder / "hrkg.nq"


def namespace(**kwargs: object) -> argparse.Namespace:
    defaults: dict[str, object] = dict(
        endpoint=None,
        update_endpoint=None,
        query_endpoint=None,
        protocol="auto",
        batch_size=1000,
        timeout=30.0,
        prune=False,
    )
    defaults.update(kwargs)
    return argparse.Namespace(**defaults)


# --- pieces --------------------------------------------------------------------------------


def test_batches_keep_blank_node_groups_together(dump: Path) -> None:
    import pyoxigraph as ox

    graphs = load.read_dump(dump)
    source = graphs[SAMPLE_GRAPH + "source-sample"]
    batches = list(remote.batches(source, 2))
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
    assert "WHERE {}" in remote.insert("urn:x:g", with_blanks[0])
    assert remote.insert("urn:x:g", batches[0]).startswith("INSERT DATA")


def test_read_dump_refuses_default_graph_triples(tmp_path: Path) -> None:
    dump = tmp_path / "default.nq"
    dump.write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
    with pytest.raises(load.LoadError, match="outside named graphs"):
        load.read_dump(dump, verify=False)


def test_graph_namespace_for_pruning() -> None:
    assert remote.graph_namespace(list(GRAPHS)) == SAMPLE_GRAPH
    assert remote.graph_namespace([SAMPLE_GRAPH + "only"]) == SAMPLE_GRAPH
    assert remote.graph_namespace(["https://a.org/g", "urn:x:g"]) == ""


# --- secrets ---------------------------------------------------------------------------------


def test_credentials_in_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(http.LoadError) as err:
        http.check_url("http://loader:hunter2-secret@127.0.0.1:1/store")
    assert "hunter2-secret" not in str(err.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://u:pw@host:8890/x", "http://host:8890/x"),
        ("http://host/sparql?key=s3cret&graph=g", "http://host/sparql?[redacted]"),
        ("https://host/sparql", "https://host/sparql"),
    ],
)
def test_printed_urls_lose_user_info_and_query_string(url: str, shown: str) -> None:
    assert http.redact(url) == shown


def test_echoed_headers_and_passwords_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(http.USER_ENV, "loader")
    monkeypatch.setenv(http.PASSWORD_ENV, "pw-Zq81x")
    echoed = (
        "error: bad request\nAuthorization: Basic bG9hZGVyOnB3LVpxODF4\n"
        "you sent password=pw-Zq81x to http://loader:pw-Zq81x@h/x?api_key=k3y-99 ok"
    )
    text = http.snippet(echoed.encode())
    for secret in ("pw-Zq81x", "bG9hZGVyOnB3LVpxODF4", "k3y-99"):
        assert secret not in text
    assert text.startswith("error: bad request Authorization: [redacted]")


# --- the build's record ------------------------------------------------------------------------


def test_the_build_records_every_dump_and_the_graph_counts(fixture_build: Path) -> None:
    import pyoxigraph as ox

    record = json.loads((fixture_build / MANIFEST).read_text(encoding="utf-8"))
    assert {"hrkg.nq", "hrkg.trig", "hrkg.ttl", "hrkg.jsonld"} <= set(record["files"])
    store = ox.Store.read_only(str(fixture_build / "store"))
    for graph, number in record["graphs"].items():
        assert load.count_embedded(store, graph) == number
    assert sum(record["graphs"].values()) == len(store)
    assert load.read_dump(fixture_build / "hrkg.nq")  # the build's own dump passes


def edited(data: bytes) -> bytes:
    """One literal's character changed: same size, same graphs, different content."""
    at = data.index(b'"') + 1
    return data[:at] + (b"X" if data[at : at + 1] != b"X" else b"Y") + data[at + 1 :]


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda d: d[: d.rindex(b"\n", 0, len(d) // 2) + 1], "bytes, the build wrote"),
        (lambda _d: b"", "0 bytes"),
        (edited, "SHA-256"),
    ],
    ids=["cut-at-a-line", "empty", "edited"],
)
def test_a_dump_unlike_the_record_is_refused_before_any_store_is_touched(
    dump: Path,
    tmp_path: Path,
    damage: Callable[[bytes], bytes],
    why: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    assert main(["load", "--dump", str(dump), "--store", str(store), "--quiet"]) == 0
    dump.write_bytes(damage(dump.read_bytes()))
    capsys.readouterr()
    assert main(["load", "--dump", str(dump), "--store", str(store), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "refusing" in err and why in err and len(err.strip().splitlines()) == 1
    assert len(ox.Store.read_only(str(store))) == sum(GRAPHS.values())


def test_a_dump_without_a_record_is_refused_unless_asked(
    sample_nq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lone = tmp_path / "lone" / "hrkg.nq"
    lone.parent.mkdir()
    shutil.copy(sample_nq, lone)
    store = tmp_path / "store"
    assert main(["load", "--dump", str(lone), "--store", str(store), "--quiet"]) == 2
    assert "no build record manifest.json" in capsys.readouterr().err
    assert not store.exists()
    assert main(["load", "--dump", str(lone), "--store", str(store), "--no-verify-dump"]) == 0
    assert "without checking it" in capsys.readouterr().err


def test_an_empty_dump_is_refused_even_unverified(tmp_path: Path) -> None:
    empty = tmp_path / "empty.nq"
    empty.write_bytes(b"")
    with pytest.raises(load.LoadError, match="no triples"):
        load.read_dump(empty, verify=False)


def test_graph_counts_are_checked_too(dump: Path) -> None:
    """A record whose counts disagree with its digest's file (a hand-edited record)."""
    path = dump.parent / MANIFEST
    record = json.loads(path.read_text(encoding="utf-8"))
    record["graphs"][SAMPLE_GRAPH + "entities"] += 1
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(load.LoadError, match=r"entities: 14 \(build: 15\)"):
        load.read_dump(dump)


# --- embedded store ------------------------------------------------------------------------


def test_embedded_load_is_verified_and_idempotent(
    dump: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    for _ in range(2):
        assert main(["load", "--dump", str(dump), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "graph" in out and "read back" in out and "4/4 graphs verified" in out
    opened = ox.Store.read_only(str(store))
    assert len(opened) == sum(GRAPHS.values())
    assert not list(tmp_path.glob(".store.new-*")), "temporary stores left behind"


def test_embedded_mismatch_leaves_the_old_store(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
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
    assert main(["load", "--dump", str(dump), "--store", str(store), "--quiet"]) == 1
    assert len(ox.Store.read_only(str(store))) == 1


def test_disk_full_while_loading_is_one_line_and_keeps_the_store(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    import pyoxigraph as ox

    store = tmp_path / "store"
    assert main(["load", "--dump", str(dump), "--store", str(store), "--quiet"]) == 0

    def full(self: ox.Store, quads: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ox.Store, "bulk_extend", full)
    capsys.readouterr()
    assert main(["load", "--dump", str(dump), "--store", str(store), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "left as it was" in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.undo()
    assert len(ox.Store.read_only(str(store))) == sum(GRAPHS.values())
    assert not list(tmp_path.glob(".store.new-*"))


def test_missing_dump_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["load", "--dump", str(tmp_path / "nope.nq"), "--store", str(tmp_path)]) == 2


# --- a Graph Store Protocol server that fails on demand (loopback, in memory) ---------------


def fake_load(store: FakeStore, dump: Path, *extra: str) -> int:
    return main(["load", "--dump", str(dump), "--endpoint", store.url, "--quiet", *extra])


def test_gsp_alone_counts_by_get_and_prefers_n_triples(dump: Path) -> None:
    with fake_gsp() as store:
        for _ in range(2):
            assert fake_load(store, dump) == 0
        assert {g: len(t) for g, t in store.graphs.items()} == GRAPHS
        puts = [g for m, g in store.requests if m == "PUT"]
        assert len(puts) == 2 * len(GRAPHS)


def test_gsp_falls_back_to_turtle_when_n_triples_is_refused(dump: Path) -> None:
    with fake_gsp() as store:
        store.accepted_types = {"text/turtle"}
        assert fake_load(store, dump) == 0
        assert {g: len(t) for g, t in store.graphs.items()} == GRAPHS


@pytest.mark.parametrize("status", [415, 500])
@pytest.mark.parametrize("at", range(4))
def test_a_failed_put_at_any_graph_restores_every_graph(
    dump: Path, shrunk: Path, status: int, at: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with fake_gsp() as store:
        store.graphs[OTHER_GRAPH] = frozenset({"<urn:a> <urn:b> <urn:c> .\n"})
        assert fake_load(store, dump) == 0
        before = dict(store.graphs)
        failing, refusals = list(GRAPHS)[at], {"left": 2 if status == 415 else 1}

        def fault(method: str, graph: str, _headers: dict[str, str]) -> tuple[int, bytes] | None:
            if method == "PUT" and graph == failing and refusals["left"]:
                refusals["left"] -= 1  # in both media types; the restoring PUT goes through
                return status, b"simulated failure"
            return None

        store.fault = fault
        capsys.readouterr()
        assert fake_load(store, shrunk) == 1
        assert store.graphs == before
        err = capsys.readouterr().err
        assert f"HTTP {status}" in err and "restored" in err


def test_an_unreachable_store_is_one_line(dump: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with fake_gsp() as store:
        url = store.url
    assert main(["load", "--dump", str(dump), "--endpoint", url, "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("hrkg load: POST") and "Connection refused" in err
    assert len(err.splitlines()) == 1


def test_credentials_echoed_by_the_server_or_in_the_url_are_not_printed(dump: Path) -> None:
    password, key = "pw-" + secrets.token_hex(8), "key-" + secrets.token_hex(8)

    def echo(method: str, _graph: str, headers: dict[str, str]) -> tuple[int, bytes] | None:
        if method != "PUT":
            return None
        if "Authorization" not in headers:
            return 401, b"auth needed"
        lines = "\n".join(f"{k}: {v}" for k, v in headers.items())
        return 400, f"bad request; you sent:\n{lines}".encode()

    with fake_gsp() as store:
        store.fault = echo
        env = dict(os.environ, HRKG_ENDPOINT_USER="loader", HRKG_ENDPOINT_PASSWORD=password)
        done = run_cli("--dump", str(dump), "--endpoint", f"{store.url}?key={key}", env=env)
    shown = done.stdout + done.stderr
    assert done.returncode == 1
    assert password not in shown and key not in shown
    import base64

    assert base64.b64encode(f"loader:{password}".encode()).decode() not in shown
    assert "Traceback" not in shown


# --- Oxigraph server -------------------------------------------------------------------------


@pytest.fixture
def oxigraph(oxigraph_server: OxigraphServer) -> Iterator[OxigraphServer]:
    """The session's Oxigraph server, emptied of the sample's graphs after each test."""
    yield oxigraph_server
    for graph in counts(oxigraph_server.query_url):
        urllib_update(oxigraph_server, f"DROP GRAPH <{graph}>")


@pytest.mark.server
def test_oxigraph_store_alone_loads_every_graph(oxigraph: OxigraphServer, dump: Path) -> None:
    """Issue 15: --endpoint .../store only used to replace one graph, then fail the read-back
    with 415 and skip the rest. Now the counts are read back by GET."""
    for _ in range(2):
        done = run_cli("--dump", str(dump), "--endpoint", oxigraph.gsp_url)
        assert done.returncode == 0, done.stderr
        assert "GSP PUT" in done.stdout and "MISMATCH" not in done.stdout
    assert ours(oxigraph.query_url) == GRAPHS


@pytest.mark.server
def test_gsp_staging_then_one_atomic_move(oxigraph: OxigraphServer, dump: Path) -> None:
    for _ in range(2):
        done = run_cli(
            "--dump",
            str(dump),
            "--endpoint",
            oxigraph.gsp_url,
            "--update-endpoint",
            oxigraph.update_url,
            "--query-endpoint",
            oxigraph.query_url,
        )
        assert done.returncode == 0, done.stderr
        assert "GSP PUT+MOVE" in done.stdout
    assert ours(oxigraph.query_url) == GRAPHS
    assert temporary_graphs(oxigraph.query_url) == []


@pytest.mark.server
def test_update_fallback_when_gsp_is_refused(oxigraph: OxigraphServer, dump: Path) -> None:
    """PUT on the query URL is refused: the loader stages by SPARQL Update instead."""
    for _ in range(2):
        done = run_cli(
            "--dump",
            str(dump),
            "--endpoint",
            oxigraph.query_url,
            "--update-endpoint",
            oxigraph.update_url,
            "--query-endpoint",
            oxigraph.query_url,
            "--batch-size",
            "4",
        )
        assert done.returncode == 0, done.stderr
        assert "using SPARQL Update" in done.stderr and "Update+MOVE" in done.stdout
    assert ours(oxigraph.query_url) == GRAPHS
    assert temporary_graphs(oxigraph.query_url) == []


def requests_of(args: argparse.Namespace, graphs: dict[str, list[object]]) -> int:
    """How many HTTP requests a load with `args` makes."""
    calls = {"n": 0}
    real = http.Client.send

    def counting(self: http.Client, *a: object, **k: object) -> tuple[int, bytes]:
        calls["n"] += 1
        return real(self, *a, **k)  # type: ignore[arg-type]

    http.Client.send = counting  # type: ignore[method-assign]
    try:
        remote.load_remote(graphs, args, lambda _m: None)  # type: ignore[arg-type]
    finally:
        http.Client.send = real  # type: ignore[method-assign]
    return calls["n"]


Send = Callable[..., tuple[int, bytes]]


def fail_at(failing: int, real: Send) -> Send:
    """Client.send that answers 500 to the request number `failing` (from 1)."""
    calls = {"n": 0}

    def send(self: http.Client, *a: object, **k: object) -> tuple[int, bytes]:
        calls["n"] += 1
        if calls["n"] == failing:
            return 500, b"simulated failure"
        return real(self, *a, **k)

    return send


@pytest.mark.server
@pytest.mark.parametrize("kind", ["gsp+update", "update", "gsp"])
def test_a_failure_at_any_request_leaves_every_graph_as_it_was(
    oxigraph: OxigraphServer,
    dump: Path,
    shrunk: Path,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each request of the load in turn answers 500: the store must end as it began, with
    no temporary graph, whichever request it was (staging, count, commit, ...)."""
    base = oxigraph
    args = namespace(
        endpoint=base.gsp_url if "gsp" in kind else None,
        update_endpoint=base.update_url if "update" in kind else None,
        query_endpoint=base.query_url,
        batch_size=5,
        protocol="gsp" if kind == "gsp" else "auto",
    )
    assert all(r.status == "ok" for r in remote.load_remote(load.read_dump(dump), args, print))
    before = counts(base.query_url)
    new = load.read_dump(shrunk)
    total = requests_of(args, new)  # type: ignore[arg-type]
    assert counts(base.query_url) != before  # the shrunk dump does change the store
    assert all(r.status == "ok" for r in remote.load_remote(load.read_dump(dump), args, print))
    real = http.Client.send
    for failing in range(1, total + 1):
        faulty = fail_at(failing, real)
        monkeypatch.setattr(http.Client, "send", faulty)
        try:
            remote.load_remote(new, args, lambda _m: None)
        except load.LoadError:
            pass
        else:  # the request that failed came after the commit (a read-back count)
            monkeypatch.setattr(http.Client, "send", real)
            assert ours(base.query_url) != before
            assert all(
                r.status == "ok" for r in remote.load_remote(load.read_dump(dump), args, print)
            )
            continue
        monkeypatch.setattr(http.Client, "send", real)
        assert counts(base.query_url) == before, f"request {failing} of {total}"


@pytest.mark.server
def test_prune_drops_graphs_that_left_the_dump_and_nothing_else(
    oxigraph: OxigraphServer, dump: Path, tmp_path: Path, sample_nq: Path
) -> None:
    common = ["--update-endpoint", oxigraph.update_url, "--query-endpoint", oxigraph.query_url]
    urllib_update(oxigraph, f"INSERT DATA {{ GRAPH <{OTHER_GRAPH}> {{ <urn:a> <urn:b> 1 }} }}")
    assert run_cli("--dump", str(dump), *common).returncode == 0
    fewer = recorded(sample_nq, tmp_path / "fewer", lambda g: not g.endswith("inferred"))
    done = run_cli("--dump", str(fewer), *common)
    assert done.returncode == 0 and ours(oxigraph.query_url) == GRAPHS  # no prune asked
    done = run_cli("--dump", str(fewer), *common, "--prune")
    assert done.returncode == 0, done.stderr
    assert "pruned" in done.stdout
    expected = {g: n for g, n in GRAPHS.items() if not g.endswith("inferred")}
    assert ours(oxigraph.query_url) == expected
    assert counts(oxigraph.query_url)[OTHER_GRAPH] == 1


def urllib_update(server: OxigraphServer, update: str) -> None:
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode({"update": update}).encode()
    urllib.request.urlopen(server.update_url, body, timeout=30).close()


@pytest.mark.server
@pytest.mark.parametrize("kill_at", [2, 5, 8])
def test_oxigraph_killed_mid_load_keeps_every_graph(
    dump: Path, shrunk: Path, tmp_path: Path, kill_at: int
) -> None:
    """The server is killed (SIGKILL) while the loader stages; after a restart every graph
    is as before, and the next load drops the staged leftovers and succeeds."""
    from stores import require

    require(OxigraphServer.available(), "Oxigraph server")
    server = OxigraphServer(workdir=tmp_path / "oxigraph")
    server.workdir.mkdir()
    server.start()
    try:

        def common() -> list[str]:  # the server gets a new port when it restarts
            return [
                "--endpoint",
                server.gsp_url,
                "--update-endpoint",
                server.update_url,
                "--query-endpoint",
                server.query_url,
            ]

        assert run_cli("--dump", str(dump), *common()).returncode == 0
        before = counts(server.query_url)
        real = http.Client.send
        calls = {"n": 0}

        def killing(self: http.Client, *a: object, **k: object) -> tuple[int, bytes]:
            calls["n"] += 1
            if calls["n"] == kill_at and server.proc is not None:
                server.proc.kill()
                server.proc.wait(30)
            return real(self, *a, **k)  # type: ignore[arg-type]

        http.Client.send = killing  # type: ignore[method-assign]
        try:
            args = namespace(
                endpoint=server.gsp_url,
                update_endpoint=server.update_url,
                query_endpoint=server.query_url,
            )
            with pytest.raises(load.LoadError, match="left as it was"):
                remote.load_remote(load.read_dump(shrunk), args, lambda _m: None)
        finally:
            http.Client.send = real  # type: ignore[method-assign]
        server.proc = None
        server.start()
        after = counts(server.query_url)
        assert {g: n for g, n in after.items() if not g.startswith(remote.TEMP_PREFIX)} == before
        # killed after staging began, the staged graphs outlive the run: the next load drops them
        assert bool(temporary_graphs(server.query_url)) is (kill_at > 2)
        done = run_cli("--dump", str(shrunk), *common())
        assert done.returncode == 0, done.stderr
        assert temporary_graphs(server.query_url) == []
    finally:
        server.stop()


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
    dump: Path,
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
                str(dump),
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
    virtuoso_server: VirtuosoServer, virtuoso_loader: tuple[str, str], dump: Path
) -> None:
    wrong = "wrong-" + secrets.token_hex(8)
    env = dict(os.environ, HRKG_ENDPOINT_USER=virtuoso_loader[0], HRKG_ENDPOINT_PASSWORD=wrong)
    done = run_cli(
        "--dump",
        str(dump),
        "--endpoint",
        virtuoso_server.gsp_url,
        "--query-endpoint",
        virtuoso_server.query_url,
        env=env,
    )
    assert done.returncode == 1
    assert "401" in done.stdout + done.stderr and "credentials" in done.stdout + done.stderr
    assert wrong not in done.stdout + done.stderr
