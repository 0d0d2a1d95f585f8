"""Session-wide triple-store fixtures (a pytest plugin: `pytest_plugins = ["stores.fixtures"]`).

Each server starts once per test session on 127.0.0.1 on free ports and is stopped by its
PID at the end, also when tests fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from stores import SAMPLE_TRIG, EngineSet, require, to_nquads
from stores.engines import OxigraphServer, VirtuosoServer

Server = TypeVar("Server", OxigraphServer, VirtuosoServer)


def running(server: Server) -> Iterator[Server]:
    """Start `server` for the fixture's lifetime; stop it by PID even when tests fail."""
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sample_nq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample dataset as N-Quads (what the build's dist/hrkg.nq looks like)."""
    return to_nquads(SAMPLE_TRIG, tmp_path_factory.mktemp("sample") / "sample.nq")


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso for the whole session; datasets keep apart by their graph names."""
    require(VirtuosoServer.available(), "Virtuoso 7")
    yield from running(VirtuosoServer(workdir=tmp_path_factory.mktemp("virtuoso")))


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """An empty Oxigraph server (union default graph on) for the load tests."""
    require(OxigraphServer.available(), "Oxigraph server")
    yield from running(OxigraphServer(workdir=tmp_path_factory.mktemp("oxigraph")))


def virtuoso_or_none(request: pytest.FixtureRequest) -> VirtuosoServer | None:
    """The session Virtuoso, or None when it is missing (its tests then skip or fail)."""
    missing = VirtuosoServer.available()
    if missing and not os.environ.get("CI"):
        return None
    server: VirtuosoServer = request.getfixturevalue("virtuoso_server")
    return server


@pytest.fixture(scope="session")
def sample_engines(
    sample_nq: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[EngineSet]:
    """All engines with the sample dataset loaded (lazily, engine by engine)."""
    engines = EngineSet(
        sample_nq, tmp_path_factory.mktemp("sample-engines"), virtuoso_or_none(request)
    )
    try:
        yield engines
    finally:
        engines.close()


@pytest.fixture(scope="session")
def kg_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/hrkg.nq of the real knowledge graph, built once for the session.

    HRKG_TEST_DIST=<folder> reuses a finished build (faster while developing).
    """
    reuse = os.environ.get("HRKG_TEST_DIST")
    if reuse:
        return Path(reuse) / "hrkg.nq"
    from hrkg.cli import main

    out = tmp_path_factory.mktemp("kg") / "dist"
    code = main(["build", "--out", str(out), "--quiet"])
    if code != 0 or not (out / "hrkg.nq").exists():
        pytest.fail(f"`hrkg build` failed (exit {code}); cannot test the stored queries")
    return out / "hrkg.nq"


@pytest.fixture(scope="session")
def kg_engines(
    kg_dump: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[EngineSet]:
    """All engines with the real knowledge graph loaded."""
    engines = EngineSet(kg_dump, tmp_path_factory.mktemp("kg-engines"), virtuoso_or_none(request))
    try:
        yield engines
    finally:
        engines.close()
