"""The state diagram drawn by the package as an inline SVG."""

import re
import xml.etree.ElementTree as ElementTree

from django_encounters import EncounterDefinition
from django_encounters.diagram import state_diagram_svg

SVG = "{http://www.w3.org/2000/svg}"


def boxes(svg):
    """state -> (x, y) of its box, read back from the SVG."""
    root = ElementTree.fromstring(svg)
    found = {}
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        found[group.get("data-state")] = (float(rect.get("x")), float(rect.get("y")))
    return root, found


def moves(root):
    return {
        (path.get("data-from"), path.get("data-to"))
        for path in root.iter(f"{SVG}path")
        if path.get("data-from")
    }


def test_states_are_placed_in_columns_by_distance_from_the_initial_state(visit_fields):
    svg = EncounterDefinition(**visit_fields).to_svg()
    _root, placed = boxes(svg)
    x = {state: left for state, (left, _top) in placed.items()}
    assert x["scheduled"] < x["checked_in"] == x["cancelled"] < x["in_progress"] < x["completed"]
    assert placed["checked_in"][1] < placed["cancelled"][1]  # declared order within a column


def test_every_move_is_drawn_once(visit_fields):
    root, _placed = boxes(EncounterDefinition(**visit_fields).to_svg())
    expected = {(s, t) for s, targets in visit_fields["transitions"].items() for t in targets}
    assert moves(root) == expected


def test_final_states_have_a_double_border_and_the_start_a_dot(visit_fields):
    root, _placed = boxes(EncounterDefinition(**visit_fields).to_svg())
    for group in root.iter(f"{SVG}g"):
        final = group.get("data-state") in visit_fields["final_states"]
        assert len(group.findall(f"{SVG}rect")) == (2 if final else 1)
        assert ("final" in group.get("class")) is final
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def segments(d):
    """The straight segments of a path made of M, L, H and V commands."""
    x = y = 0.0
    found = []
    for command, numbers in re.findall(r"([MLHV])([\d.,-]+)", d):
        values = [float(n) for n in numbers.split(",")]
        new = {"M": values, "L": values, "H": [values[0], y], "V": [x, values[0]]}[command]
        if command != "M":
            found.append(((x, y), tuple(new)))
        x, y = new
    return found


def crosses(segment, box):
    """Does an axis-aligned or straight segment pass through the inside of a box?"""
    (x1, y1), (x2, y2) = segment
    left, top, width = box
    for step in range(1, 50):  # points along the segment, ends excluded (they touch the edges)
        x, y = x1 + (x2 - x1) * step / 50, y1 + (y2 - y1) * step / 50
        if left + 1 < x < left + width - 1 and top + 1 < y < top + 31:
            return True
    return False


def test_moves_back_and_sideways_cross_no_box():
    states = ["new", "open", "parked", "closed"]
    transitions = {
        "new": ["open", "parked"],
        "open": ["parked", "new", "closed"],
        "parked": ["new"],
    }
    svg = state_diagram_svg(states, "new", ["closed"], transitions)
    root = ElementTree.fromstring(svg)
    placed = {}
    for group in root.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        placed[group.get("data-state")] = tuple(float(rect.get(k)) for k in ("x", "y", "width"))
    paths = [p for p in root.iter(f"{SVG}path") if p.get("data-from")]
    assert len(paths) == 6
    for path in paths:
        for segment in segments(path.get("d")):
            for state, box in placed.items():
                assert not crosses(segment, box), (path.get("d"), state)
    back = next(p for p in paths if (p.get("data-from"), p.get("data-to")) == ("parked", "new"))
    lowest = max(y for segment in segments(back.get("d")) for _x, y in segment)
    assert lowest > max(top for _x, top, _w in placed.values()) + 32  # below every box
    assert float(root.get("height")) > lowest


def test_names_are_escaped():
    name = '<script>alert("x")</script>'
    svg = state_diagram_svg(["start", name], "start", [name], {"start": [name]})
    assert "<script>" not in svg
    _root, placed = boxes(svg)  # still well-formed XML
    assert name in placed


def test_unreachable_states_get_a_column_of_their_own():
    svg = state_diagram_svg(["a", "b", "lost"], "a", [], {"a": ["b"], "lost": ["a"]})
    _root, placed = boxes(svg)
    assert placed["lost"][0] > placed["b"][0] > placed["a"][0]


def test_a_graph_without_a_valid_initial_state_is_still_drawn():
    svg = state_diagram_svg(["a", "b"], "nowhere", [], {"a": ["b", "gone"], "b": "not a list"})
    root, placed = boxes(svg)
    assert set(placed) == {"a", "b"}
    assert moves(root) == {("a", "b")}
    assert list(root.iter(f"{SVG}circle")) == []
