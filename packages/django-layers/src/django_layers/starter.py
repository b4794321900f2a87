"""``django-layers init``: a starting layers.yaml for the project found beside it.

It finds where the packages are (a flat ``django-admin startproject`` layout, a ``src/`` layout,
or a monorepo of distributions each with its own ``src/``), sorts what it finds into Django apps,
the project package (settings and root URLs) and the other packages, and writes every key of the
schema with a comment that explains it. The layers it proposes follow the imports the project
has today, so that the first check passes and every later one guards it: the project package on
top, below it the other packages in levels (a package sits above every package it imports;
packages of a level that do not import each other are an independent layer).
"""

from __future__ import annotations

import glob
from pathlib import Path

from django_layers.config import (
    DEFAULT_CACHE_DIR,
    DEFAULT_IGNORE,
    DEFAULT_SOURCES,
    Config,
    ConfigError,
    Layer,
)
from django_layers.engine import run_check
from django_layers.sources import Package, discover

# (name, description, independent, packages), as written
LayerText = tuple[str, str, bool, list[str]]


class StarterError(Exception):
    """No starting file can be written (one exists already, or no package was found)."""


# The layouts recognised, tried in this order; each is a glob relative to the project root.
FLAT = DEFAULT_SOURCES[0]
SRC = "src/*"
# One distribution per folder, each with a src/ layout (packages/<name>/src/<package>).
MONOREPO_DEPTHS = ("*/src/*", "*/*/src/*")

# Folders that are never where a project's own packages are (environments, caches, tools').
NOT_SOURCES = {"node_modules", "site-packages", "venv", "env", "build", "dist"}


def _is_package(path: Path) -> bool:
    return (path.is_dir() and (path / "__init__.py").is_file()) or (
        path.is_file() and path.suffix == ".py" and path.stem.isidentifier()
    )


def _matches(root: Path, pattern: str) -> list[Path]:
    found = []
    for match in sorted(glob.glob(str(root / pattern))):
        path = Path(match)
        if path.name == "__init__.py":
            path = path.parent
        parts = set(path.relative_to(root).parts)
        if _is_package(path) and not parts & NOT_SOURCES:
            found.append(path)
    return found


def detect_sources(root: Path) -> list[str]:
    """The source globs that find packages under ``root``, most specific first."""
    sources: list[str] = []
    for depth in reversed(MONOREPO_DEPTHS):
        # Name the top folders (packages/*/src/*) rather than a wildcard, so that a checkout's
        # other folders with a src/ (a vendored tool, docs) are not read by accident.
        tops = sorted({path.relative_to(root).parts[0] for path in _matches(root, depth)})
        prefix = depth.split("/", 1)[1]
        sources.extend(f"{top}/{prefix}" for top in tops if top != "src")
    if _matches(root, SRC):
        sources.append(SRC)
    if _matches(root, FLAT):
        sources.append(FLAT)
    return sources


def is_project(package: Package) -> bool:
    """The package ``startproject`` made: settings, or root URLs beside a WSGI/ASGI module."""
    path = package.path
    if (path / "settings.py").is_file() or (path / "settings" / "__init__.py").is_file():
        return True
    server = (path / "wsgi.py").is_file() or (path / "asgi.py").is_file()
    return server and (path / "urls.py").is_file()


def is_app(package: Package) -> bool:
    """A Django app: it has an AppConfig, models or migrations."""
    path = package.path
    return any((path / name).exists() for name in ("apps.py", "models.py", "models", "migrations"))


def _yaml_list(names: list[str], indent: str, quoted: bool = True) -> str:
    """A block list; globs are quoted (a leading ``*`` would be a YAML alias), names need not."""
    if not names:
        return " []\n"
    return "\n" + "".join(f"{indent}- {f'{name!r}' if quoted else name}\n" for name in names)


def render(
    sources: list[str],
    layers: list[LayerText],
    unlayered: list[str],
    check_dependencies: bool,
) -> str:
    """The text of the starting file; ``layers`` is (name, description, independent, packages)."""
    layer_text = ""
    for name, description, independent, packages in layers:
        layer_text += f'  - name: {name}\n    description: "{description}"\n'
        if independent:
            layer_text += "    independent: true\n"
        layer_text += "    packages:" + _yaml_list(packages, "      ", quoted=False)
    return f"""\
# layers.yaml: the import boundaries of this project, checked by `django-layers check`.
# `django-layers init` wrote it from the packages it found here and the imports between them
# today; edit it to say what you intend. Relative paths start at this file's folder.
# Reference: https://django-primitives.readthedocs.io/en/latest/packages/layers/

# sources: where your packages are, as globs. Each match is a top-level package (a folder)
# or a single module (a .py file); a match that is an __init__.py selects its folder, so
# "*/__init__.py" (the default) means the packages beside this file.
sources:{_yaml_list(sources, "  ")}
# ignore: files that are not read, matched against the path from the package's parent folder
# ("shop/tests/test_cart.py"); "**" spans folders, "*" stays in one. These are the defaults;
# [] reads everything.
ignore:{_yaml_list(list(DEFAULT_IGNORE), "  ")}
# layers: lowest first. A layer may import itself and any layer below it, never one above.
# independent: true forbids imports between the layer's own members. Every package found under
# the sources must be in a layer, in isolated or in unlayered. A package name may also be a
# subpackage (shop.api): a module belongs to the longest name that prefixes it.
layers:
{layer_text}
# internal_layers: a package's own layers, lowest first, checked among its modules only: a
# module may import its own internal layer and lower ones of the package, never a higher one.
# Each module of a package listed here must be in one of them (a name covers the modules
# below it), for example:
#   shop:
#     - name: models
#       modules: [shop.models, shop.querysets]
#     - name: views
#       modules: [shop, shop.views, shop.admin, shop.apps, shop.migrations]
internal_layers: {{}}

# isolated: packages that may import nothing else found under the sources.
isolated: []

# unlayered: packages deliberately left out; no rule applies to them.
unlayered:{_yaml_list(unlayered, "  ", quoted=False)}
# allow: accepted exceptions, each matching a module and everything below it, with the reason
# it is accepted, for example:
#   - importer: shop.views
#     imported: billing.invoices
#     reason: the checkout shows the invoice until billing has an API for it
allow: []

# app_labels: Django app labels that cannot be read from an apps.py, mapped to their package.
# Labels resolve ForeignKey("label.Model"), apps.get_model() and migration dependencies.
app_labels: {{}}

# count_type_checking_imports: whether imports under `if TYPE_CHECKING:` count.
count_type_checking_imports: true

# check_dependencies: whether each package with its own pyproject.toml must declare exactly the
# sibling packages (found under the sources) that it imports.
check_dependencies: {"true" if check_dependencies else "false"}

# cache_dir: where results are kept between runs (it holds its own .gitignore).
cache_dir: {DEFAULT_CACHE_DIR}
"""


def starting_config(config_path: Path) -> str:
    """The starting layers.yaml for the project around ``config_path``."""
    root = config_path.resolve().parent
    sources = detect_sources(root)
    if not sources:
        raise StarterError(
            f"no Python package found in {root} (looked for {FLAT}, {SRC} and "
            f"{', '.join(MONOREPO_DEPTHS)}): run init in the project's root folder"
        )
    probe = Config(config_path, root)
    probe.sources = sources
    found = discover(probe)
    if found.problems:
        raise StarterError("; ".join(message for _, message in found.problems))
    packages = [found.packages[name] for name in sorted(found.packages)]
    # A top-level tests package (tests/__init__.py beside the apps) is no part of the layering.
    unlayered = [p.name for p in packages if p.name == "tests"]
    projects = [p.name for p in packages if p.name not in unlayered and is_project(p)]
    others = [p.name for p in packages if p.name not in {*unlayered, *projects}]
    imports = imports_between(probe, [p.name for p in packages], others)
    apps = {p.name for p in packages if is_app(p)}
    layers = level_layers(others, imports, apps)
    if projects:
        layers.append(
            (
                "project",
                "settings, root URLs, WSGI and ASGI: free to import every app",
                False,
                projects,
            )
        )
    # A distribution per package (a pyproject.toml inside the sources' folders) is a monorepo,
    # whose declarations are worth checking; a single project's pyproject.toml is not.
    check_dependencies = any(not source.startswith(("*", "src/")) for source in sources)
    return render(sources, layers, unlayered, check_dependencies)


def imports_between(probe: Config, found: list[str], names: list[str]) -> dict[str, set[str]]:
    """Which of ``names`` each of them imports today (every kind of dependency the check sees),
    from a check of every package ``found`` placed in one layer."""
    probe.layers = [Layer("all", list(found))]
    probe.package_lines = dict.fromkeys(found, 1)
    probe.check_dependencies = False
    imports: dict[str, set[str]] = {name: set() for name in names}
    if not names:
        return imports
    try:
        result = run_check(probe, use_cache=False)  # init leaves nothing but layers.yaml behind
    except ConfigError as error:
        raise StarterError("; ".join(message for _, message in error.problems)) from error
    for dependency in result.dependencies:
        importer = dependency.importer.split(".")[0]
        imported = dependency.imported.split(".")[0]
        if importer != imported and importer in imports and imported in imports:
            imports[importer].add(imported)
    return imports


def _reachable(imports: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for imported in imports[stack.pop()]:
            if imported not in seen:
                seen.add(imported)
                stack.append(imported)
    return seen


def level_layers(names: list[str], imports: dict[str, set[str]], apps: set[str]) -> list[LayerText]:
    """Layers, lowest first: level 0 imports nothing else found here, each package sits one
    level above the highest it imports, and packages that import each other (a cycle) share a
    level that is then not independent."""
    reach = {name: _reachable(imports, name) for name in names}
    cycle_of = {name: frozenset(o for o in reach[name] if name in reach[o]) for name in names}
    level: dict[str, int] = {}

    def level_of(name: str) -> int:
        if name not in level:
            below = {o for member in cycle_of[name] for o in imports[member]} - cycle_of[name]
            level[name] = 1 + max((level_of(o) for o in below), default=-1)
        return level[name]

    layers: list[LayerText] = []
    used: dict[str, int] = {}
    for number in sorted({level_of(name) for name in names}):
        at_level = sorted(name for name in names if level[name] == number)
        # Within a level only the members of a cycle import each other, so other packages can
        # sit below the apps, except those in a cycle with an app: they go with the apps.
        with_apps = {name for name in at_level if name in apps or cycle_of[name] & apps}
        groups = (
            ("shared", [name for name in at_level if name not in with_apps]),
            ("apps", [name for name in at_level if name in with_apps]),
        )
        for base, members in groups:
            if not members:
                continue
            used[base] = used.get(base, 0) + 1
            label = base if used[base] == 1 else f"{base}-{used[base]}"
            what = "Django apps" if base == "apps" else "other packages"
            if base == "apps" and not apps.issuperset(members):
                what += " (and packages in a cycle with them)"
            if number == 0:
                what += " that import no other package found here"
            else:
                what += " that import only the layers below"
            independent = all(len(cycle_of[name]) == 1 for name in members)
            if independent:
                what += "; independent: none may import another"
            else:
                what += "; some of them import each other"
            layers.append((label, what, independent, members))
    return layers


def write_starting_config(config_path: Path, force: bool = False) -> str:
    """Write the starting file; refuses to replace one unless ``force``. Returns its text."""
    if config_path.exists() and not force:
        raise StarterError(f"{config_path} exists already: pass --force to replace it")
    text = starting_config(config_path)
    try:
        config_path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise StarterError(f"cannot write {config_path}: {error}") from error
    return text
