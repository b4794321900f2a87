"""Run the ```python blocks of the docs, statement by statement, in one namespace per page.

What the runner adds to plain ``exec``:

- Tracebacks point into the Markdown page: each block is compiled with the page's file name and
  its lines shifted to where they stand in the page.
- Models a page defines land in the ``docs_examples`` app (the namespace's ``__name__`` is a
  module of it); their tables are created as soon as the class exists, and dropped, unregistered
  and forgotten by the classes they touched when the page ends. A later block that defines a
  model of the same name replaces the earlier one.
- A comment that states a result is checked: ``expr  # 0: ...``, ``expr  # ["a", "b"]``,
  ``expr  # None now`` compare the value (``...`` in a list or set means "at least these");
  ``expr  # raises SomeError`` and a statement followed by the comment line
  ``# SomeError: message`` expect that exception (and message). Results stated in words are
  checked by ``PageRun.expect``, given per page.
- Failures name the page, the block and the line.
- Settings fragments are checked against the real project: the apps they list are installed,
  the middleware, backends and cache backends they name import, the models they name exist.
- A QuerySet an expression statement returns is evaluated, so its SQL really runs.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from docs_examples.pages import ERROR_LINE, Block, comments_of, matches, relabel, stated_result

APP_LABEL = "docs_examples"
INERROR = 3  # libpq's PQTRANS_INERROR: a failed statement aborted the transaction


class DocsExampleError(AssertionError):
    """A docs example failed, or stated a result the code does not give."""


def check_settings_fragment(name: str, value: Any, invented: set[str]) -> None:
    """A settings fragment names apps, classes and models that exist in the project."""
    if name in invented or value is ...:
        return
    entries = [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
    if name == "INSTALLED_APPS":
        missing = [entry for entry in entries if not apps.is_installed(entry)]
        assert not missing, f"INSTALLED_APPS names apps that do not exist: {missing}"
    elif name in ("MIDDLEWARE", "AUTHENTICATION_BACKENDS"):
        for entry in entries:
            import_string(entry)
    elif name == "CACHES":
        for alias in value.values():
            import_string(alias["BACKEND"])
    elif name.endswith("_MODEL"):
        apps.get_model(value)


def _registry_changed() -> None:
    """Models came or went: forget what was worked out from the registry as it was.

    Projects register their models once at start-up, so django-basemodels keeps its cascade
    plans for good; the docs' pages register models as they go.
    """
    from django_basemodels import cascade

    cascade.plan_for.cache_clear()
    cascade._global_rank.cache_clear()
    apps.clear_cache()


def _transaction_usable() -> bool:
    # psycopg's connection information; other drivers have none (mysqlclient's info() is text).
    status = getattr(getattr(connection.connection, "info", None), "transaction_status", None)
    return status is None or int(status) != INERROR


def _page_models() -> dict[tuple[str, str], type]:
    return {
        (label, name): model
        for label, models in apps.all_models.items()
        for name, model in models.items()
    }


class PageRun:
    """One page's execution: its namespace, and everything to undo when it ends."""

    def __init__(self, page: str, labels: dict[str, str], invented: set[str]):
        self.page = page  # its path under docs/
        module = re.sub(r"\W", "_", page.removesuffix(".md"))
        self.namespace: dict[str, Any] = {"__name__": f"{APP_LABEL}.{module}"}
        self.labels = labels
        self.invented = invented
        self.results: dict[str, Callable[[Any, dict], bool]] = {}
        self.checked: set[str] = set()
        self.models: dict[tuple[str, str], type] = {}
        self._comment_lines: set[int] = set()
        self._admin_registry = dict(admin.site._registry)
        # Defining a model sets accessors on the classes it relates to: put them back afterwards.
        self._class_attributes = {
            model: dict(vars(model)) for model in apps.get_models(include_auto_created=True)
        }

    def expect(self, results: dict[str, Callable[[Any, dict], bool]]) -> None:
        """Checks of results the docs state in prose, by statement (formatting is ignored)."""
        self.results = {ast.unparse(ast.parse(source)): check for source, check in results.items()}

    def unchecked(self) -> set[str]:
        """The statements ``expect`` names that the page no longer has."""
        return set(self.results) - self.checked

    def run_block(self, block: Block, number: int = 1) -> None:
        """Run ``block``, the page's ``number``-th; a failure names the page, block and line."""
        tree = ast.parse(block.source, filename=str(block.path))
        ast.increment_lineno(tree, block.line - 1)
        comments, self._comment_lines = comments_of(block)
        for statement in tree.body:
            try:
                self._run_statement(statement, block, comments)
            except Exception as error:
                raise DocsExampleError(
                    f"docs/{self.page}, python block {number} (line {block.line}), statement at"
                    f" line {statement.lineno}: {type(error).__name__}: {error}"
                ) from error

    def _run_statement(self, statement: ast.stmt, block: Block, comments: dict[int, str]) -> None:
        filename = str(block.path)
        if isinstance(statement, ast.ClassDef):
            self._forget_model_named(statement.name)
        before = _page_models()
        expected_error = self._expected_error(statement, comments)
        try:
            if isinstance(statement, ast.Expr):
                code = compile(ast.Expression(statement.value), filename, "eval")
                value = eval(code, self.namespace)
                if isinstance(value, QuerySet):
                    value = list(value)
            else:
                exec(compile(ast.Module([statement], []), filename, "exec"), self.namespace)
                value = self._assigned_value(statement)
        except Exception as error:  # the docs may say this statement raises it
            if expected_error and expected_error[0] in [k.__name__ for k in type(error).__mro__]:
                message = expected_error[1]
                if message is not None and " ".join(str(error).split()) != message:
                    raise DocsExampleError(
                        f"line {statement.lineno}: the docs show the message {message!r}, "
                        f"the code says {str(error)!r}"
                    ) from error
                return
            raise
        if expected_error:
            raise DocsExampleError(
                f"line {statement.lineno}: the docs say this raises {expected_error[0]}, "
                f"it gave {value!r}"
            )
        self._create_tables(before)
        self._check_result(statement, value, comments.get(statement.end_lineno))

    def _expected_error(self, statement: ast.stmt, comments: dict[int, str]):
        """(exception name, message or None) when the docs say this statement raises."""
        if not isinstance(statement, ast.Expr):
            return None
        stated = stated_result(comments.get(statement.end_lineno, ""))
        if stated and stated[0] == "raises":
            return (stated[1], None)
        # A comment block right under the statement: "# SomeError: message", maybe wrapped.
        lines, number = [], statement.end_lineno + 1
        while number in self._comment_lines:
            lines.append(comments[number].lstrip("#").strip())
            number += 1
        match = ERROR_LINE.match(" ".join(lines))
        return (match.group(1), match.group(2)) if match else None

    def _assigned_value(self, statement: ast.stmt) -> Any:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                value = self.namespace[target.id]
                if target.id.isupper():
                    check_settings_fragment(target.id, value, self.invented)
                return value
        return None

    def _check_result(self, statement: ast.stmt, value: Any, comment: str | None) -> None:
        source = ast.unparse(statement)
        if source in self.results:
            self.checked.add(source)
            assert self.results[source](value, self.namespace), (
                f"line {statement.lineno}: {source} gave {value!r}, not what the docs say"
                f" ({comment})"
            )
            return
        if comment is None or not isinstance(statement, ast.Expr):
            return
        stated = stated_result(comment)
        if stated and stated[0] == "equals":
            expected = relabel(stated[1], self.labels)
            assert matches(value, expected), (
                f"line {statement.lineno}: {source} gave {value!r}; the docs say {comment}"
            )

    def _create_tables(self, before: dict[tuple[str, str], type]) -> None:
        new = {key: model for key, model in _page_models().items() if key not in before}
        if not new:
            return
        with connection.schema_editor() as editor:
            for model in new.values():
                if not model._meta.auto_created:  # m2m tables come with their model
                    editor.create_model(model)
        self.models.update(new)
        _registry_changed()

    def _forget_model_named(self, class_name: str) -> None:
        for key in list(self.models):
            if key[1] == class_name.lower():
                self._drop([key])

    def _drop(self, keys: list[tuple[str, str]], tables: bool = True) -> None:
        """Unregister the models of ``keys`` (and their m2m tables), dropping their tables."""
        if not keys:
            return
        if tables:
            # PostgreSQL refuses to drop a table with deferred constraint checks still pending.
            connection.check_constraints()
            with connection.schema_editor() as editor:
                for key in keys:
                    editor.delete_model(self.models[key])
        for key in keys:
            model = self.models.pop(key)
            through = [k for k, m in self.models.items() if m._meta.auto_created is model]
            for label, name in [*through, key]:
                apps.all_models[label].pop(name, None)
                self.models.pop((label, name), None)
        _registry_changed()

    def close(self) -> None:
        """Drop the page's tables and models, and undo what it registered.

        After a failed example PostgreSQL's transaction may refuse every statement: its
        tables are left to the test's rollback then, and only the registrations are undone.
        """
        owners = [key for key, model in self.models.items() if not model._meta.auto_created]
        self._drop(list(reversed(owners)), tables=_transaction_usable())
        admin.site._registry.clear()
        admin.site._registry.update(self._admin_registry)
        for model, attributes in self._class_attributes.items():
            for name in set(vars(model)) - set(attributes):
                delattr(model, name)
            for name, value in attributes.items():
                if vars(model).get(name) is not value:
                    setattr(model, name, value)
        ContentType.objects.clear_cache()
        for cache in caches.all():
            cache.clear()
