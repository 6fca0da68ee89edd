"""The package's layout rules, and the README's drawing of it.

A machine checks what it can: no import cycle inside the package (imports inside functions count,
those under ``if TYPE_CHECKING:`` do not), no private name imported from another module, a
private module (``_name.py``) imported only from inside its own subpackage, no module longer than
`MAX_LINES`, and the README's layout block equal to the one drawn from the tree.

``python tests/test_layout.py --write`` redraws the README's block after a module is added,
renamed or given a new summary line.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "directcall_nb"
README = ROOT / "README.md"
MAX_LINES = 400

#: The top level in the order data flows through it, then what surrounds that path.
PATH_ORDER = (
    "accessor.py",
    "frames/",
    "partitioned/",
    "phones/",
    "text/",
    "estimation/",
    "plan.py",
    "sending/",
    "outcomes.py",
    "report.py",
    "report_summary.py",
    "replies/",
    "charts.py",
    "history.py",
    "journal/",
    "opt_outs.py",
    "client/",
    "options/",
    "vocabulary.py",
    "settings.py",
    "moments.py",
    "windows/",
    "columns.py",
    "memory.py",
    "arrow_rows.py",
    "display.py",
    "i18n/",
    "errors/",
    "widgets/",
    "magics.py",
    "cli.py",
    "demo.py",
    "sandbox/",
)
#: What the README's block says beside the package, after it.
OUTSIDE = (
    ("notebooks/", "tutorials, executed by the tests"),
    ("benchmarks/", "speed against the baselines, each printing its ratio"),
    ("tests/", "mirrors the package; e2e/ and browser/ drive it whole"),
)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """Return the dotted name of the module at `path`, inside `package`."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, package_dir: Path) -> Iterator[tuple[str, str | None, int]]:
    """Yield (module, imported name or None, line) for the imports of `path` that run."""
    name = module_name(path, package_dir)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST) -> Iterator[tuple[str, str | None, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    yield from visit(other)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, None, child.lineno
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    yield base, alias.name, child.lineno
            yield from visit(child)

    yield from visit(ast.parse(path.read_text("utf-8")))


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Return every module of `package` by dotted name."""
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def import_graph(package: Path = PACKAGE) -> tuple[dict[str, set[str]], list[str]]:
    """Return the import edges of `package` and the private imports that break the rules."""
    files = modules(package)
    edges: dict[str, set[str]] = {name: set() for name in files}
    broken: list[str] = []
    for name, path in files.items():
        where = path.relative_to(package.parent)
        for target, imported, line in imports_of(path, package):
            if target.split(".")[0] != package.name:
                continue
            submodule = f"{target}.{imported}"
            destination = submodule if imported and submodule in files else target
            if destination != name and destination in files:
                edges[name].add(destination)
            if imported and destination == target and imported.startswith("_"):
                broken.append(f"{where}:{line} imports the private name {imported} of {target}")
            parts = destination.split(".")
            for i, part in enumerate(parts):
                if part.startswith("_") and not part.startswith("__"):
                    owner = ".".join(parts[:i])
                    if name != owner and not name.startswith(owner + "."):
                        broken.append(f"{where}:{line} imports {destination}, private to {owner}")
                    break
    return edges, broken


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def summary(path: Path) -> str:
    """Return the first line of the module docstring at `path`, without its final full stop."""
    docstring = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
    return docstring.split("\n", 1)[0].rstrip(".")


def drawn_layout() -> str:
    """Return the README's layout block as the tree draws it today."""
    entries = {
        (f"{p.name}/" if p.is_dir() else p.name): (p / "__init__.py" if p.is_dir() else p)
        for p in sorted(PACKAGE.iterdir())
        if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py")
    }
    entries.pop("__init__.py")
    unplaced = sorted(set(entries) - set(PATH_ORDER))
    if unplaced:
        raise AssertionError(f"place {unplaced} in PATH_ORDER (tests/test_layout.py)")
    rows = [(name, summary(entries[name])) for name in PATH_ORDER if name in entries]
    width = max(len(name) for name, _ in rows + list(OUTSIDE)) + 2
    lines = [f"{PACKAGE.name}/    {summary(PACKAGE / '__init__.py')}"]
    lines += [f"  {name:<{width}}{text}" for name, text in rows]
    lines += [f"{name:<{width + 2}}{text}" for name, text in OUTSIDE]
    return "\n".join(lines)


_BLOCK = re.compile(r"(<!-- layout: drawn by tests/test_layout.py -->\n```\n)(.*?)(\n```)", re.S)


def test_no_import_cycle_inside_the_package() -> None:
    edges, _ = import_graph()
    assert cycles(edges) == []


def test_no_private_name_or_module_is_imported_from_outside() -> None:
    _, broken = import_graph()
    assert broken == []


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in modules().values()
        if (lines := path.read_text("utf-8").count("\n")) > MAX_LINES
    }
    assert long == {}


def test_the_readme_draws_the_layout_as_it_is() -> None:
    found = _BLOCK.search(README.read_text("utf-8"))
    assert found is not None, "README.md has lost its layout block"
    assert found.group(2) == drawn_layout(), "redraw it: python tests/test_layout.py --write"


def test_the_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    package = tmp_path / PACKAGE.name
    sources = {
        "__init__.py": "",
        "a.py": "def later():\n    from directcall_nb.b import thing\n",
        "b.py": "from directcall_nb import a\nfrom directcall_nb.a import _hidden\n",
        "c.py": "\n".join(
            [
                "from typing import TYPE_CHECKING",
                "if TYPE_CHECKING:",
                "    from directcall_nb import d",
                "",
            ]
        ),
        "d.py": "from directcall_nb import c\nfrom directcall_nb.sub._inner import x\n",
        "sub/__init__.py": "from directcall_nb.sub._inner import x\n",
        "sub/_inner.py": "from directcall_nb.sub import _other\n",
        "sub/_other.py": "",
    }
    for name, source in sources.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(source)
    edges, broken = import_graph(package)
    assert cycles(edges) == [["directcall_nb.a", "directcall_nb.b"]]
    assert broken == [
        "directcall_nb/b.py:2 imports the private name _hidden of directcall_nb.a",
        "directcall_nb/d.py:2 imports directcall_nb.sub._inner, private to directcall_nb.sub",
    ]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    text = README.read_text("utf-8")
    README.write_text(_BLOCK.sub(lambda m: m.group(1) + drawn_layout() + m.group(3), text), "utf-8")
