"""Output helpers shared by the CLI commands (private).

Rich tables when stdout is a terminal, plain aligned text when piped, JSON with
``--json``. Commands build rows as lists of strings and call :func:`emit_table`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["is_terminal", "emit_table", "emit_json", "emit_text", "add_json_flag"]


def is_terminal() -> bool:
    return sys.stdout.isatty()


def add_json_flag(parser: Any) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def emit_text(text: str) -> None:
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
