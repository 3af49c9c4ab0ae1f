"""The package is layered: no module imports, at any depth, one that imports it
back. Every import counts: at the top, inside a function (lazy) and under
``TYPE_CHECKING``, so a circle cannot hide behind a late import."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import modelcompare

PACKAGE = Path(modelcompare.__file__).parent


def _module_names(root: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports (the
    package itself, ``modelcompare``, left out: it loads its names lazily)."""
    modules = _module_names(root)
    top = root.name
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]  # fmt: skip
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t not in (name, top)}
    return graph


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = import_graph()
    assert len(graph) > 30
    assert graph["modelcompare.comparison"]
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"an import circle: {' -> '.join(exc.args[1])}")
    assert set(order) == set(graph)


def test_the_checker_sees_a_circle(tmp_path: Path) -> None:
    """The check itself can fail: two modules that import each other, one lazily."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from .b import x\n", encoding="utf-8")
    (pkg / "b.py").write_text("def f():\n    from . import a\nx = 1\n", encoding="utf-8")
    graph = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.a"}
    with pytest.raises(graphlib.CycleError):
        list(graphlib.TopologicalSorter(graph).static_order())


def test_the_records_of_a_table_sit_below_what_renders_them() -> None:
    """``table`` (the records) imports none of modelcompare's modules but for types;
    the renderers and the charts read it, not ``comparison``."""
    graph = import_graph()
    assert graph["modelcompare.table"] <= {
        "modelcompare.display",
        "modelcompare.fields",
        "modelcompare.i18n",
        "modelcompare.model",
        "modelcompare.records",
    }
    readers = [m for m in graph if m.startswith("modelcompare.render") or m == "modelcompare.plot"]
    assert all("modelcompare.comparison" not in graph[m] for m in readers)
