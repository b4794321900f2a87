"""primitives_testkit.append_only: the contract passes on a model that refuses every write path
and fails, naming the path, on one that lets a single path through."""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

MODELS = """
from django.db import models


class Refused(Exception):
    pass


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Refused("update() refused")

    def delete(self):
        raise Refused("delete() refused")

    delete.queryset_only = True

    def bulk_update(self, objs, fields, batch_size=None):
        raise Refused("bulk_update() refused")


class Entry(models.Model):
    text = models.CharField(max_length=20)
    objects = EntryQuerySet.as_manager()

    class Meta:
        app_label = "ledgerapp"
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Refused("save() refused")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Refused("delete() refused")
"""

CONTRACT = """
import pytest

from ledgerapp.models import Entry, Refused
from primitives_testkit.append_only import AppendOnlyContract


class TestEntries(AppendOnlyContract):
    model = Entry
    error = Refused
    changes = {"text": "forged"}
    rows = "entries"

    @pytest.fixture
    def row(self):
        return Entry.objects.create(text="kept")
"""

SETTINGS = """
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "ledgerapp"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
"""


def run_contract(pytester: pytest.Pytester, models: str) -> pytest.RunResult:
    pytester.mkpydir("ledgerapp")
    pytester.path.joinpath("ledgerapp", "models.py").write_text(textwrap.dedent(models))
    pytester.makepyfile(ledger_settings=SETTINGS, test_entries=CONTRACT)
    pytester.syspathinsert()
    return pytester.runpytest_subprocess(
        "-p", "django", "--ds", "ledger_settings", "-p", "no:cacheprovider", "-rfs"
    )


def test_a_model_that_refuses_every_path_passes(pytester):
    result = run_contract(pytester, MODELS)
    # save, update x3 kinds x2 managers, bulk_update x2, delete, QuerySet.delete x2; the raw SQL,
    # TRUNCATE, flush-switch and set-null tests need a trigger: skipped on SQLite, saying so.
    result.assert_outcomes(passed=12, skipped=10)
    result.stdout.fnmatch_lines(["*no trigger guards ledgerapp_entry on sqlite*"])


@pytest.mark.parametrize(
    ("leak", "failing"),
    [
        ("    def bulk_update(self, objs, fields, batch_size=None):\n"
         "        raise Refused(\"bulk_update() refused\")\n", "test_bulk_update_is_refused"),
        ("    def update(self, **kwargs):\n        raise Refused(\"update() refused\")\n",
         "test_queryset_update_is_refused"),
    ],
)  # fmt: skip
def test_one_unguarded_path_fails_the_contract(pytester, leak, failing):
    result = run_contract(pytester, MODELS.replace(leak, ""))
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 2  # through `objects` and through `_base_manager`
    result.stdout.fnmatch_lines([f"FAILED test_entries.py::TestEntries::{failing}*"])


def test_an_error_that_does_not_name_the_operation_fails(pytester):
    vague = MODELS.replace('raise Refused("save() refused")', 'raise Refused("no")')
    result = run_contract(pytester, vague)
    result.assert_outcomes(passed=11, failed=1, skipped=10)
    result.stdout.fnmatch_lines(["FAILED*test_save_of_a_changed_row_is_refused*"])
