"""Helpers for the triple-store tests; the fixtures live in stores.fixtures (a plugin).

Test modules enable them with `pytest_plugins = ["stores.fixtures"]` (tests/conftest.py
belongs to the build). Each server starts once per test session on 127.0.0.1 on free ports and is
stopped by its PID at the end, also when tests fail. A server whose software is missing
skips its tests with a message — unless the environment variable CI is set, where a
missing server fails them: CI must prove every engine.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stores.engines import (
    Engine,
    JenaEngine,
    OxigraphServer,
    PyoxigraphEngine,
    RdflibEngine,
    Result,
    StoredQuery,
    VirtuosoEngine,
    VirtuosoServer,
)

HERE = Path(__file__).parent
SAMPLE_TRIG = HERE / "data" / "sample.trig"
SAMPLE_QUERIES = HERE / "queries"
SAMPLE_GRAPH = "https://example.org/hrkg-test/graph/"


def require(missing: str | None, what: str) -> None:
    """Skip (locally) or fail (with CI set) when `missing` names missing software."""
    if not missing:
        return
    message = f"{what} is not available here: {missing}"
    if os.environ.get("CI"):
        pytest.fail(
            f"{message}. CI is set, so every triple store must run "
            "(.ci/install-system-packages.sh installs them)."
        )
    pytest.skip(message)


def to_nquads(source: Path, target: Path) -> Path:
    import pyoxigraph as ox

    ox.serialize(ox.parse(path=str(source)), str(target), ox.RdfFormat.N_QUADS)
    return target


class EngineSet:
    """Every engine holding one dataset, created on first use and stopped at the end."""

    def __init__(self, dump: Path, workdir: Path, virtuoso: VirtuosoServer | None) -> None:
        self.dump = dump
        self.workdir = workdir
        self.virtuoso = virtuoso
        self.engines: dict[str, Engine] = {}
        self.failures: dict[str, str] = {}
        self.answers: dict[tuple[str, str], Result] = {}

    def answer(self, name: str, query: StoredQuery) -> Result:
        """The engine's normalised answer to a stored query (each asked once)."""
        key = (name, query.name)
        if key not in self.answers:
            self.answers[key] = self.get(name).query(query.text, query.name)
        return self.answers[key]

    def get(self, name: str) -> Engine:
        if name in self.failures:
            pytest.fail(f"{name} could not load the dataset: {self.failures[name]}")
        if name not in self.engines:
            try:
                self.engines[name] = self.create(name)
            except Exception as err:
                self.failures[name] = f"{type(err).__name__}: {err}"
                raise
        return self.engines[name]

    def create(self, name: str) -> Engine:
        folder = self.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        engine: Engine
        if name == "rdflib":
            engine = RdflibEngine()
        elif name == "pyoxigraph":
            engine = PyoxigraphEngine()
        elif name == "oxigraph-server":
            require(OxigraphServer.available(), "Oxigraph server")
            engine = OxigraphServer(workdir=folder)
        elif name == "virtuoso":
            require(VirtuosoServer.available(), "Virtuoso 7")
            assert self.virtuoso is not None
            engine = VirtuosoEngine(server=self.virtuoso)
        elif name == "jena":
            require(JenaEngine.available(), "Apache Jena")
            engine = JenaEngine(workdir=folder)
        else:
            raise ValueError(name)
        engine.load(self.dump)
        engine.start()
        return engine

    def close(self) -> None:
        for engine in self.engines.values():
            engine.stop()
        self.engines.clear()


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
