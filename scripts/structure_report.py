"""Measure how the apps import each other (issue 25): `python scripts/structure_report.py [--verbose]`.

Counts, over the app packages and excluding migrations: import arrows between apps, arrows that run
back up against the intended layer order, import cycles between modules, imports hidden inside
functions, `except ImportError` guards, the largest file and function, and lines of app code.
Only the standard library, so it runs on any checkout.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "members", "communities", "forums", "moderation", "search", "notifications", "feeds", "records"]
# Higher number = higher layer; an arrow from a lower app to a higher one runs back up. Apps on the
# same level (moderation, search) may not import each other either.
LEVEL = {
    "core": 0,
    "members": 1,
    "communities": 2,
    "forums": 3,
    "moderation": 4,
    "search": 4,
    "notifications": 5,
    "feeds": 5,
    "records": 5,
}


def app_modules() -> dict[str, Path]:
    """Dotted module name → file, for every app module outside migrations."""
    modules = {}
    for app in APPS:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def resolve(node: ast.ImportFrom | ast.Import, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The app modules an import statement names (a `from x import y` may name a submodule y)."""
    names = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        names = [f"{base}.{alias.name}" for alias in node.names] + [base]
    targets = []
    for name in names:
        # The longest known module the name starts with: `forums.models.Post` → `forums.models`.
        parts = name.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            targets.append(".".join(parts))
    return sorted(set(targets))


class Scan(ast.NodeVisitor):
    def __init__(self) -> None:
        self.top_level: list[ast.Import | ast.ImportFrom] = []
        self.in_function: list[ast.Import | ast.ImportFrom] = []
        self.import_error_guards = 0
        self.functions: list[tuple[int, str]] = []
        self.in_ready: list[ast.Import | ast.ImportFrom] = []
        self._names: list[str] = []

    def _import(self, node):
        if not self._names:
            self.top_level.append(node)
        elif self._names[-1] == "ready":
            # AppConfig.ready is where Django wants signal receivers imported: counted apart.
            self.in_ready.append(node)
        else:
            self.in_function.append(node)

    visit_Import = _import
    visit_ImportFrom = _import

    def visit_If(self, node):
        # `if TYPE_CHECKING:` imports name types for annotations and never run: no arrow.
        test = node.test
        if getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _function(self, node):
        self.functions.append((node.end_lineno - node.lineno + 1, node.name))
        self._names.append(node.name)
        self.generic_visit(node)
        self._names.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ExceptHandler(self, node):
        caught = node.type
        names = []
        if isinstance(caught, ast.Tuple):
            names = [getattr(e, "id", getattr(e, "attr", "")) for e in caught.elts]
        elif caught is not None:
            names = [getattr(caught, "id", getattr(caught, "attr", ""))]
        if "ImportError" in names or "ModuleNotFoundError" in names:
            self.import_error_guards += 1
        self.generic_visit(node)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; returns components with more than one module."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every arrow and hidden import")
    args = parser.parse_args()

    modules = app_modules()
    known = set(modules)
    graph: dict[str, set[str]] = defaultdict(set)
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    # The same, counting imports hidden inside functions too: what a reader actually depends on.
    full_graph: dict[str, set[str]] = defaultdict(set)
    all_arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    hidden: list[str] = []
    in_ready = 0
    guards: list[str] = []
    lines_of_code = 0
    largest_file = (0, "")
    largest_function = (0, "")

    for module, path in modules.items():
        source = path.read_text()
        line_count = len(source.splitlines())
        lines_of_code += line_count
        largest_file = max(largest_file, (line_count, str(path.relative_to(ROOT))))
        tree = ast.parse(source, filename=str(path))
        scan = Scan()
        scan.visit(tree)
        is_package = path.name == "__init__.py"
        app = module.split(".")[0]
        # Module level only, then counting imports inside functions and ready() too.
        for nodes, into, app_arrows in (
            (scan.top_level, graph, arrows),
            (scan.top_level + scan.in_function + scan.in_ready, full_graph, all_arrows),
        ):
            for node in nodes:
                for target in resolve(node, module, is_package, known):
                    if target == module:
                        continue
                    into[module].add(target)
                    target_app = target.split(".")[0]
                    if target_app != app:
                        app_arrows[(app, target_app)].append(f"{module} → {target}")
        for node in scan.in_function:
            if resolve(node, module, is_package, known):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        in_ready += sum(1 for node in scan.in_ready if resolve(node, module, is_package, known))
        if scan.import_error_guards:
            guards.append(f"{path.relative_to(ROOT)} ({scan.import_error_guards})")
        for length, name in scan.functions:
            largest_function = max(largest_function, (length, f"{path.relative_to(ROOT)}:{name}"))
        graph.setdefault(module, set())
        full_graph.setdefault(module, set())

    upward = {pair: edges for pair, edges in arrows.items() if LEVEL[pair[0]] <= LEVEL[pair[1]]}
    cycles = strongly_connected(graph)
    all_upward = {pair: edges for pair, edges in all_arrows.items() if LEVEL[pair[0]] <= LEVEL[pair[1]]}
    all_cycles = strongly_connected(full_graph)

    print(f"app import arrows (folder → folder): {len(arrows)}")
    print(f"arrows running back up:              {len(upward)}")
    for (source, target), edges in sorted(upward.items()):
        print(f"  {source} → {target}  ({len(edges)} imports, e.g. {edges[0]})")
    print(f"import cycles between modules:       {len(cycles)}")
    for component in cycles:
        print(f"  {len(component)} modules: {', '.join(component)}")
    print("counting imports inside functions too:")
    print(f"  arrows {len(all_arrows)}, running back up {len(all_upward)}, module cycles {len(all_cycles)}")
    for (source, target), edges in sorted(all_upward.items()):
        print(f"    {source} → {target}  ({len(edges)} imports, e.g. {edges[0]})")
    for component in all_cycles:
        print(f"    cycle of {len(component)} modules: {', '.join(component)}")
    print(f"imports hidden inside functions:     {len(hidden)} (plus {in_ready} in AppConfig.ready)")
    if args.verbose:
        for where in hidden:
            print(f"  {where}")
    print(f"except ImportError guards:           {sum(int(g.rsplit('(', 1)[1][:-1]) for g in guards)}")
    for where in guards:
        print(f"  {where}")
    print(f"largest file:                        {largest_file[0]} lines, {largest_file[1]}")
    print(f"largest function:                    {largest_function[0]} lines, {largest_function[1]}")
    print(f"lines of app code (no migrations):   {lines_of_code}")
    if args.verbose:
        print("arrows:")
        for (source, target), edges in sorted(arrows.items()):
            print(f"  {source} → {target}: {len(edges)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
