"""``pacdistill classes``: list the model classes (the nodes of the web)."""

from __future__ import annotations

import argparse
from typing import Any

from ._output import add_json_flag, emit_json, emit_table


def add_parser(sub: Any) -> None:
    p = sub.add_parser("classes", help="list the model classes (nodes of the web)",
                       description="The model classes, the nodes of the reduction web "
                       "(THEORY §8): their size parameters, ln|G| and VC dimension where "
                       "declared (THEORY §4), and what a member is.",
                       epilog="examples:\n"
                       "  pacdistill classes\n"
                       "  pacdistill classes --json\n\n"
                       "exit codes: 0; 2 a usage error.")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..classes import CLASSES

    rows = []
    for name, cls in CLASSES.items():
        rows.append([
            name,
            str(cls),
            str(cls.log_size) if cls.log_size is not None else "-",
            str(cls.vc_dim) if cls.vc_dim is not None else "-",
            cls.description,
        ])
    if args.json:
        keys = ["name", "class", "log_size", "vc_dim", "description"]
        emit_json([dict(zip(keys, r, strict=True)) for r in rows])
    else:
        emit_table(["name", "class", "ln|G|", "VC dim", "description"], rows,
                   title="Model classes (THEORY §8)")
    return 0
