"""The knowledge-graph project `hrkg` works on: found from a root folder, never assumed.

A project is a folder holding `hrkg.toml`, or a `pyproject.toml` with a `[tool.hrkg]` table.
`hrkg` looks for one in the current directory and its parents, unless `--project DIR` or the
environment variable HRKG_PROJECT names it. Every path of inputs and outputs derives from
that root, so an installed `hrkg` (a wheel in any virtual environment) builds the checkout it
is run in, and a copy of the repository builds itself, not the original.

The source texts are kept outside the project (they are not redistributed): by default in
`<root>/../shared/sources`, or in the folder named by HRKG_SOURCES_DIR.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER_FILE = "hrkg.toml"
PYPROJECT_TABLE = "[tool.hrkg]"
PROJECT_ENV = "HRKG_PROJECT"
SOURCES_ENV = "HRKG_SOURCES_DIR"
CACHE_ENV = "HRKG_CACHE_DIR"


class ProjectNotFound(Exception):
    """No project where one was asked for; the message says where it looked and what to do."""


class ConfigError(Exception):
    """A project configuration file that cannot be read as TOML; str() names file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Project:
    """The input and output folders of one knowledge graph: the real one, or a test fixture."""

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

    @property
    def dist_dir(self) -> Path:
        """Where `hrkg build` writes by default and where the other commands read."""
        return self.root / "dist"

    @property
    def sources_dir(self) -> Path:
        """The folder of source texts (<slug>.txt): HRKG_SOURCES_DIR or ../shared/sources."""
        override = os.environ.get(SOURCES_ENV)
        return Path(override) if override else self.root.parent / "shared" / "sources"

    @property
    def cache_dir(self) -> Path:
        """Where the build keeps what it can reuse (per-part SHACL results) and its reports:
        .hrkg-cache/ in the project, or a folder of this project's own under HRKG_CACHE_DIR
        (several projects may share one; the test suite points it away from the checkout)."""
        override = os.environ.get(CACHE_ENV)
        if not override:
            return self.root / ".hrkg-cache"
        import hashlib

        own = hashlib.sha256(str(self.root.resolve()).encode()).hexdigest()[:16]
        return Path(override) / f"{self.root.name}-{own}"

    def source_text(self, slug: str) -> Path:
        return self.sources_dir / f"{slug}.txt"

    @property
    def config_file(self) -> Path:
        """hrkg.toml when there is one, else the pyproject.toml holding [tool.hrkg]."""
        marker = self.root / MARKER_FILE
        return marker if marker.is_file() else self.root / "pyproject.toml"

    def settings(self) -> dict[str, Any]:
        """The project's declarations: hrkg.toml's top level, or pyproject's [tool.hrkg] table.

        Read only by the commands that need them (the build's meta-checks), so a project
        without declarations still works for every other command.
        """
        path = self.config_file
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ConfigError(path, 0, err.strerror or str(err)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise ConfigError(path, line, "not UTF-8 (TOML files are UTF-8)") from None
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            found = re.search(r"\(at line (\d+), column \d+\)", str(err))
            line = int(found.group(1)) if found else text.count("\n") + 1  # at end of document
            message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(err))
            raise ConfigError(path, line, f"TOML syntax error: {message}") from None
        if path.name == MARKER_FILE:
            return parsed
        tool = parsed.get("tool")
        table = tool.get("hrkg") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else {}

    def relative(self, path: Path) -> Path:
        """`path` relative to the root where it lies inside, else unchanged (for messages)."""
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path


def is_project(folder: Path) -> bool:
    """True for a folder with hrkg.toml, or a pyproject.toml holding a [tool.hrkg] table."""
    if (folder / MARKER_FILE).is_file():
        return True
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.strip() == PYPROJECT_TABLE for line in text.splitlines())


def find_project(explicit: Path | None = None, start: Path | None = None) -> Project:
    """The project named by `explicit` (--project), HRKG_PROJECT, or the nearest marker upwards."""
    named = explicit if explicit is not None else _from_env()
    if named is not None:
        folder = named.expanduser().resolve()
        if not is_project(folder):
            raise ProjectNotFound(
                f"{named} is not an hrkg project (no {MARKER_FILE}, and no {PYPROJECT_TABLE} "
                "in a pyproject.toml there)"
            )
        return Project(folder)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return Project(folder)
    raise ProjectNotFound(
        f"no hrkg project in {here} or its parents (looked for {MARKER_FILE} or "
        f"{PYPROJECT_TABLE} in pyproject.toml); run hrkg inside a checkout, or pass "
        f"--project DIR (or set {PROJECT_ENV})"
    )


def _from_env() -> Path | None:
    value = os.environ.get(PROJECT_ENV)
    return Path(value) if value else None
