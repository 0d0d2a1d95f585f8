"""Where the project's inputs and outputs live, relative to the repository root.

Every path is derived from this file's location, never from the working directory, so the
CLI and the tests behave the same wherever they are started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
DATA_DIR = ROOT / "data"
ENTITIES_DIR = DATA_DIR / "entities"
SOURCES_DATA_DIR = DATA_DIR / "sources"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
CHECKS_DIR = QUERIES_DIR / "checks"
EXPECTED_DIR = ROOT / "tests" / "expected"
DIST_DIR = ROOT / "dist"


def shared_sources_dir() -> Path:
    """The folder holding the source texts (kept outside the project; env can override)."""
    override = os.environ.get("HRKG_SOURCES_DIR")
    return Path(override) if override else ROOT.parent / "shared" / "sources"


SHARED_SOURCES_DIR = shared_sources_dir()


@dataclass(frozen=True)
class Project:
    """The input folders of one knowledge graph: the real one, or a test fixture."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def vocab_dir(self) -> Path:
        return self.root / "ontology" / "vocab"

    @property
    def entities_dir(self) -> Path:
        return self.root / "data" / "entities"

    @property
    def sources_data_dir(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        return self.root / "queries" / "checks"

    @property
    def expected_dir(self) -> Path:
        return self.root / "tests" / "expected"


DEFAULT_PROJECT = Project(ROOT)
