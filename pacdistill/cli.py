"""The ``pacdistill`` command.

Each command group lives in its own module under ``pacdistill._cli`` and exposes
``add_parser(subparsers)``, which adds its sub-parser and sets ``func`` to a
callable taking the parsed arguments and returning an exit code.

Exit codes: 0 success (for ``bound check``: proved), 1 refuted / a check that
failed, 2 usage error or any PacDistillError (message on stderr), 3 undecided,
130 interrupted, 141 when the reader of a pipe left early (``| head``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from .errors import PacDistillError

__all__ = ["main", "build_parser", "COMMAND_MODULES"]

#: modules under pacdistill._cli that add commands, in help order
COMMAND_MODULES: tuple[str, ...] = ("demo", "classes", "bound", "web", "route", "check", "distill")


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a one-line hint on usage errors.

    ``description`` may be a callable returning the text: it is called when the
    help is formatted, so that a description listing what a heavy module holds
    (``bound samples``: the catalog's entries) costs nothing to other commands.
    """

    @property  # type: ignore[override]
    def description(self) -> str | None:
        text = self._description
        return text() if callable(text) else text

    @description.setter
    def description(self, text: str | Callable[[], str] | None) -> None:
        self._description = text

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(
        prog="pacdistill",
        description="The theory of model distillation, executable.",
    )
    parser.add_argument("--version", action="version", version=f"pacdistill {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"pacdistill._cli.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the console script)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code) if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # inside the try: a broken pipe shows here, not at exit
        return code
    except PacDistillError as err:
        sys.stderr.write(f"pacdistill: error: {err}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("pacdistill: interrupted\n")
        return 130
    except BrokenPipeError:  # `pacdistill edges | head -3`: the reader left, not an error
        _silence_stdout()
        return 141  # 128 + SIGPIPE, what the shell reports for a process the pipe ended


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush of the
    broken pipe does not print 'Exception ignored ... BrokenPipeError'."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a non-file object
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
