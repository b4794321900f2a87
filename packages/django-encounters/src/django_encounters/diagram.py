"""The state diagram as an inline SVG, drawn by the package (no JavaScript, nothing fetched).

Layout: states are placed in columns by their distance (fewest moves) from the initial state, in
their declared order within a column; states the initial state cannot reach (only in a graph that
has not passed validation) get a last column of their own. Forward moves are straight arrows to
the right (breadth-first distances make them span one gap only); a move back or within a column
runs through the gap left of its source, below all boxes, and up the gap left of its target, so
no line crosses a box.
"""

from __future__ import annotations

from collections import deque
from html import escape
from typing import Any

BOX_HEIGHT = 32
COLUMN_GAP = 70  # room for the arrows between columns
ROW_GAP = 26
MARGIN = 30
CHAR_WIDTH = 7.5  # a generous average for the 13px sans-serif labels
START_RADIUS = 7
LANE = 10  # distance between the lanes of two detours below the boxes


def _detour(x1: float, y1: float, x2: float, y2: float, bottom: float, lane: int) -> str:
    """A path out of the left side of one box and into the left side of another."""
    leave_y, enter_y = y1 + BOX_HEIGHT / 2 - 6, y2 + BOX_HEIGHT / 2 + 6
    leave_x = x1 - 8 - 5 * (lane % 6)  # in the gap left of the source
    enter_x = x2 - 8 - 5 * ((lane + 3) % 6)  # in the gap left of the target
    if x1 == x2:  # same column: down or up the gap between the two
        return f"M{x1:.0f},{leave_y:.0f} H{leave_x:.0f} V{enter_y:.0f} H{x2 - 2:.0f}"
    low = bottom + LANE * lane
    return (
        f"M{x1:.0f},{leave_y:.0f} H{leave_x:.0f} V{low:.0f} H{enter_x:.0f} "
        f"V{enter_y:.0f} H{x2 - 2:.0f}"
    )


def _columns(states: list[str], initial_state: str, transitions: dict[str, Any]) -> list[list[str]]:
    """States grouped by breadth-first distance from the initial state."""
    distance = {initial_state: 0} if initial_state in states else {}
    queue = deque(distance)
    while queue:
        source = queue.popleft()
        for target in transitions.get(source) or []:
            if target in states and target not in distance:
                distance[target] = distance[source] + 1
                queue.append(target)
    unreachable_column = max(distance.values(), default=-1) + 1
    columns: list[list[str]] = [[] for _ in range(unreachable_column + 1)]
    for state in states:
        columns[distance.get(state, unreachable_column)].append(state)
    return [column for column in columns if column]


def state_diagram_svg(
    states: list[str],
    initial_state: str,
    final_states: list[str],
    transitions: dict[str, list[str]],
) -> str:
    """An ``<svg>`` element showing the graph; every name in it is escaped."""
    states = [state for state in dict.fromkeys(states) if isinstance(state, str)]
    columns = _columns(states, initial_state, transitions)
    widths = [max(len(state) for state in column) * CHAR_WIDTH + 24 for column in columns]
    boxes: dict[str, tuple[float, float, float]] = {}  # state -> (left, top, width)
    left = MARGIN + 2 * START_RADIUS + 40.0  # room for the gap left of the first column
    for column, width in zip(columns, widths, strict=True):
        for row, state in enumerate(column):
            boxes[state] = (left, MARGIN + row * (BOX_HEIGHT + ROW_GAP), width)
        left += width + COLUMN_GAP
    tallest = max((len(column) for column in columns), default=0)
    boxes_bottom = MARGIN + tallest * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
    width = left - COLUMN_GAP + MARGIN

    parts: list[str] = []
    loops = 0  # detours drawn so far; each gets its own lane, so they stay apart
    for source, targets in transitions.items():
        for target in targets if isinstance(targets, list) else []:
            if source not in boxes or target not in boxes:
                continue
            (x1, y1, w1), (x2, y2, _w2) = boxes[source], boxes[target]
            if x2 > x1:  # forward: right edge of the source to the left edge of the target
                path = (
                    f"M{x1 + w1:.0f},{y1 + BOX_HEIGHT / 2:.0f} "
                    f"L{x2 - 2:.0f},{y2 + BOX_HEIGHT / 2:.0f}"
                )
            else:  # back or sideways: through the gaps and below the boxes, never across one
                loops += 1
                path = _detour(x1, y1, x2, y2, boxes_bottom, loops)
            parts.append(
                f'<path class="move" d="{path}" data-from="{escape(source)}" '
                f'data-to="{escape(target)}">'
                f"<title>{escape(source)} → {escape(target)}</title></path>"
            )
    for state, (x, y, w) in boxes.items():
        final = state in final_states
        css = "state final" if final else "state"
        parts.append(f'<g class="{css}" data-state="{escape(state)}">')
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{BOX_HEIGHT}" rx="8"/>'
        )
        if final:  # a second border marks a state the encounter never leaves
            parts.append(
                f'<rect x="{x + 3:.0f}" y="{y + 3:.0f}" width="{w - 6:.0f}" '
                f'height="{BOX_HEIGHT - 6}" rx="6"/>'
            )
        parts.append(
            f'<text x="{x + w / 2:.0f}" y="{y + BOX_HEIGHT / 2 + 4:.0f}">{escape(state)}</text></g>'
        )
    if initial_state in boxes:
        x, y, _w = boxes[initial_state]
        middle = y + BOX_HEIGHT / 2
        parts.append(
            f'<circle class="start" cx="{MARGIN + START_RADIUS}" cy="{middle:.0f}" '
            f'r="{START_RADIUS}"/><path class="move" d="M{MARGIN + 2 * START_RADIUS},{middle:.0f} '
            f'L{x - 2:.0f},{middle:.0f}"/>'
        )
    height = boxes_bottom + LANE * loops + MARGIN
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="encounter-diagram" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">'
        "<title>state diagram</title>"
        '<defs><marker id="encounter-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
        "<style>"
        ".encounter-diagram rect{fill:#f5f8fa;stroke:#417690;stroke-width:1.5}"
        ".encounter-diagram text{font:13px sans-serif;text-anchor:middle;fill:#222}"
        ".encounter-diagram .move{fill:none;stroke:#666;stroke-width:1.3;"
        "marker-end:url(#encounter-arrow)}"
        ".encounter-diagram marker path,.encounter-diagram .start{fill:#666}"
        "</style>" + "".join(parts) + "</svg>"
    )
