"""The command line: ``django-layers check``, ``django-layers graph`` and ``django-layers init``.

Exit codes: 0 clean, 1 violations, 2 configuration, usage or file errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

from django_layers import baseline
from django_layers.config import ConfigError
from django_layers.engine import run_check
from django_layers.loading import load_config
from django_layers.model import Result
from django_layers.replay import Recording
from django_layers.report import FORMATS, config_annotations
from django_layers.version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import argparse

EXIT_CODES = """exit status:
  0  no violations
  1  violations found
  2  a configuration, usage, baseline or file error (a file that does not parse)"""

INIT_EXIT_CODES = """exit status:
  0  the file was written
  2  it exists already (without --force), no package was found, or it cannot be written"""


def _columns() -> int:
    """The terminal's width, as ``shutil.get_terminal_size`` reads it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def _parser() -> argparse.ArgumentParser:
    # Loaded only here: a check whose options django_layers.replay has read runs without it.
    import argparse  # noqa: PLC0415

    class _Formatter(argparse.RawDescriptionHelpFormatter):
        """argparse's formatter, without loading ``shutil`` (and with it the compression
        modules) for the terminal's width: argparse makes a formatter for every argument it is
        given, so a check that shows no help would pay for that import on every run."""

        def __init__(
            self,
            prog: str,
            indent_increment: int = 2,
            max_help_position: int = 24,
            width: int | None = None,
        ) -> None:
            width = _columns() - 2 if width is None else width
            super().__init__(prog, indent_increment, max_help_position, width)

    parser = argparse.ArgumentParser(
        prog="django-layers",
        description="Check a project's import boundaries (layers.yaml).",
        epilog=EXIT_CODES,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check",
        help="report every dependency that crosses a boundary",
        description="Report every dependency that crosses a boundary of layers.yaml.",
        epilog=EXIT_CODES,
        formatter_class=_Formatter,
    )
    _add_common(check)
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people (default), json for tools, github for workflow annotations",
    )
    check.add_argument("--baseline", type=Path, help="accept the violations listed in this file")
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="write today's violations to --baseline (dropping fixed ones) and exit 0",
    )
    graph = commands.add_parser(
        "graph",
        help="print the package dependency graph",
        description="Print the package dependency graph as it really is.",
        epilog=EXIT_CODES,
        formatter_class=_Formatter,
    )
    _add_common(graph)
    graph.add_argument(
        "--format", choices=("mermaid",), default="mermaid", help="a Mermaid flowchart (default)"
    )
    init = commands.add_parser(
        "init",
        help="write a starting layers.yaml for the project found here",
        description=(
            "Write a starting layers.yaml: the sources found (a flat startproject layout, "
            "src/, or packages/*/src/*), the project package (settings, root URLs) on top, "
            "the other packages in layers that follow today's imports (Django apps independent "
            "while none imports another), and every key explained in a comment."
        ),
        epilog=INIT_EXIT_CODES,
        formatter_class=_Formatter,
    )
    init.add_argument(
        "--config",
        type=Path,
        default=Path("layers.yaml"),
        help="the file to write; the project is the folder it is in (default: layers.yaml)",
    )
    init.add_argument("--force", action="store_true", help="replace the file if it exists")
    return parser


def _init(options: argparse.Namespace) -> int:
    # Only `init` needs the starter: a check does not load it.
    from django_layers.starter import StarterError, write_starting_config  # noqa: PLC0415

    try:
        write_starting_config(options.config, force=options.force)
    except StarterError as error:
        print(f"django-layers: {error}", file=sys.stderr)
        return 2
    print(
        f"django-layers: wrote {options.config}; read it, then run "
        f"`django-layers check --config {options.config}`",
        file=sys.stderr,
    )
    return 0


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("layers.yaml"),
        help="the configuration file (default: layers.yaml in the working directory)",
    )
    parser.add_argument("--no-cache", action="store_true", help="read every file again")
    parser.add_argument("--cache-dir", type=Path, help="default: cache_dir of the configuration")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    if getattr(options, "update_baseline", False) and options.baseline is None:
        parser.error("--update-baseline needs --baseline FILE")
    if options.command == "init":
        return _init(options)
    return _run(options)


def check(config: str, output_format: str, cache_dir: str | None) -> int:
    """``django-layers check`` with the options :mod:`django_layers.replay` has read already
    (``--config``, ``--format``, ``--cache-dir``), as :func:`main` would run it."""
    options = SimpleNamespace(
        command="check",
        config=Path(config),
        format=output_format,
        cache_dir=None if cache_dir is None else Path(cache_dir),
        no_cache=False,
        baseline=None,
        update_baseline=False,
    )
    return _run(options)


def _run(options: argparse.Namespace | SimpleNamespace) -> int:
    # A check whose answer django_layers.replay can give next time, when nothing changed.
    recording = None
    if options.command == "check" and options.baseline is None and not options.no_cache:
        cache_dir = None if options.cache_dir is None else str(options.cache_dir)
        recording = Recording(str(options.config), cache_dir)
    try:
        config = load_config(options.config, data=None if recording is None else recording.text)
        result = run_check(
            config,
            cache_dir=options.cache_dir,
            use_cache=not options.no_cache,
            every_dependency=options.command == "graph",  # check needs only judged packages
            watch=None if recording is None else recording.watch,
        )
    except ConfigError as error:
        print(f"django-layers: {error}", file=sys.stderr)
        if options.format == "github":
            sys.stdout.write(config_annotations(error))
        return 2
    if options.command == "graph":
        from django_layers.graph import mermaid  # noqa: PLC0415 - only `graph` draws one

        sys.stdout.write(mermaid(config, result))
        return 2 if result.errors else 0
    if recording is not None:
        recording.save(result, str(options.cache_dir or config.root / config.cache_dir))
    return _finish_check(options, result)


def _finish_check(options: argparse.Namespace | SimpleNamespace, result: Result) -> int:
    if options.baseline is not None:
        if options.update_baseline:
            if result.errors:
                sys.stdout.write(FORMATS[options.format](result))
                print(
                    "django-layers: baseline not written: fix the file errors first",
                    file=sys.stderr,
                )
                return 2
            baseline.write(options.baseline, result)
            print(
                f"django-layers: {len(result.violations)} violation(s) recorded in "
                f"{options.baseline}",
                file=sys.stderr,
            )
            return 0
        try:
            baseline.apply(result, baseline.load(options.baseline))
        except baseline.BaselineError as error:
            print(f"django-layers: {error}", file=sys.stderr)
            return 2
    sys.stdout.write(FORMATS[options.format](result))
    return result.exit_code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
