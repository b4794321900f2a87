"""Every ```python block of the docs runs, so the docs cannot drift from the code.

One test per page: its blocks run in order in one namespace (docs_examples/runner.py says how),
seeded with the page's "given" (docs_examples/givens.py): what the examples take for granted
without showing it (a user, a request, a patient, a module of the reader's own project). A result
a comment states is checked. A page with a python block the givens do not know fails and says
what to add. The runner's own tests, at the end, show that a wrong stated result fails.

On SQLite the schema editor cannot run inside a transaction, and MariaDB cannot roll DDL back, so
the pages run in a committed database there; on PostgreSQL they run in the usual rolled-back
transaction, which is cheaper than a flush.
"""

from __future__ import annotations

import contextlib
import sys
import types
from pathlib import Path

import pytest
from django.db import connection
from docs_examples.givens import GIVENS, Names
from docs_examples.pages import Block, extract_blocks
from docs_examples.runner import DocsExampleError, PageRun

DOCS = Path(__file__).resolve().parents[2] / "docs"
# Where the pages' tables cannot be created and dropped inside the test's transaction.
COMMITTED = connection.vendor == "sqlite" or not connection.features.can_rollback_ddl


def pages_with_examples() -> dict[str, list[Block]]:
    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        blocks = extract_blocks(path)
        if blocks:
            pages[path.relative_to(DOCS).as_posix()] = blocks
    return pages


PAGES = pages_with_examples()


def test_every_page_with_examples_has_a_given():
    missing = sorted(set(PAGES) - set(GIVENS))
    assert not missing, (
        f"docs pages with python blocks the tests do not run: {missing}; add a Given for each to"
        " GIVENS in example/docs_examples/givens.py (the names their examples take for granted)"
    )
    stale = sorted(set(GIVENS) - set(PAGES))
    assert not stale, f"GIVENS has pages without python blocks (remove them): {stale}"


@pytest.mark.django_db(transaction=COMMITTED)
@pytest.mark.parametrize("page", sorted(set(PAGES) & set(GIVENS)))
def test_docs_examples_run(page, monkeypatch):
    given, blocks = GIVENS[page], PAGES[page]
    assert len(blocks) == given.blocks, (
        f"docs/{page} has {len(blocks)} python blocks, its Given was written for {given.blocks}:"
        f" the blocks start at lines {[block.line for block in blocks]}; give the new block's"
        f" free names in GIVENS[{page!r}] (docs_examples/givens.py) and set blocks={len(blocks)}"
    )
    for name, attributes in given.modules.items():
        parts = name.split(".")
        for depth in range(1, len(parts)):  # the packages above it, empty
            package = ".".join(parts[:depth])
            monkeypatch.setitem(sys.modules, package, types.ModuleType(package))
        monkeypatch.setitem(sys.modules, name, _stub_module(name, attributes))
    if given.cwd:
        monkeypatch.chdir(given.cwd)
    run = PageRun(page, given.labels, given.invented)
    run.expect(given.results)
    with contextlib.ExitStack() as stack:
        stack.callback(run.close)
        run.namespace.update(given.names())
        for number, block in enumerate(blocks, start=1):
            if number in given.before:
                run.namespace.update(given.before[number](run.namespace, stack))
            run.run_block(block, number)
        unchecked = run.unchecked()
        assert not unchecked, f"results of docs/{page} never met (statement changed?): {unchecked}"
        if given.after:
            given.after(run.namespace)


def _stub_module(name: str, attributes: Names) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


# The runner itself: a page that states a wrong result, or names what does not exist, fails.


def run_page(source: str) -> PageRun:
    run = PageRun("selftest.md", labels={"shop": "docs_examples"}, invented=set())
    try:
        run.run_block(Block(Path("selftest.md"), 1, source))
    finally:
        run.close()
    return run


@pytest.mark.parametrize(
    "source",
    [
        "1 + 1  # 2: two\n",
        "[1, 2]  # [1, 2]\n",
        "{'a', 'b', 'c'}  # {'a', 'b', ...}\n",
        "None  # None now\n",
        "2 > 1  # True (2 > 1)\n",
        "{'docs_examples.Pet': 1}  # {'shop.Pet': 1}\n",  # the docs' app label is shop
        "int('x')  # raises ValueError\n",
        "int('x')\n# ValueError: invalid literal for int() with base 10:\n# 'x'\n",
        "INSTALLED_APPS = [..., 'django_basemodels']\n",
        "MIDDLEWARE = ['django_modules.middleware.ModuleCacheMiddleware']\n",
    ],
)
def test_a_result_the_docs_state_rightly_passes(source):
    run_page(source)


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("1 + 1  # 3: three\n", AssertionError),
        ("[1, 2]  # [2, 1]\n", AssertionError),
        ("{'a'}  # {'a', 'b', ...}\n", AssertionError),
        ("0  # None now\n", AssertionError),
        ("2 > 1  # False (2 > 1)\n", AssertionError),
        ("{'docs_examples.Pet': 1}  # {'shop.Pet': 2}\n", AssertionError),
        ("int('1')  # raises ValueError\n", AssertionError),
        ("int('x')\n# ValueError: some other message\n", AssertionError),
        ("int('x')\n# TypeError: invalid literal for int() with base 10: 'x'\n", ValueError),
        ("int('x')  # raises TypeError\n", ValueError),
        ("INSTALLED_APPS = [..., 'django_not_an_app']\n", AssertionError),
        ("MIDDLEWARE = ['django_modules.middleware.NoSuchMiddleware']\n", ImportError),
    ],
)
def test_a_result_the_docs_state_wrongly_fails(source, error):
    with pytest.raises(
        DocsExampleError, match=r"^docs/selftest.md, python block 1 \(line 1\)"
    ) as info:
        run_page(source)
    assert isinstance(info.value.__cause__, error)


MODEL_PAGE = """
from django.db import models
from django_basemodels.models import BaseModel


class Pet(BaseModel):
    name = models.CharField(max_length=100)


Pet.objects.create(name="Rex")
Pet.objects.count()  # 1
"""


@pytest.mark.django_db(transaction=COMMITTED)
def test_a_page_model_lives_for_the_page_only():
    from django.apps import apps

    for _ in range(2):  # the second page defines the same model again: no warning, no clash
        run = run_page(MODEL_PAGE)
        assert run.namespace["Pet"]._meta.label == "docs_examples.Pet"
        assert "pet" not in apps.all_models["docs_examples"]
    assert "docs_examples_pet" not in connection.introspection.table_names()
