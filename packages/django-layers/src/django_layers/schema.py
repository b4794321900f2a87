"""The layers.yaml schema: YAML nodes to a :class:`Config`, every problem kept with its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml  # this module is imported only when a configuration must be parsed

from django_layers.config import Allow, Config, ConfigError, Layer, owner

# Records where a package is placed: (name, its node, where, e.g. "layer 'core'").
Place = Callable[[str, yaml.Node, str], None]

TOP_KEYS = {
    "sources": "list of globs",
    "ignore": "list of globs",
    "layers": "list of layers",
    "internal_layers": "mapping of package to its own list of layers",
    "isolated": "list of packages",
    "unlayered": "list of packages",
    "allow": "list of exceptions",
    "app_labels": "mapping of app label to package",
    "count_type_checking_imports": "boolean",
    "check_dependencies": "boolean",
    "cache_dir": "string",
}
LAYER_KEYS = {"name", "packages", "independent", "description"}
INTERNAL_LAYER_KEYS = {"name", "modules", "independent", "description"}
ALLOW_KEYS = {"importer", "imported", "reason"}


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Turns YAML nodes into values, recording each problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append((_line(node), message))

    def mapping(self, node: yaml.Node, what: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping, got {_kind(node)}")
            return {}
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, f"{what} has a key that is not a string")
            elif key in found:
                self.problem(key_node, f"duplicate key {key!r} in {what}")
            elif key not in allowed:
                import difflib  # noqa: PLC0415 - only a misspelt key needs it

                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                also = f" (did you mean {hint[0]!r}?)" if hint else ""
                expected = ", ".join(sorted(allowed))
                self.problem(key_node, f"unknown key {key!r} in {what}{also}; expected: {expected}")
            else:
                found[key] = value_node
        return found

    def string(self, node: yaml.Node, what: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            if node.value.strip():
                return str(node.value)
            self.problem(node, f"{what} must not be empty")
            return None
        self.problem(node, f"{what} must be a string, got {_kind(node)}")
        return None

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() in ("true", "yes", "on")
        self.problem(node, f"{what} must be true or false, got {_kind(node)}")
        return None

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.problem(node, f"{what} must be a list, got {_kind(node)}")
        return []

    def strings(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        found = []
        for item in self.sequence(node, what):
            value = self.string(item, f"each entry of {what}")
            if value is not None:
                found.append((value, item))
        return found


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return "nothing" if tag == "null" else f"{tag} {node.value!r}"


def read(path: Path, data: bytes | None = None) -> tuple[Config, list[tuple[int, str]], bool]:
    """The configuration in ``path`` (whose content is ``data`` when given), the problems found
    in it, and whether its packages can still be placed in the sources (it has a layers mapping,
    and its sources are not broken). Raises :class:`ConfigError` when there is no configuration
    to read at all."""
    # The C parser is several times faster; PyYAML without libyaml still works.
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, [(0, f"cannot read the configuration: {error}")]) from error
    try:
        document = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(path, [(line, f"invalid YAML: {problem}")]) from error
    config = Config(path=path, root=path.resolve().parent)
    reader = _Reader()
    if document is None:
        raise ConfigError(path, [(1, "the file is empty; expected a mapping with 'layers'")])
    top = reader.mapping(document, "the configuration", set(TOP_KEYS))
    _read_top(reader, top, config)
    if "layers" not in top and isinstance(document, yaml.MappingNode):
        reader.problem(document, "missing required key 'layers'")
    sources_broken = config.sources_written and any(
        line == config.sources_line for line, _ in reader.problems
    )
    if not config.sources_written:
        config.sources_line = _line(document)
    return config, reader.problems, bool(top) and not sources_broken


def _read_top(reader: _Reader, top: dict[str, yaml.Node], config: Config) -> None:
    for key in ("sources", "ignore"):
        if key in top:
            setattr(config, key, [value for value, _ in reader.strings(top[key], key)])
    if "sources" in top:
        config.sources_line = _line(top["sources"])
        config.sources_written = True
    for key in ("count_type_checking_imports", "check_dependencies"):
        if key in top:
            value = reader.boolean(top[key], key)
            if value is not None:
                setattr(config, key, value)
    if "cache_dir" in top:
        config.cache_dir = reader.string(top["cache_dir"], "cache_dir") or config.cache_dir
    placed: dict[str, str] = {}

    def place(name: str, node: yaml.Node, where: str) -> None:
        if name in placed:
            reader.problem(node, f"package {name!r} is in {placed[name]} and in {where}")
            return
        placed[name] = where
        config.package_lines[name] = _line(node)

    if "layers" in top:
        config.layers_line = _line(top["layers"])
        config.layers = _read_layers(reader, top["layers"], place)
    for key in ("isolated", "unlayered"):
        if key in top:
            names = reader.strings(top[key], key)
            for name, node in names:
                place(name, node, f"'{key}'")
            setattr(config, key, [name for name, _ in names])
    if "allow" in top:
        for item in reader.sequence(top["allow"], "allow"):
            entry = reader.mapping(item, "an allow entry", ALLOW_KEYS)
            values: dict[str, str | None] = {}
            for key in sorted(ALLOW_KEYS):
                if key in entry:
                    values[key] = reader.string(entry[key], f"allow {key}")
                elif isinstance(item, yaml.MappingNode):
                    reader.problem(item, f"allow entry is missing {key!r}")
            importer, imported, reason = (
                values.get(key) for key in ("importer", "imported", "reason")
            )
            if importer and imported and reason:
                config.allow.append(Allow(importer, imported, reason, _line(item)))
    if "app_labels" in top:
        labels = reader.mapping(top["app_labels"], "app_labels", _AnyKey())
        for label, node in labels.items():
            module = reader.string(node, f"app_labels {label!r}")
            if module is not None:
                config.app_labels[label] = module
    if "internal_layers" in top:
        _read_internal_layers(reader, top["internal_layers"], config, placed)


def _read_layers(
    reader: _Reader,
    node: yaml.Node,
    place: Place,
    members: str = "packages",
    where: str = "",
) -> list[Layer]:
    """A list of layers; ``members`` names the key that lists each layer's names (``modules``
    for the internal layers of a package), ``where`` follows "layer 'x'" in messages."""
    what = f"the internal layers{where}" if where else "layers"
    keys = LAYER_KEYS if members == "packages" else INTERNAL_LAYER_KEYS
    items = reader.sequence(node, what)
    if isinstance(node, yaml.SequenceNode) and not items:
        reader.problem(node, f"{what} must list at least one layer")
    layers: list[Layer] = []
    names: set[str] = set()
    for item in items:
        entry = reader.mapping(item, "a layer", keys)
        if not entry:
            continue
        name = reader.string(entry["name"], "a layer's name") if "name" in entry else None
        if "name" not in entry:
            reader.problem(item, f"a layer{where} is missing 'name'")
        elif name in names:
            reader.problem(entry["name"], f"duplicate layer name {name!r}{where}")
        names.add(name or "")
        label = (repr(name) if name else "(unnamed)") + where
        independent = False
        if "independent" in entry:
            independent = bool(reader.boolean(entry["independent"], "independent"))
        if "description" in entry:
            reader.string(entry["description"], "description")
        listed = []
        if members not in entry:
            reader.problem(item, f"layer {label} is missing {members!r}")
        else:
            for member, member_node in reader.strings(entry[members], members):
                place(member, member_node, f"layer {label}")
                listed.append(member)
            if isinstance(entry[members], yaml.SequenceNode) and not entry[members].value:
                reader.problem(entry[members], f"layer {label} has no {members}")
        layers.append(Layer(name or "", listed, independent, _line(item)))
    return layers


def _read_internal_layers(
    reader: _Reader, node: yaml.Node, config: Config, placed: dict[str, str]
) -> None:
    """Each package's own layers: its modules only, each inside the package and in one layer."""
    key_lines: dict[str, int] = {}  # problems of a package are shown at its key
    for key, _ in node.value if isinstance(node, yaml.MappingNode) else []:
        if isinstance(key, yaml.ScalarNode):
            key_lines.setdefault(key.value, _line(key))
    for package, layers_node in reader.mapping(node, "internal_layers", _AnyKey()).items():
        line = config.internal_lines[package] = key_lines[package]
        if package not in placed:
            message = f"package {package!r} has internal layers but is in no layer"
            reader.problems.append((line, message))
        elif package in config.unlayered:
            message = (
                f"package {package!r} is in 'unlayered', where no rule applies: it cannot have "
                "internal layers"
            )
            reader.problems.append((line, message))
        config.internal_layers[package] = _read_package_layers(
            reader, package, layers_node, config, placed
        )


def _read_package_layers(
    reader: _Reader, package: str, node: yaml.Node, config: Config, placed: dict[str, str]
) -> list[Layer]:
    seen: dict[str, str] = {}

    def place(module: str, module_node: yaml.Node, where: str) -> None:
        belongs = owner(module, placed)
        if not (module == package or module.startswith(package + ".")):
            reader.problem(module_node, f"module {module!r} in {where} is not in {package!r}")
        elif belongs is not None and belongs != package:
            message = (
                f"module {module!r} in {where} belongs to {belongs!r}, placed on its own in "
                f"{placed[belongs]}: list it in the internal layers of {belongs!r}"
            )
            reader.problem(module_node, message)
        elif seen.get(module) == where:
            reader.problem(module_node, f"module {module!r} is listed twice in {where}")
        elif module in seen:
            reader.problem(module_node, f"module {module!r} is in {seen[module]} and in {where}")
        else:
            seen[module] = where
            config.module_lines[module] = _line(module_node)

    return _read_layers(reader, node, place, members="modules", where=f" of {package!r}")


class _AnyKey(set[str]):
    """Every key is allowed (a mapping whose keys are the user's own names)."""

    def __contains__(self, key: object) -> bool:
        return True
