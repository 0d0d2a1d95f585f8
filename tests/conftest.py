"""Shared test fixtures: the project under test, and session-wide parsed graphs and builds.

Parsing, the closure and the fixture KG's build are each done once per test session and
shared read-only by the tests that need them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hrkg.project import Project

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project(ROOT)
FIXTURE_KG = Path(__file__).resolve().parent / "fixtures" / "kg"
FIXTURE_SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"


@pytest.fixture(scope="session")
def project() -> Project:
    return PROJECT


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixture KG built once into a session folder (tests must not modify it)."""
    from hrkg.cli import main

    out = tmp_path_factory.mktemp("fixture-build") / "dist"
    assert main(["build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet"]) == 0
    yield out
