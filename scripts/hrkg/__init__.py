"""hrkg: build, validate, reason over, query and publish the hamas-russia-kg knowledge graph.

The Python API (`hrkg.open()`, see hrkg.api) is imported on first use, so that `import hrkg`
and `hrkg --help` stay fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
_API = ("open", "KnowledgeGraph", "Rows", "find_project")


def __getattr__(name: str) -> Any:
    if name in _API:
        from hrkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'hrkg' has no attribute {name!r}")
