"""The rules: layers, independent members, isolated packages, allowed exceptions; and inside a
package with internal layers, the same layer rules among its modules."""

from __future__ import annotations

from django_layers.config import Config, Layer, owner
from django_layers.declared import declaration_violations
from django_layers.model import KIND_NAMES, Dependency, Result, Violation
from django_layers.sources import SourceTree

LOWER_HINT = (
    "move the code both need down into {lower!r} or below, or invert the dependency: a setting "
    "that names the model, a signal the host connects, or a GenericForeignKey; if it must stay, "
    "add an 'allow' entry with a reason"
)
SIBLING_HINT = (
    "members of an independent layer never depend on each other: move the shared code to a "
    "lower layer, or link them through a setting that names the model, a signal or a "
    "GenericForeignKey"
)
ISOLATED_HINT = "an isolated package stands alone: copy what it needs, or pass it in from outside"
INTERNAL_HINT = (
    "inside {package!r}, move the code both need down into {lower!r} or below, move the "
    "importing code up, or pass what it needs in as an argument; if it must stay, add an 'allow' "
    "entry with a reason"
)
INTERNAL_SIBLING_HINT = (
    "members of an independent layer never depend on each other: move the shared code to a "
    "lower layer of {package!r}"
)

# (rule, message, hint, importer's layer, imported's layer), or None: the dependency is allowed.
Verdict = tuple[str, str, str, str, str]

# An app label names the app's package; inside the app, what a model reference or get_model
# reaches is its models module (where Django finds an app's models), and a migration dependency
# its migrations, not the package's __init__.py.
APP_MODULES = {"model": "models", "get_model": "models", "migration": "migrations"}


class Members:
    """Maps a module to the configured package (member) that owns it: the longest prefix."""

    def __init__(self, config: Config) -> None:
        self.layer_index: dict[str, int] = {}
        self.layer_of: dict[str, str] = {}
        for index, layer in enumerate(config.layers):
            for package in layer.packages:
                self.layer_index[package] = index
                self.layer_of[package] = layer.name
        self.isolated = set(config.isolated)
        self.unlayered = set(config.unlayered)
        self.names = set(self.layer_index) | self.isolated | self.unlayered
        # package -> {module it lists: index of that module's internal layer}
        self.internal_index = {
            package: {
                module: index for index, layer in enumerate(layers) for module in layer.packages
            }
            for package, layers in config.internal_layers.items()
        }
        self._owner: dict[str, str | None] = {}

    def owner(self, module: str) -> str | None:
        if module in self._owner:
            return self._owner[module]
        found = self._owner[module] = owner(module, self.names)
        return found


def _allowed(config: Config, dependency: Dependency) -> bool:
    for entry in config.allow:
        if _under(dependency.importer, entry.importer) and _under(
            dependency.imported, entry.imported
        ):
            return True
    return False


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def judge(
    config: Config, tree: SourceTree, members: Members, dependency: Dependency
) -> Verdict | None:
    """What rule the dependency breaks, with why, how to fix it and the layers involved (those of
    the package's internal layers inside a package that has them), else ``None``."""
    source = members.owner(dependency.importer)
    if source is None or source in members.unlayered:
        return None
    target = members.owner(dependency.imported)
    if target == source and source in members.internal_index:
        return _judge_internal(config, tree, members, source, dependency)
    what = KIND_NAMES[dependency.kind]
    if source in members.isolated:
        top = dependency.imported.split(".", 1)[0]
        if top in tree.packages and not _under(dependency.imported, source):
            message = (
                f"{dependency.importer} -> {dependency.imported} ({what}): {source!r} is "
                "isolated and may not depend on anything else from the sources"
            )
            return "isolated", message, ISOLATED_HINT, "isolated", _layer_name(members, target)
        return None
    if target is None or target == source or target in members.unlayered:
        return None
    if target in members.isolated:
        return None
    source_index, target_index = members.layer_index[source], members.layer_index[target]
    source_layer, target_layer = config.layers[source_index], config.layers[target_index]
    layers = source_layer.name, target_layer.name
    if target_index > source_index:
        message = (
            f"{dependency.importer} -> {dependency.imported} ({what}): layer "
            f"{source_layer.name!r} may not depend on the higher layer {target_layer.name!r}"
        )
        return "layers", message, LOWER_HINT.format(lower=source_layer.name), *layers
    if target_index == source_index and source_layer.independent:
        message = (
            f"{dependency.importer} -> {dependency.imported} ({what}): {source!r} and "
            f"{target!r} are independent members of layer {source_layer.name!r}"
        )
        return "independent", message, SIBLING_HINT, *layers
    return None


def _layer_name(members: Members, member: str | None) -> str:
    if member in members.isolated:
        return "isolated"
    if member in members.unlayered:
        return "unlayered"
    return members.layer_of.get(member or "", "")


def _judge_internal(
    config: Config, tree: SourceTree, members: Members, package: str, dependency: Dependency
) -> Verdict | None:
    """The layer rules among the modules of ``package``, by its internal layers. A layer is
    shown as ``package:layer``."""
    index = members.internal_index[package]
    imported = dependency.imported
    part = APP_MODULES.get(dependency.kind)
    if part is not None and f"{imported}.{part}" in tree.modules:
        imported = f"{imported}.{part}"
    source, target = owner(dependency.importer, index), owner(imported, index)
    if source is None or target is None or source == target:
        return None  # a name found in no source (placement covers every file), or one module
    layers: list[Layer] = config.internal_layers[package]
    source_layer, target_layer = layers[index[source]], layers[index[target]]
    shown = f"{package}:{source_layer.name}", f"{package}:{target_layer.name}"
    what = KIND_NAMES[dependency.kind]
    if index[target] > index[source]:
        message = (
            f"{dependency.importer} -> {dependency.imported} ({what}): inside {package!r}, layer "
            f"{source_layer.name!r} may not depend on the higher layer {target_layer.name!r}"
        )
        hint = INTERNAL_HINT.format(package=package, lower=source_layer.name)
        return "layers", message, hint, *shown
    if index[target] == index[source] and source_layer.independent:
        message = (
            f"{dependency.importer} -> {dependency.imported} ({what}): {source!r} and "
            f"{target!r} are independent members of layer {source_layer.name!r} of {package!r}"
        )
        return "independent", message, INTERNAL_SIBLING_HINT.format(package=package), *shown
    return None


def apply_rules(config: Config, tree: SourceTree, result: Result) -> None:
    members = Members(config)
    result.layer_of = dict(members.layer_of)
    result.layer_of.update(dict.fromkeys(members.isolated, "isolated"))
    result.layer_of.update(dict.fromkeys(members.unlayered, "unlayered"))
    for dependency in result.dependencies:
        for module in (dependency.importer, dependency.imported):
            member = members.owner(module)
            if member is not None:
                result.member_of[module] = member
        verdict = judge(config, tree, members, dependency)
        if verdict is None:
            continue
        if _allowed(config, dependency):
            result.allowed += 1
            continue
        rule, message, hint, importer_layer, imported_layer = verdict
        result.violations.append(
            Violation(
                dependency.path,
                dependency.line,
                dependency.col,
                dependency.importer,
                dependency.imported,
                dependency.kind,
                rule,
                importer_layer,
                imported_layer,
                message,
                hint,
            )
        )
    if config.check_dependencies:
        result.violations.extend(declaration_violations(config, tree, result))
