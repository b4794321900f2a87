"""The package dependency graph as it really is, as a Mermaid flowchart."""

from __future__ import annotations

from collections import Counter

from django_layers.config import Config
from django_layers.model import Result


def _node(name: str) -> str:
    return name.replace(".", "_")


def mermaid(config: Config, result: Result) -> str:
    """Layers are subgraphs (highest on top); a forbidden edge is dotted and labelled."""
    edges: Counter[tuple[str, str]] = Counter()
    forbidden = {
        (result.member_of.get(v.importer), result.member_of.get(v.imported))
        for v in result.violations
    }
    for dependency in result.dependencies:
        source = result.member_of.get(dependency.importer)
        target = result.member_of.get(dependency.imported)
        if source and target and source != target:
            edges[(source, target)] += 1
    lines = ["flowchart TB"]
    groups = [(layer.name, layer.packages) for layer in reversed(config.layers)]
    groups += [("isolated", config.isolated), ("unlayered", config.unlayered)]
    for index, (name, packages) in enumerate(groups):
        if not packages:
            continue
        lines.append(f'  subgraph group{index}["{name}"]')
        lines.extend(f'    {_node(p)}["{p}"]' for p in packages)
        lines.append("  end")
    for (source, target), count in sorted(edges.items()):
        arrow = f"-. {count} forbidden .->" if (source, target) in forbidden else f"-->|{count}|"
        lines.append(f"  {_node(source)} {arrow} {_node(target)}")
    return "\n".join(lines) + "\n"
