"""Graph validation and the Mermaid diagram, as pure functions."""

from django_encounters.graph import graph_problems, mermaid

STATES = ["pending", "active", "review", "completed"]
FLOW = {"pending": ["active"], "active": ["review"], "review": ["completed", "active"]}


def test_a_valid_graph_has_no_problems():
    assert graph_problems(STATES, "pending", ["completed"], FLOW) == []


def test_every_problem_is_listed_at_once():
    problems = graph_problems(
        ["pending", "active", "orphan", "done", "pending"],
        "start",
        ["done", "ghost"],
        {"pending": ["active", "limbo"], "done": ["pending"], "nowhere": ["active"]},
    )
    text = "\n".join(problems)
    assert "state 'pending' is declared twice" in text
    assert "initial_state 'start' is not one of the declared states" in text
    assert "final state 'ghost' is not one of the declared states" in text
    assert "transition target (from 'pending') 'limbo' is not one of the declared states" in text
    assert "transition source 'nowhere' is not one of the declared states" in text
    assert "final state 'done' has outgoing transitions to ['pending']" in text
    assert len(problems) == 6  # no reachability noise while the initial state is undeclared


def test_unreachable_states_are_named():
    problems = graph_problems([*STATES, "archived"], "pending", ["completed"], FLOW)
    assert problems == ["state 'archived' is unreachable from the initial state 'pending'"]


def test_wrong_shapes_are_problems_not_crashes():
    assert graph_problems([], "a", [], {}) == ["states must be a non-empty list of names, got []"]
    problems = graph_problems(["a", ""], "a", "a", {"a": "b"})
    assert any("final_states must be a list" in p for p in problems)
    assert any("transitions['a'] must be a list" in p for p in problems)
    assert any("state '' is not a name" in p for p in problems)
    assert any("is not a name" in p for p in graph_problems(["a", "x" * 51], "a", [], {"a": []}))


def test_mermaid_lists_states_edges_start_and_end():
    text = mermaid(
        ["new", 'say "hi"', "done"], "new", ["done"], {"new": ['say "hi"'], 'say "hi"': ["done"]}
    )
    assert text.splitlines() == [
        "stateDiagram-v2",
        '    state "new" as s0',
        '    state "say #quot;hi#quot;" as s1',
        '    state "done" as s2',
        "    [*] --> s0",
        "    s0 --> s1",
        "    s1 --> s2",
        "    s2 --> [*]",
    ]


def test_every_fault_names_the_field_that_fixes_it():
    from django_encounters.graph import graph_problems_by_field

    graph = (["a", "a", "b", "", "c"], "z", ["b", "y"], {"b": ["a"], "x": "no", "a": ["q"]})
    paired = graph_problems_by_field(*graph)
    assert [message for _field, message in paired] == graph_problems(*graph)
    fields = {field for field, _message in paired}
    assert fields == {"states", "initial_state", "final_states", "transitions"}
    assert (
        "transitions",
        "final state 'b' has outgoing transitions to ['a']; expected none",
    ) in paired
    assert graph_problems_by_field("nope", "a", [], {}) == [
        ("states", "states must be a non-empty list of names, got 'nope'")
    ]
    assert {field for field, _ in graph_problems_by_field(["a"], "a", "x", [])} == {
        "final_states",
        "transitions",
    }
