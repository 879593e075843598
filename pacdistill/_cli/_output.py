"""Output helpers shared by the CLI commands (private).

Rich tables when stdout is a terminal, plain aligned text when piped, JSON with
``--json``. Commands build rows as lists of strings and call :func:`emit_table`.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["is_terminal", "emit_table", "emit_json", "emit_text", "add_json_flag", "standard_json",
           "progress_bar", "OutputError", "writing_stdout", "working"]


class OutputError(Exception):
    """Standard output could not be written: a full disk (``> /dev/full``), an
    I/O error. ``cli.main`` says so on stderr and exits with 2. A reader gone
    from a pipe (``| head``) stays a BrokenPipeError: that is no error (141)."""


@contextlib.contextmanager
def writing_stdout() -> Iterator[None]:
    """Turn an OSError raised while writing standard output into an
    :class:`OutputError` (the OSError's own traceback would end the command
    with exit code 1, which means 'refuted' or 'a check failed')."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(err.strerror or str(err)) from err


def is_terminal() -> bool:
    return sys.stdout.isatty()


def progress_bar(label: str, show: bool) -> tuple[Any, Any]:
    """``(update, stop)`` of a transient rich bar labelled ``label`` when ``show``
    (a terminal, no --json), else ``(None, a no-op)``: ``update(done, total)`` is
    the progress callback the library's long routines take."""
    if not show:
        return None, lambda: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    bar.start()
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update, bar.stop


@contextlib.contextmanager
def working(label: str, show: bool = True) -> Iterator[None]:
    """A transient spinner labelled ``label`` while the block runs, on a terminal
    only (and when ``show``: not with --json): a web query takes 1-10 s, which
    looked like a hang."""
    if not (show and is_terminal()):
        yield
        return
    from rich.console import Console

    with Console().status(label):
        yield


def add_json_flag(parser: Any) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def emit_json(data: Any) -> None:
    """``data`` as standard JSON (RFC 8259) on stdout: see :func:`standard_json`."""
    text = json.dumps(standard_json(data), indent=2, default=str, allow_nan=False)
    with writing_stdout():
        sys.stdout.write(text + "\n")


def standard_json(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, ±inf) replaced by None, so that
    ``json.dumps`` writes standard JSON (null), which strict parsers (jq,
    JavaScript's JSON.parse) accept; numpy scalars become Python numbers. In a
    distill_tree report such values mean 'none': ``best_rejected_score`` when
    every split was kept, ``cutoff`` when no split had a finite score, the score
    of a split with a child constant on the validation rows.

    >>> standard_json({"a": [1.0, float("nan")], "b": np.float64("inf"), "c": "x"})
    {'a': [1.0, None], 'b': None, 'c': 'x'}
    """
    if isinstance(value, dict):
        return {key: standard_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [standard_json(item) for item in value]
    numpy = sys.modules.get("numpy")  # a numpy scalar exists only once numpy is loaded
    if numpy is not None and isinstance(value, numpy.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_text(text: str) -> None:
    with writing_stdout():
        sys.stdout.write(text.rstrip("\n") + "\n")


def emit_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> None:
    """A rich table in a terminal, plain aligned columns otherwise (and in a
    terminal too narrow for the whole table: rich would cut cells with '…')."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        for j, cell in enumerate(row):
            widths[j] = max(widths[j], max((len(x) for x in cell.splitlines()), default=0))
    if is_terminal():
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console = Console()
        # a rich table squeezed below its natural width cuts cells with '…' (a
        # reduction's name, a formula): print it only when it fits ('│ cell '
        # per column and a closing '│'), else plain columns, whole, which the
        # terminal wraps
        if sum(widths) + 3 * len(widths) + 1 <= console.width:
            table = Table(title=title or None)
            for col in columns:
                table.add_column(col)
            for row in cells:  # escaped: a cell such as "learn_junta[dnf]" is not markup
                table.add_row(*(escape(cell) for cell in row))
            with writing_stdout():
                console.print(table)
            return
    lines = []
    if title:
        lines.append(title)
    lines.append("  ".join(c.ljust(widths[j]) for j, c in enumerate(columns)).rstrip())
    lines.append("  ".join("-" * widths[j] for j in range(len(columns))))
    for row in cells:
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
    emit_text("\n".join(lines))
