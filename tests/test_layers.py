"""The package's architecture, read from its imports: layers only import downwards, no cycles.

Every `import hrkg…` / `from hrkg… import` in every module counts, also the ones inside
functions (lazy imports are still dependencies). The layers are those of docs/design.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "scripts" / "hrkg"

# lowest first; a module may import its own layer's modules and any lower layer
LAYERS: list[set[str]] = [
    {"hrkg", "hrkg.project", "hrkg.rdf", "hrkg.text", "hrkg.process", "hrkg.cache"},
    {"hrkg.queries"},
    {"hrkg.checks"},
    {"hrkg.publish"},
    {"hrkg.pipeline"},
    {"hrkg.serve"},
    {"hrkg.commands"},
    {"hrkg.cli", "hrkg.__main__", "hrkg.api"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The hrkg modules a file imports (resolved to modules, not names inside them)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "hrkg")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "hrkg":
                continue
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}

# The one import against the layers, on purpose: `import hrkg` offers the Python API
# (`hrkg.open()`) as a facade, imported on first attribute access (PEP 562 __getattr__).
FACADE = {("hrkg", "hrkg.api")}


def layer_of(module: str) -> int:
    """The index of the layer a module belongs to (a subpackage's modules share its layer)."""
    best = -1
    best_length = -1
    for index, names in enumerate(LAYERS):
        for name in names:
            inside = module == name or (name != "hrkg" and module.startswith(name + "."))
            if inside and len(name) > best_length:
                best, best_length = index, len(name)
    if best < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/design.md")
    return best


@pytest.mark.parametrize("module", sorted(MODULES), ids=sorted(MODULES))
def test_imports_only_go_down(module: str) -> None:
    own = layer_of(module)
    upward = sorted(
        m for m in imported(MODULES[module]) if layer_of(m) > own and (module, m) not in FACADE
    )
    assert not upward, f"{module} (layer {own}) imports upward: {upward}"


def test_no_import_cycles() -> None:
    graph = {
        m: {i for i in imported(p) if i in MODULES and i != m and (m, i) not in FACADE}
        for m, p in MODULES.items()
    }
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path: Path) -> None:
    """The two tests above can fail: an upward import is found in a written module."""
    fake = tmp_path / "mod.py"
    fake.write_text("from hrkg.commands.build import run\nimport hrkg.rdf\n")
    found = imported(fake)
    assert found == {"hrkg.commands.build", "hrkg.rdf"}
    assert layer_of("hrkg.commands.build") > layer_of("hrkg.queries.catalog")
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("hrkg.nowhere")
