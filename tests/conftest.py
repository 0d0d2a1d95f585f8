"""Shared test fixtures: the project under test, and session-wide parsed graphs and builds.

Parsing, the closure and the fixture KG's build are each done once per test session and
shared read-only by the tests that need them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hrkg.project import Project

if TYPE_CHECKING:
    import rdflib

    from hrkg.pipeline.assemble import Assembled

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project(ROOT)
FIXTURE_KG = Path(__file__).resolve().parent / "fixtures" / "kg"
FIXTURE_SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"


CACHE_ROOT = tempfile.mkdtemp(prefix="hrkg-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    """Builds in tests keep their cache in a temporary folder, never in the checkout (or in a
    fixture project, which the fuzz tests walk). Subprocesses inherit it."""
    os.environ["HRKG_CACHE_DIR"] = CACHE_ROOT


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(CACHE_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def project() -> Project:
    return PROJECT


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixture KG built once into a session folder (tests must not modify it)."""
    from hrkg.cli import main

    out = tmp_path_factory.mktemp("fixture-build") / "dist"
    args = ["build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet", "--no-cache"]
    assert main(args) == 0
    yield out


@pytest.fixture(scope="session")
def real_assembled() -> Assembled:
    """The project's input, parsed and assembled once per session."""
    from hrkg.pipeline.assemble import assemble

    return assemble(PROJECT)


@pytest.fixture(scope="session")
def real_base(real_assembled: Assembled) -> rdflib.Graph:
    """All asserted triples of the project as one rdflib graph (read-only for tests)."""
    from hrkg.rdf import to_rdflib_graph

    return to_rdflib_graph(real_assembled.quads)


@pytest.fixture(scope="session")
def real_inferred(real_base: rdflib.Graph) -> rdflib.Graph:
    """The kept inferences of owlrl's full closure of the project (computed once)."""
    from hrkg.pipeline.reason import closure, new_own_triples

    return new_own_triples(real_base, closure(real_base))
