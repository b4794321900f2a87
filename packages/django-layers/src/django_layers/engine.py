"""A check from configuration to violations: read the files, resolve, apply the rules."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django_layers import results
from django_layers.cache import FileCache
from django_layers.config import Config, ConfigError
from django_layers.declared import find_pyproject
from django_layers.model import Dependency, FileError, Result
from django_layers.paths import display_path, path_display
from django_layers.rules import Members, apply_rules
from django_layers.sources import SourceTree, discover, placement_problems

if TYPE_CHECKING:
    from django_layers.batch import Read
    from django_layers.watch import Watch

Stat = tuple[str, str, bool, "os.stat_result | OSError"]  # path, module, is_init, stat


def stat_sources(tree: SourceTree) -> list[Stat]:
    """Each file of the tree with its ``stat`` (or the error that stopped it)."""
    found: list[Stat] = []
    for path, module, is_init in tree.files:
        try:
            found.append((path, module, is_init, os.stat(path)))
        except OSError as error:  # removed while the run was going on
            found.append((path, module, is_init, error))
    return found


def read_sources(
    files: list[Stat],
    cache: FileCache,
    result: Result,
    wanted: Callable[[str], bool] | None = None,
    ruff: Callable[[], set[str] | None] | None = None,
) -> dict[str, Read]:
    """Every readable file by path; the others become ``result.errors``. ``wanted`` tells
    which modules' records are needed (default: all); the others are only compiled. ``ruff``
    is ruff's answer on every file, when it was started already (see :func:`run_check`)."""
    # The reading machinery (worker processes, ruff, the fast pass) is loaded only here: a run
    # answered by the last run's whole result never needs it.
    from django_layers.batch import NewFile, Read, read_new  # noqa: PLC0415

    read: dict[str, Read] = {}
    new: list[NewFile] = []
    for path, module, is_init, stat in files:
        result.files += 1
        if isinstance(stat, OSError):
            result.errors.append(FileError(display_path(path), 1, 1, f"cannot be read: {stat}"))
            continue
        needed = wanted is None or wanted(module) or module.endswith(".apps")
        stored = cache.get(path, stat.st_size, stat.st_mtime_ns)
        if stored is None or (stored[0] is None and needed):
            new.append(NewFile(path, module, is_init, stat, needed))
        else:
            result.from_cache += 1
            read[path] = Read(module, is_init, stored[0] or [], stored[1])
    if new:
        read.update(read_new(new, cache, result, path_display(), ruff))
    elif ruff is not None:
        ruff()  # not needed after all (no file could be stated): waited for, not left behind
    result.errors.sort(key=lambda error: (error.path, error.line, error.col))
    cache.forget_missing(set(read))
    return read


def app_label_map(config: Config, tree: SourceTree, read: dict[str, Read]) -> dict[str, str]:
    """Django app label -> module, from each app's AppConfig, defaults, then the config."""
    labels = {name: name for name in tree.packages}  # an app without AppConfig: its last name
    for module, _, _, apps in read.values():
        for name, label in apps:
            app_module = name or module.rpartition(".")[0]
            labels[label or app_module.rpartition(".")[2]] = app_module
    labels.update(config.app_labels)
    return labels


def resolve(
    tree: SourceTree, read: dict[str, Read], labels: dict[str, str], count_types: bool
) -> list[Dependency]:
    """Every dependency of every file, as module -> module."""
    modules = tree.modules
    found: list[Dependency] = []
    show = path_display()
    for path, (module, is_init, records, _) in read.items():
        shown = show(path)
        package = module if is_init else module.rpartition(".")[0]
        for kind, line, col, target, level, names, type_only in records:
            if type_only and not count_types:
                continue
            targets: list[str] = []
            if kind == "from":
                if level:
                    parts = package.split(".") if package else []
                    if level > len(parts):
                        continue  # beyond the top-level package: Python refuses it too
                    base = ".".join(parts[: len(parts) - level + 1])
                    target = f"{base}.{target}" if target else base
                for name in names or ():
                    candidate = f"{target}.{name}"
                    chosen = candidate if candidate in modules else target
                    if chosen not in targets:
                        targets.append(chosen)
            elif kind in ("import", "import_module"):
                targets.append(target)
            elif target in labels:
                targets.append(labels[target])
            shown_kind = "type_only" if type_only else kind
            for imported in targets:
                found.append(Dependency(shown, line, col + 1, module, imported, shown_kind))
    found.sort(key=lambda d: (d.path, d.line, d.col, d.imported))
    return found


def judged_modules(config: Config) -> Callable[[str], bool]:
    """Whether a module belongs to a package that a rule judges (in a layer, or isolated):
    only such a module's dependencies can break a rule."""
    members = Members(config)
    judged = set(members.layer_index) | members.isolated
    return lambda module: members.owner(module) in judged


def run_check(
    config: Config,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    every_dependency: bool = True,
    watch: Watch | None = None,
) -> Result:
    """Check the sources of ``config``; raises :class:`ConfigError` for placement problems.

    ``every_dependency=False`` reads only what the rules need: ``result.dependencies`` then
    holds the dependencies of judged packages only (and of every package when
    ``check_dependencies`` is on), the violations and file errors are the same. Every file is
    still proven to compile. ``watch``, when given, records what the result depends on in the
    file system (only when a cache is used: see :mod:`django_layers.replay`).
    """
    listed_ns = time.time_ns()
    tree = discover(config)
    problems = placement_problems(config, tree)
    if problems:
        raise ConfigError(config.path, problems)
    directory = None
    if use_cache:
        directory = cache_dir or (config.root / config.cache_dir)
    ruff = None
    if directory is None or not directory.exists():
        # Nothing can come from a cache (a fresh checkout without a CI cache, or --no-cache):
        # every file goes to ruff, so it starts now and parses on the other cores while this
        # process stats, loads the reading code and reads.
        from django_layers.syntax import start_ruff  # noqa: PLC0415

        ruff = start_ruff([path for path, _, _ in tree.files])
    started_ns = time.time_ns()
    files = stat_sources(tree)
    key, racy = "", []
    if directory is not None:
        states = _states(config, tree, files)
        states.append(("every dependency" if every_dependency else "judged only", 0, 0))
        key, racy = results.fingerprint(config, states), results.racy(states, started_ns)
        stored = results.load(directory, key)
        if stored is not None:
            result, recent = stored
            if len(racy) < len(recent) and set(racy) <= set(recent):
                # Some have aged since: from now on they are trusted on their size and time.
                results.save(directory, key, result, {path: recent[path] for path in racy})
            if watch is not None:
                watch.record(config, tree, _stats(files), recent, listed_ns, started_ns)
            return result
    cache = FileCache(directory)
    result = Result()
    wanted = None if every_dependency or config.check_dependencies else judged_modules(config)
    read = read_sources(files, cache, result, wanted, ruff)
    cache.save()
    labels = app_label_map(config, tree, read)
    result.dependencies = resolve(tree, read, labels, config.count_type_checking_imports)
    apply_rules(config, tree, result)
    contents = {path: cache.keys[path] for path in racy if path in cache.keys}
    if directory is not None and len(contents) == len(racy):
        results.save(directory, key, result, contents)
        if watch is not None:
            watch.record(config, tree, _stats(files), contents, listed_ns, started_ns)
    return result


def _stats(files: list[Stat]) -> list[tuple[str, os.stat_result | OSError]]:
    return [(path, stat) for path, _, _, stat in files]


def _states(config: Config, tree: SourceTree, files: list[Stat]) -> list[results.FileState]:
    """What the whole result depends on among the files: the sources, and the pyproject.toml
    files whose dependencies are checked."""
    states = [
        (path, -1, -1) if isinstance(stat, OSError) else (path, stat.st_size, stat.st_mtime_ns)
        for path, _, _, stat in files
    ]
    if config.check_dependencies:
        for package in tree.packages.values():
            pyproject = find_pyproject(config, package.path)
            if pyproject is None:
                states.append((f"{package.name}: no pyproject.toml", 0, 0))
                continue
            try:
                stat = os.stat(pyproject)
            except OSError:
                states.append((str(pyproject), -1, -1))
                continue
            states.append((str(pyproject), stat.st_size, stat.st_mtime_ns))
    return states
