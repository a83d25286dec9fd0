"""The layers stay apart (issue 15): spiders -> govcrawl, pipelines -> govcrawl, spiders -> pipelines; govcrawl never
imports spiders or pipelines, pipelines never import spiders; no import cycle between modules (function-level
imports included); govcrawl/ and pipelines/ never read a spider attribute (they read the crawl's CrawlRun,
govcrawl/crawlrun.py, and crawler.settings); no `__wrapped__` anywhere.

What counts as reading a spider attribute: `X.attr` or `getattr(X, ...)` where X is a name `spider` or an attribute
`.spider` (self.spider, crawler.spider). Passing a spider object on (to Scrapy or scrapy-redis) is not reading it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("govcrawl", "spiders", "pipelines")
# which top-level folders each folder may import
ALLOWED = {"govcrawl": {"govcrawl"}, "pipelines": {"govcrawl", "pipelines"},
           "spiders": {"govcrawl", "pipelines", "spiders"}}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(p, root): p for layer in LAYERS for p in sorted((root / layer).rglob("*.py"))}


def imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules a module imports, at any level of the file (function-level imports included)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:   # relative: from the module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from pkg import sub` imports the submodule; `from pkg import name` imports pkg
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        found.update(n for n in names if n in known)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = project_modules(root)
    known = set(modules)
    return {name: imported(ast.parse(path.read_text(encoding="utf-8"), str(path)), name,
                           path.name == "__init__.py", known) - {name}
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layering_problems(graph: dict[str, set[str]]) -> list[str]:
    return [f"{module} imports {target}" for module, targets in sorted(graph.items()) for target in sorted(targets)
            if target.split(".")[0] not in ALLOWED[module.split(".")[0]]]


def is_spider(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "spider") or (
        isinstance(node, ast.Attribute) and node.attr == "spider")


def spider_reads(tree: ast.AST) -> list[int]:
    """Lines where a spider attribute is read (see the module docstring)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_spider(node.value):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr")
              and node.args and is_spider(node.args[0])):
            lines.append(node.lineno)
    return lines


def wrapped_uses(tree: ast.AST) -> list[int]:
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "__wrapped__"]


# -- the checks on this repository ----------------------------------------------------------------------------
GRAPH = import_graph()


def test_the_import_graph_sees_the_project():
    assert len(GRAPH) > 100 and "spiders.provincial" in GRAPH and "govcrawl.distributed.worker" in GRAPH
    assert "govcrawl.crawlrun" in GRAPH["pipelines.verdicts"]


def test_no_import_cycle_between_modules():
    assert cycles(GRAPH) == []


def test_layers_import_only_downwards():
    assert layering_problems(GRAPH) == []


@pytest.mark.parametrize("layer", ["govcrawl", "pipelines"])
def test_no_spider_attribute_is_read(layer):
    reads = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / layer).rglob("*.py"))
             for line in spider_reads(ast.parse(path.read_text(encoding="utf-8")))]
    assert reads == []


def test_no_wrapped():
    uses = [f"{path.relative_to(ROOT)}:{line}" for layer in LAYERS for path in sorted((ROOT / layer).rglob("*.py"))
            for line in wrapped_uses(ast.parse(path.read_text(encoding="utf-8")))]
    assert uses == []


# -- the checks themselves, on small made-up trees: each one fails when it should --------------------------------
def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for layer in LAYERS:
        (root / layer).mkdir(exist_ok=True)
    return root


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    root = write(tmp_path, {
        "govcrawl/__init__.py": "",
        "govcrawl/a.py": "from govcrawl import b\n",
        "govcrawl/b.py": "def f():\n    from govcrawl.a import x\n",
        "govcrawl/c.py": "from . import b\n",
    })
    graph = import_graph(root)
    assert graph["govcrawl.c"] == {"govcrawl.b"}
    assert cycles(graph) == [["govcrawl.a", "govcrawl.b"]]


def test_an_upward_import_is_found(tmp_path):
    root = write(tmp_path, {
        "govcrawl/__init__.py": "",
        "govcrawl/worker.py": "def begin():\n    from spiders.tracking import SiteState\n",
        "spiders/__init__.py": "",
        "spiders/tracking.py": "import govcrawl.worker\n",
        "pipelines/__init__.py": "",
        "pipelines/store.py": "import spiders.tracking\n",
    })
    assert layering_problems(import_graph(root)) == ["govcrawl.worker imports spiders.tracking",
                                                     "pipelines.store imports spiders.tracking"]


def test_spider_reads_and_wrapped_are_found():
    tree = ast.parse("def f(self, spider):\n    a = spider.states\n    b = self.crawler.spider.proxy\n"
                     "    c = getattr(spider, 'replay_server', None)\n    d = type(self).parse.__wrapped__\n"
                     "    run(spider)\n")
    assert spider_reads(tree) == [2, 3, 4]
    assert wrapped_uses(tree) == [5]
