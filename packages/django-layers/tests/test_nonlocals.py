"""Cutting a file into the top-level statements that hold ``nonlocal``, and checking only those."""

import symtable

import pytest

from django_layers.nonlocals import narrowed, nonlocals_compile, statements_holding_nonlocal

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


METHOD = "def f(self):\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n"


def indented(text, prefix="    "):
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(True))


def test_a_class_is_narrowed_to_the_statements_of_its_body_holding_nonlocal():
    source = (
        "@decorated\nclass C(Base):  # a: b\n\n    # a comment\n    x = 1\n"
        f"{indented(METHOD)}\n    def h(self):\n        pass\n"
    )
    assert narrowed(source) == [f"{METHOD}\n"]
    nested = f"class C:\n    class D:\n{indented(indented(METHOD))}    y = 2\n"
    assert narrowed(nested) == [METHOD]
    assert narrowed(OUTER) == [OUTER]  # a function: the whole statement
    assert nonlocals_compile(source + nested)
    misused = METHOD.replace("x = 2\n", "x: int = 2\n")
    assert not nonlocals_compile(f"class C:\n{indented(misused)}")


def test_a_string_in_a_class_is_dedented_where_its_lines_are_indented_like_the_body():
    source = f'class C:\n    s = """\n    kept\nshallow\n"""\n{indented(METHOD)}'
    assert narrowed(source) == [METHOD]


def test_a_class_that_cannot_be_narrowed_with_certainty_is_compiled_as_a_whole():
    one_line = "class C: pass\n"
    assert narrowed(one_line) == [one_line]
    over_lines = f"class C(\n    Base,\n):\n{indented(METHOD)}"
    assert narrowed(over_lines) == [over_lines]
    only_comments = "class C:\n    # nonlocal x\n"
    assert narrowed(only_comments) == [only_comments]
    unterminated = f"class C:\n    s = 'open\n{indented(METHOD)}"
    assert narrowed(unterminated) == [unterminated]


@pytest.mark.parametrize(
    "source",
    [
        # ``1]`` sits at the body's indentation: the method is cut there, and neither part
        # compiles on its own.
        "class C:\n    def f(self):\n        t = [\n    1]\n        x = 1\n        def g():\n"
        "            nonlocal x\n            x = 2\n",
        # The method needs its class (``__class__``).
        "class C:\n    def f(self):\n        super()\n        def g():\n"
        "            nonlocal __class__\n        return g\n",
    ],
    ids=["cut-inside-brackets", "needs-its-class"],
)
def test_a_part_that_does_not_compile_alone_leaves_the_decision_to_the_whole_file(source):
    symtable.symtable(source, "valid.py", "exec")
    assert not nonlocals_compile(source)


def test_a_method_holding_a_name_its_class_mangles_stays_in_its_class():
    # In the class, ``__x`` is ``_C__x``: used before its ``nonlocal`` declaration. Out of it,
    # the method would compile.
    source = (
        "class C:\n    def f(self):\n        _C__x = 1\n        def g():\n"
        "            print(__x)\n            nonlocal _C__x\n"
    )
    assert narrowed(source) == [source]
    assert not nonlocals_compile(source)
    dunder = "class C:\n" + indented(METHOD.replace("x = 2", "x = self.__init__"))
    assert narrowed(dunder) == [METHOD.replace("x = 2", "x = self.__init__")]
