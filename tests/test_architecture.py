"""The shape of the code (issue 7, HOUSE_STYLE 4a): imports run one way, no module imports
another in a loop, no module is over 500 lines (test modules neither), forms are named one way.

The source tree is read with ``ast`` (never imported), so a rule breaks here the moment a
file breaks it, whether or not anything imports that file. Tests, migrations and the
virtualenv are not the application's code and are left out.
"""

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"tests", "migrations", "node_modules", "var", "docs", "static", "templates", "locale"}
MAX_LINES = 500

# partnercenter (core, accounts, audit, notifications) <- enrollment <- relationships <- billing
LAYERS = {"partnercenter": 0, "enrollment": 1, "relationships": 2, "billing": 3}
LAYER_NAMES = {layer: app for app, layer in LAYERS.items()}


def _is_skipped(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return any(
        part in SKIPPED_DIRS or part.startswith(".") or part.endswith(".egg-info") for part in parts[:-1]
    )


@cache
def source_files() -> tuple[Path, ...]:
    return tuple(sorted(p for p in ROOT.rglob("*.py") if not _is_skipped(p)))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in source_files()}


@cache
def tree_of(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the project module imported
    line: int
    text: str  # the statement as written, for the message

    def where(self) -> str:
        return f"{rel(modules()[self.source])}:{self.line}: {self.text}"


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _resolve_from(name: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = _package_of(name, path).split(".")
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _project_module(dotted: str) -> str | None:
    """The longest prefix of ``dotted`` that is one of the project's modules."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules():
            return candidate
    return None


def _under_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def imports_of(name: str) -> tuple[Import, ...]:
    """Every import of a project module by ``name``: at the top, in functions and classes
    (a function-level import is still a dependency), relative ones resolved, and the
    dynamic ``import_module("...")`` / ``import_string("...")`` with a literal path."""
    path = modules()[name]
    tree = tree_of(path)
    type_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _under_type_checking(node)
        for stmt in node.body
        for child in ast.walk(stmt)
    }
    found: list[Import] = []

    def add(dotted: str, node: ast.AST) -> None:
        target = _project_module(dotted)
        if target and target != name:
            found.append(Import(name, target, node.lineno, ast.get_source_segment(source, node) or dotted))

    source = path.read_text(encoding="utf-8")
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(name, path, node)
            for alias in node.names:
                # ``from pkg import name`` imports the module pkg.name when there is one.
                dotted = f"{base}.{alias.name}"
                add(dotted if dotted in modules() else base, node)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None))
            in ("import_module", "import_string")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            add(node.args[0].value, node)
    return tuple(found)


def all_imports() -> list[Import]:
    return [imp for name in modules() for imp in imports_of(name)]


# --- (a) Imports run one way -------------------------------------------------------------------


def may_import_anything(name: str) -> bool:
    """The project's wiring: the URLs, the settings, the Celery app, the management
    commands, and the benchmark (it drives the whole portal)."""
    parts = name.split(".")
    return (
        name in ("partnercenter.urls", "partnercenter.celery", "partnercenter.settings")
        or name.startswith("partnercenter.settings.")
        or ("management" in parts and "commands" in parts)
        or parts[0] == "benchmarks"
    )


def layer_of(name: str) -> int | None:
    return LAYERS.get(name.split(".")[0])


def upward_imports() -> list[str]:
    found = []
    for imp in all_imports():
        if may_import_anything(imp.source):
            continue
        own, theirs = layer_of(imp.source), layer_of(imp.target)
        if own is not None and theirs is not None and theirs > own:
            found.append(f"{imp.where()}  ({LAYER_NAMES[own]} imports {LAYER_NAMES[theirs]}: {imp.target})")
    return found


class TestLayers:
    def test_the_tree_is_read(self):
        # A scan that found nothing would pass every rule below.
        names = set(modules())
        assert {
            "partnercenter.core.pages",
            "enrollment.states",
            "relationships.services.providers",
            "billing.services.orders",
        } <= names
        assert not any(".migrations" in n or n.startswith("tests") for n in names)
        assert len(imports_of("enrollment.services.application")) > 5

    def test_no_lower_app_imports_a_higher_one(self):
        found = upward_imports()
        assert not found, (
            "Imports that run up the layers (partnercenter <- enrollment <- relationships <- billing):\n"
            + "\n".join(found)
        )

    def test_the_wiring_is_the_only_exception(self):
        assert may_import_anything("partnercenter.urls")
        assert may_import_anything("partnercenter.settings.base")
        assert may_import_anything("partnercenter.celery")
        assert may_import_anything("enrollment.management.commands.seed_demo")
        assert may_import_anything("benchmarks.__main__")
        assert not may_import_anything("partnercenter.core.views")
        assert not may_import_anything("enrollment.management")
        assert not may_import_anything("relationships.context_processors")

    def test_the_scan_sees_relative_and_function_level_imports(self):
        """The detector itself: a relative import and an import inside a function are both
        followed (a rule test that sees nothing proves nothing)."""
        found = {(i.target, i.text) for i in imports_of("partnercenter.core.pages")}
        # pages.py imports ``.views`` inside a function, and ``.errors`` at the top.
        assert ("partnercenter.core.views", "from .views import page_not_found, permission_denied") in found
        assert any(target == "partnercenter.core.errors" for target, _ in found)
        assert {i.target for i in imports_of("enrollment.services.application")} >= {
            "enrollment.events",
            "enrollment.rules",
            "enrollment.services.common",
        }


# --- (b) No import cycle ---------------------------------------------------------------------


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for imp in all_imports():
        graph[imp.source].add(imp.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each given as
    one concrete loop through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        # Iterative, so that a deep graph cannot reach the recursion limit.
        work = [(node, iter(sorted(graph[node])))]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[current])
                if low[current] == index[current]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == current:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_loop_in(graph, set(c)) for c in components]


def _loop_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest loop from the component's first module back to itself."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & component):
                if child == start:
                    return [*paths[node], start]
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    following.append(child)
        frontier = following
    return sorted(component)


def describe_loop(loop: list[str]) -> str:
    steps = []
    for source, target in zip(loop, loop[1:], strict=False):
        imp = next(i for i in imports_of(source) if i.target == target)
        steps.append(f"  {imp.where()}")
    return " -> ".join(loop) + "\n" + "\n".join(steps)


class TestNoCycles:
    def test_no_modules_import_each_other_in_a_loop(self):
        found = cycles(import_graph())
        assert not found, "Import loops:\n" + "\n".join(describe_loop(loop) for loop in found)

    def test_the_detector_finds_a_loop(self):
        graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
        assert cycles(graph) == [["a", "b", "c", "a"]]
        assert cycles({"a": {"b"}, "b": set()}) == []


# --- (c) No module over 500 lines ------------------------------------------------------------


class TestModuleSize:
    def test_no_module_is_over_500_lines(self):
        # The tests too: a test module over the limit is split by journey or by role.
        tests = sorted((ROOT / "tests").rglob("*.py"))
        long = {
            rel(p): n
            for p in (*source_files(), *tests)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        }
        assert not long, f"Modules over {MAX_LINES} lines (split them by role): " + ", ".join(
            f"{path} ({n} lines)" for path, n in sorted(long.items())
        )


# --- (d) Forms are named one way -------------------------------------------------------------


def is_forms_module(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return path.name == "forms.py" or "forms" in parts[:-1]


def form_classes(path: Path) -> list[tuple[str, int]]:
    """Classes that subclass a form (their base's name ends in ``Form``)."""
    found = []
    for node in ast.walk(tree_of(path)):
        if isinstance(node, ast.ClassDef):
            bases = [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases]
            if any(base.endswith("Form") for base in bases):
                found.append((node.name, node.lineno))
    return found


def apps() -> list[Path]:
    """The Django apps: packages with an ``apps.py``."""
    return sorted(p.parent for p in source_files() if p.name == "apps.py")


class TestForms:
    def test_no_module_is_named_another_way(self):
        odd = [
            rel(p)
            for p in source_files()
            if p.stem != "forms" and (p.stem.endswith("_forms") or p.stem.startswith("forms_"))
        ]
        odd += [
            rel(d)
            for d in ROOT.rglob("*forms*")
            if d.is_dir()
            and d.name != "forms"
            and ("_forms" in d.name or "forms_" in d.name)
            and not _is_skipped(d / "x.py")
        ]
        assert not odd, "Forms live in forms.py or a forms/ package, not: " + ", ".join(odd)

    def test_each_app_has_forms_py_or_a_forms_package_never_both(self):
        both = [rel(app) for app in apps() if (app / "forms.py").exists() and (app / "forms").is_dir()]
        assert not both, "Apps with both forms.py and forms/: " + ", ".join(both)
        assert {rel(a) for a in apps() if (a / "forms.py").exists() or (a / "forms").is_dir()} >= {
            "enrollment",
            "relationships",
            "billing",
            "partnercenter/accounts",
        }

    def test_forms_are_defined_in_forms_modules(self):
        stray = [
            f"{rel(p)}:{line}: class {name}"
            for p in source_files()
            if not is_forms_module(p)
            for name, line in form_classes(p)
        ]
        assert not stray, "Forms defined outside forms.py or a forms/ package:\n" + "\n".join(stray)
        assert form_classes(ROOT / "billing" / "forms.py"), (
            "the form detector found no form in billing/forms.py"
        )
