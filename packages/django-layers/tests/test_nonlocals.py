"""Cutting a file into the top-level statements that hold ``nonlocal``, and checking only those."""

import symtable

from django_layers.nonlocals import nonlocals_compile, statements_holding_nonlocal

OUTER = "def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n"


def test_only_the_statements_holding_nonlocal_are_cut_out():
    source = f"import os\n\n{OUTER}\nclass C:\n    pass\n"
    assert statements_holding_nonlocal(source) == [f"{OUTER}\n"]


def test_a_statement_runs_over_strings_closing_brackets_and_continued_lines_at_column_0():
    body = (
        'def f(\n    a,\n) -> None:\n    s = """\ndef fake():\n"""\n    t = [\n    1,\n]\n'
        "    u = 1 + \\\n2\n    x = 1\n    def g():\n        nonlocal x\n"
    )
    assert statements_holding_nonlocal(body + "y = 2\n") == [body]
    assert nonlocals_compile(body + "y = 2\n")


def test_a_line_at_column_0_inside_brackets_leaves_the_decision_to_the_whole_file():
    # Brackets are not counted: ``1]`` is taken for a statement's start, and what is cut from
    # there does not compile on its own, so the caller compiles the whole (valid) file.
    source = "def f():\n    t = [\n1]\n    x = 1\n    def g():\n        nonlocal x\n"
    symtable.symtable(source, "valid.py", "exec")
    assert statements_holding_nonlocal(source) == [source[source.index("1]") :]]
    assert not nonlocals_compile(source)


def test_the_word_in_a_string_a_comment_or_a_longer_name_is_no_declaration():
    source = 's = "nonlocal x"\n# nonlocal x\nmy_nonlocal = 1\nnonlocal_x = 2\n'
    assert statements_holding_nonlocal(source) == []
    assert nonlocals_compile(source)


def test_what_cannot_be_cut_with_certainty_is_left_to_the_whole_file():
    assert statements_holding_nonlocal('s = f"{x["a"]}"\n' + OUTER) is None  # nested quotes
    assert statements_holding_nonlocal("s = 'open\n" + OUTER) is None
    assert statements_holding_nonlocal("s = 1 \\ 2\n" + OUTER) is None  # a stray backslash
    assert not nonlocals_compile('s = f"{x["a"]}"\n' + OUTER)


def test_each_statement_is_compiled_on_its_own():
    assert nonlocals_compile(OUTER + "\n" + OUTER.replace("f()", "h()"))
    misused = "def h():\n    y = 1\n    def g():\n        y = 2\n        nonlocal y\n"
    assert not nonlocals_compile(OUTER + misused)
    assert not nonlocals_compile(OUTER.replace("\n", "\r\n") + misused.replace("\n", "\r"))
