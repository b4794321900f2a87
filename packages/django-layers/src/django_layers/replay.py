"""The console script's first stop: the last check's output again, when nothing it read changed.

``django-layers check`` starts here. When the last check with the same configuration (byte for
byte), options, working directory, django-layers and Python stored its answer, and every file and
folder it depended on still has the modification and change times, size and inode recorded
(:mod:`django_layers.watch`), that answer is printed and nothing else runs. Any other run goes
to the command line (:mod:`django_layers.cli`), which stores the answer for the next one.

So that the answer costs little more than Python's own start, nothing is imported before it is
known beyond ``os``, ``sys`` and ``marshal``, which Python has loaded or built in: no argument
parser, no YAML parser, no JSON. Not answered here: other commands, ``--baseline``,
``--no-cache``, an option written otherwise than in full (an abbreviation, ``--help``), and a
configuration whose ``cache_dir`` is not the default, unless ``--cache-dir`` is given (its
cache folder is known only once the file is parsed).
"""

from __future__ import annotations

import marshal
import os
import sys

from django_layers.version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from django_layers.model import Result

FORMAT = 1
FILE_NAME = "replay.marshal"
DEFAULT_CACHE_DIR = ".django-layers-cache"  # config.DEFAULT_CACHE_DIR, without importing it
_FORMATS = ("text", "json", "github")
_OPTIONS = ("--config", "--format", "--cache-dir")


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    options = _parse(arguments)
    found = None if options is None else _answer(options)
    if found is not None:
        output, code = found
        sys.stdout.write(output)
        return code
    # Only now is the command line needed; when the options were read here, its argument
    # parser is not.
    if options is None:
        from django_layers.cli import main as run_command  # noqa: PLC0415

        return run_command(arguments)
    from django_layers.cli import check  # noqa: PLC0415

    return check(options["--config"], options["--format"], options["--cache-dir"] or None)


def answer(argv: list[str]) -> tuple[str, int] | None:
    """The stored output and exit status of this check, or ``None`` when it must run."""
    options = _parse(argv)
    return None if options is None else _answer(options)


def _answer(options: dict[str, str]) -> tuple[str, int] | None:
    config, file = location(options["--config"], options["--cache-dir"])
    try:
        with open(config, "rb") as handle:
            text = handle.read()
        with open(file, "rb") as handle:
            header, _, payload = handle.read().partition(b"\n")
        if header != _header():
            return None
        key, guards, racy, outputs, code = marshal.loads(payload)
        if key != (os.getcwd(), config, text):
            return None
        stat = os.stat
        for path, expected in guards:
            found = stat(path)
            if (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino) != expected:
                return None
        if racy and not _same_contents(racy):
            return None
        return outputs[options["--format"]], code
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # no answer stored, or an unreadable one: the check runs


def _parse(argv: list[str]) -> dict[str, str] | None:
    """``check`` with only ``--config``, ``--format`` and ``--cache-dir`` (each spelled in full,
    ``--name value`` or ``--name=value``; the last one counts, as with argparse), else ``None``.
    """
    if not argv or argv[0] != "check":
        return None
    options = {"--config": "layers.yaml", "--format": "text", "--cache-dir": ""}
    index = 1
    while index < len(argv):
        name, equals, value = argv[index].partition("=")
        if name not in _OPTIONS:
            return None
        if not equals:
            index += 1
            if index == len(argv):
                return None
            value = argv[index]
        if not value or value.startswith("-"):
            return None  # argparse's business: an error, or a value it reads otherwise
        options[name] = value
        index += 1
    return options if options["--format"] in _FORMATS else None


def location(config: str, cache_dir: str | None) -> tuple[str, str]:
    """The configuration's real path and the file the answer is stored in."""
    config = os.path.realpath(config)
    folder = cache_dir or os.path.join(os.path.dirname(config), DEFAULT_CACHE_DIR)
    return config, os.path.join(os.path.abspath(folder), FILE_NAME)


def _header() -> bytes:
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"django-layers replay {FORMAT} {__version__} {python}".encode()


def _same_contents(racy: list[tuple[str, str]]) -> bool:
    """Whether each file modified just before the answer was made still holds that content."""
    from django_layers.cache import content_key  # noqa: PLC0415 - the hashing, only for these

    for path, content in racy:
        with open(path, "rb") as handle:
            if content_key(handle.read(), content.endswith("+apps")) != content:
                return False
    return True


class Recording:
    """Kept by a check that runs, to store its answer: made before the configuration is read,
    handed to ``run_check`` (``watch``), saved once the result is known."""

    def __init__(self, config: str, cache_dir: str | None) -> None:
        from django_layers.watch import Watch  # noqa: PLC0415 - not needed to answer

        self.config, self.file = location(config, cache_dir)
        self.cwd = os.getcwd()
        self.watch = Watch()
        try:  # what the check reads (load_config's data): the answer is that content's
            with open(self.config, "rb") as handle:
                self.text: bytes | None = handle.read()
        except OSError:
            self.text = None

    def save(self, result: Result, cache_folder: str) -> None:
        """Store the answer ``result`` gives in each format, when ``cache_folder`` is where
        :func:`answer` looks."""
        from django_layers.cache import write_atomic  # noqa: PLC0415
        from django_layers.report import FORMATS  # noqa: PLC0415
        from django_layers.results import replayed  # noqa: PLC0415

        guards = self.watch.guards
        if guards is None or self.text is None:
            return
        if os.path.join(os.path.abspath(cache_folder), FILE_NAME) != self.file:
            return
        shown = replayed(result)
        outputs = {name: FORMATS[name](shown) for name in _FORMATS}
        key = (self.cwd, self.config, self.text)
        data = (
            _header()
            + b"\n"
            + marshal.dumps((key, guards, self.watch.racy, outputs, shown.exit_code))
        )
        try:
            with open(self.file, "rb") as handle:
                if handle.read() == data:
                    return
        except OSError:
            pass
        write_atomic(self.file, data)
