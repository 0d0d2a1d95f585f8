"""hrkg: build, validate, reason over, query and publish the hamas-russia-kg knowledge graph.

The version has one source, pyproject.toml; the installed distribution's metadata carries it.
The Python API (`hrkg.open()`, see hrkg.api) is imported on first use, so that `import hrkg`
and `hrkg --help` stay fast.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("hamas-russia-kg")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

_API = ("open", "KnowledgeGraph", "Rows")


def __getattr__(name: str) -> Any:
    if name in _API:
        from hrkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'hrkg' has no attribute {name!r}")
