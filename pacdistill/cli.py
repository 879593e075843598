"""The ``pacdistill`` command.

Each command group lives in its own module under ``pacdistill._cli`` and exposes
``add_parser(subparsers)``, which adds its sub-parser and sets ``func`` to a
callable taking the parsed arguments and returning an exit code.

Exit codes: 0 success (for ``bound check``: proved), 1 refuted / a check that
failed, 2 usage error or any PacDistillError (message on stderr), or standard
output that cannot be written (a full disk), 3 undecided, 130 interrupted, 141
when the reader of a pipe left early (``| head``), 70 an unexpected exception (a
bug; its traceback is printed).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .errors import PacDistillError

__all__ = ["main", "build_parser", "COMMAND_MODULES", "EPILOG", "INTERNAL_ERROR"]

#: the exit code of an unexpected exception (a bug), EX_SOFTWARE of sysexits.h:
#: Python's own 1 would read as 'refuted' or 'a check failed' to a script
INTERNAL_ERROR = 70

#: modules under pacdistill._cli that add commands, in help order
COMMAND_MODULES: tuple[str, ...] = ("demo", "classes", "bound", "web", "route", "check", "distill")


#: the top-level help's epilog: examples, then what every exit code means
EPILOG = """\
examples:
  pacdistill demo                     the main job end to end, in seconds
  pacdistill classes                  the model classes (nodes of the web)
  pacdistill route junta relu_network --at d=100,k=4,eps=0.01,delta=0.05
  pacdistill status relu_network junta --setting learning
  pacdistill check 'learn_junta[junta]'
  pacdistill distill tree --model net.npz --depth 3

exit codes: 0 success; 1 a negative answer (bound check: refuted; check: a check \
failed, or a replayed failure happened again; route: no route; distill tree: no \
tree met the target; distill junta: the model is not a k-junta); 2 bad input or \
a usage error, with a message on stderr (also: standard output cannot be \
written); 3 undecided (bound check); 130 interrupted \
(Ctrl-C); 141 the reader of a pipe left early (| head); 70 an internal error (a \
bug: please report it with the traceback printed). \
'pacdistill COMMAND --help' describes a command, its options and their defaults."""


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, except that a paragraph of the description or the
    epilog with lines indented by two spaces (examples) is printed as written;
    other paragraphs are filled to the terminal's width as usual."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(
            paragraph if any(line.startswith("  ") for line in paragraph.splitlines())
            else super(_Formatter, self)._fill_text(paragraph, width, indent)
            for paragraph in text.split("\n\n"))


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a one-line hint on usage errors, and
    examples kept as written in epilogs (:class:`_Formatter`).

    ``description`` may be a callable returning the text: it is called when the
    help is formatted, so that a description listing what a heavy module holds
    (``bound samples``: the catalog's entries) costs nothing to other commands.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def description(self) -> str | None:
        text = self._description
        return text() if callable(text) else text

    @description.setter
    def description(self, text: str | Callable[[], str] | None) -> None:
        self._description = text

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        """argparse's, noting for each unknown ``--option`` the closest option of
        this parser (a command's parser runs inside the top-level one, which
        reports the unknown arguments: :meth:`parse_args`)."""
        import difflib

        namespace, extras = super().parse_known_args(args, namespace)
        options = [o for o in self._option_string_actions if o.startswith("--")]
        hints = vars(namespace).setdefault("_option_hints", {})
        for token in extras:
            name = token.split("=", 1)[0]
            close = difflib.get_close_matches(name, options, n=1)
            if name.startswith("--") and close and name not in hints:
                hints[name] = close[0]
        return namespace, extras

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        """argparse's, with 'did you mean --limit?' for a mistyped option."""
        namespace, extras = self.parse_known_args(args, namespace)
        hints = vars(namespace).pop("_option_hints", {})
        if extras:
            said = "".join(f"; {name}: did you mean {hints[name]}?" for name in
                           dict.fromkeys(t.split("=", 1)[0] for t in extras) if name in hints)
            self.error(f"unrecognized arguments: {' '.join(extras)}{said}")
        return namespace

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """argparse's check of a choice, naming the closest one on a typo
        (``pacdistill rout``, ``--rank Time``)."""
        import difflib

        choices = action.choices
        if choices is not None and value not in choices:
            close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
            if close:
                raise argparse.ArgumentError(
                    action, f"invalid choice: {value!r}; did you mean {close[0]!r}? (choose "
                            f"from {', '.join(repr(c) for c in choices)})")
        super()._check_value(action, value)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(
        prog="pacdistill",
        description="The theory of model distillation, executable.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"pacdistill {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"pacdistill._cli.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the console script)."""
    from ._cli._output import OutputError, writing_stdout

    if sys.stderr is None:  # `2>&-`: messages go nowhere, but the exit code stays right
        sys.stderr = open(os.devnull, "w")  # for the rest of the process
    _escape_what_cannot_be_encoded()
    try:  # Ctrl-C while the parser is built (it imports every command's module) too
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version and usage errors
            return int(exc.code) if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if getattr(args, "func", None) is None:
            parser.print_help(sys.stderr)
            return 2
        if sys.stdout is None:  # `pacdistill classes >&-`: Python has no stdout at all
            sys.stderr.write("pacdistill: error: standard output is closed; "
                             "nothing can be printed.\n")
            return 2
        code = int(args.func(args))
        with writing_stdout():
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
    except OutputError as err:  # `> /dev/full`: not exit 1, which means 'refuted'
        _silence_stdout()  # what is still buffered would fail again at exit
        sys.stderr.write(f"pacdistill: error: cannot write to standard output: {err}.\n")
        return 2
    except Exception:  # a bug: its traceback is what a report needs, but not exit 1
        import traceback

        traceback.print_exc()
        sys.stderr.write("pacdistill: internal error: the traceback above is a bug in "
                         "pacdistill (or in code it ran); please report it with the command "
                         f"line and `pacdistill --version`. Exit code {INTERNAL_ERROR}.\n")
        return INTERNAL_ERROR


def _escape_what_cannot_be_encoded() -> None:
    """On a stream whose encoding is not UTF-8 (``PYTHONIOENCODING=ascii``, a
    legacy code page), write a character it cannot hold ('§', '±', '≤') as a
    backslash escape instead of failing with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: leave it
                pass


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
