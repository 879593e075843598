"""``pacdistill route`` and ``pacdistill compare``: routes of the reduction web
with their composed guarantees, and learning versus distillation side by side
(THEORY §3, §4, §6, §9).

``--at d=100,k=4,eps=0.01,delta=0.05`` gives numbers for the symbols; values
are read by a strict int/float reader (no expression is ever evaluated).
"""

from __future__ import annotations

import argparse
from typing import Any

from ._choices import PROMISES, RANKS
from ._output import add_json_flag, emit_json, emit_table, emit_text, working
from .bound import parse_param
from .web import PROMISE_HELP

__all__ = ["add_parser", "parse_at", "MAX_STEPS"]

#: the longest route ``--max-steps`` allows: ReductionWeb.routes' bound
#: (tests/cli/test_cli_help.py holds them equal)
MAX_STEPS = 8


def parse_at(text: str) -> dict[str, int | float]:
    """``name=value,name=value`` into a dict (strict numbers; see parse_param).

    >>> parse_at("d=100,eps=0.01")
    {'d': 100, 'eps': 0.01}
    """
    out: dict[str, int | float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, value = parse_param(part)
        if name in out:
            raise argparse.ArgumentTypeError(f"{name} is given twice in --at")
        out[name] = value
    if not out:
        raise argparse.ArgumentTypeError("expected name=value pairs such as d=100,eps=0.01")
    return out


def _merge_at(pieces: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    if not pieces:
        return None
    merged: dict[str, Any] = {}
    for piece in pieces:
        for name, value in piece.items():
            if name in merged:
                from ..errors import InvalidParameterError

                raise InvalidParameterError(f"The symbol {name!r} is given twice in --at.")
            merged[name] = value
    return merged


def _add_at(p: Any, required: bool = False, default: str = "") -> None:
    p.add_argument("--at", type=parse_at, action="append", required=required,
                   metavar="NAME=VALUE,...",
                   help="numbers for the symbols, e.g. d=100,k=4,eps=0.01,delta=0.05 "
                        "(repeatable; integers or decimals such as 0.01 or 1e-3; "
                        "symbols: those of pacdistill.bounds.symbols and OPT_<class>)"
                        + default)


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "route", help="ranked routes between two classes, with composed guarantees",
        description="Composable routes F -> ... -> G of the reduction web (THEORY §3), "
        "ranked by samples, time or queries at the --at values, each with its composed "
        "guarantee (formulas and numbers) and its derivation (THEORY §9).",
        epilog="examples:\n"
        "  pacdistill route junta relu_network --at d=100,k=4,eps=0.01,delta=0.05 --rank time\n"
        "  pacdistill route relu_network junta --efficient\n"
        "  pacdistill route relu_network junta --promise distributional --limit 3\n"
        "  pacdistill route junta dnf --at d=100,k=4,eps=0.01,delta=0.05 --limit 1 --json\n\n"
        "exit codes: 0 routes found; 1 no route (with --json: an empty 'routes' list); "
        "2 bad input.")
    p.add_argument("source", help="source class, e.g. junta (the names: pacdistill classes)")
    p.add_argument("target", help="target class, e.g. relu_network")
    p.add_argument("--promise", choices=PROMISES, help=PROMISE_HELP)
    _add_at(p, default=" (default: none; the routes are then listed by fewest steps, "
                       "efficient first, and no value is computed)")
    p.add_argument("--rank", choices=RANKS, default="samples",
                   help="ranking field at the --at values (default samples)")
    p.add_argument("--limit", type=int, default=5, metavar="N",
                   help="show at most N routes, N >= 1 (default 5)")
    p.add_argument("--max-steps", type=int, default=4, metavar="N",
                   help=f"longest route, in steps, 1 to {MAX_STEPS} (default 4)")
    p.add_argument("--efficient", action="store_true",
                   help="only efficient routes (default: every route)")
    add_json_flag(p)
    p.set_defaults(func=_run_route)

    c = sub.add_parser(
        "compare", help="learning versus distillation for a pair of classes",
        description="The best route that learns from labelled examples only against the "
        "best route overall (THEORY §9 rule 4): samples, queries and time as formulas and "
        "numbers, with sources and the learning-time anchors of THEORY §4.",
        epilog="examples:\n"
        "  pacdistill compare relu_network junta --at d=100,k=4,eps=0.01,delta=0.05,m=50,L=1\n"
        "  pacdistill compare decision_tree decision_tree --at d=10,r=3,s=8,eps=0.1,"
        "delta=0.1 --json\n\n"
        "exit codes: 0; 2 bad input (a missing value names the symbols to give).")
    c.add_argument("source", help="source class F, e.g. relu_network")
    c.add_argument("target", help="target class G, e.g. junta")
    _add_at(c, required=True, default=" (required: the routes are compared by numbers)")
    c.add_argument("--rank", choices=RANKS, default="time",
                   help="which best route, by this field at the --at values (default time)")
    add_json_flag(c)
    c.set_defaults(func=_run_compare)


def _fmt(value: Any) -> str:
    from .._web.records import format_value

    return format_value(value)


def _size_values(route: Any, at: dict[str, Any] | None) -> dict[str, Any] | None:
    """The size map's values at ``at`` (output size name -> number), or None
    when ``at`` lacks a symbol they need."""
    from .._web.values import with_defaults

    g = route.guarantee
    if at is None or not g.size_map:
        return None
    at = with_defaults(g, at)
    needed = set().union(*(v.free_symbols for v in g.size_map.values()))
    if {s.name for s in needed} - set(at):
        return None
    return {str(k): v for k, v in g.at(fields=["size_map"], **at).size_map.items()}


def _route_json(route: Any, at: dict[str, Any] | None) -> dict[str, Any]:
    """``route.to_dict(at)`` plus the size map's values (the table's last row)."""
    from .._web.values import json_value

    sizes = _size_values(route, at)
    return {**route.to_dict(at), "size_values": None if sizes is None else
            {name: json_value(value) for name, value in sizes.items()}}


def _run_route(args: argparse.Namespace) -> int:
    import sympy

    from .._validation import check_int
    from ..web import default_web

    at = _merge_at(args.at)
    limit = check_int(args.limit, "--limit", "pacdistill route", min=1)
    max_steps = check_int(args.max_steps, "--max-steps", "pacdistill route", min=1,
                          max=MAX_STEPS)
    with working("searching the reduction web", not args.json):
        web = default_web()
        routes = web.routes(args.source, args.target, promise=args.promise, at=at,
                            rank=args.rank, limit=limit, max_steps=max_steps,
                            efficient_only=args.efficient)
        # how many there are: the same routes without values (nothing evaluated, no
        # tie broken; the set of routes does not depend on at=, only their costs)
        found = len(routes) if len(routes) < limit else len(
            web.routes(args.source, args.target, promise=args.promise, limit=None,
                       max_steps=max_steps, efficient_only=args.efficient))
    src = web.resolve(args.source)
    tgt = web.resolve(args.target)
    if args.json:
        emit_json({"source": src, "target": tgt, "rank": args.rank, "at": at,
                   "promise": args.promise, "found": found,  # the text's 'best 3 of 31'
                   "routes": [_route_json(r, at) for r in routes]})
        return 0 if routes else 1
    if not routes:
        others = args.efficient and web.routes(src, tgt, promise=args.promise,
                                               max_steps=max_steps, limit=1)
        emit_text(f"No composable route {src} -> {tgt} within {max_steps} steps"
                  + (" is efficient" if args.efficient else "")
                  + (f" under the promise filter {args.promise!r}" if args.promise else "")
                  + (" (routes that are not: drop --efficient to see them)" if others else "")
                  + ".")
        return 1
    where = (" at " + ", ".join(f"{k}={v}" for k, v in at.items())) if at else ""
    shown = (f"all {len(routes)}" if len(routes) == found else
             f"best {len(routes)} of {found}; --limit {found} shows all")
    # without values nothing is evaluated: the order is fewest steps, efficient first
    order = (f"ranked by {args.rank}{where}" if at else
             f"fewest steps first, efficient first (--at values rank them by {args.rank})")
    emit_text(f"Routes {src} -> {tgt}, {order} ({shown}):")
    for i, route in enumerate(routes, start=1):
        g = route.guarantee
        values = route.values(at)
        flags = ["efficient" if route.efficient else "not efficient"]
        if not route.qualifies:
            flags.append(route.qualification)
        emit_text(f"\n#{i} {' -> '.join(route.classes)}\n"
                  f"   steps: {', '.join(route.names)}\n"
                  f"   kind {g.kind}; promise {g.promise or 'none'}; assumptions "
                  f"{', '.join(g.assumptions) or 'none'}; {'; '.join(flags)}"
                  + ("; up to the constant C" if g.order else ""))
        rows = [[name, sympy.sstr(getattr(g, name)), _fmt(values[name])]
                for name in ("samples", "queries", "time", "error", "failure")]
        sizes = ", ".join(f"{k} -> {sympy.sstr(v)}" for k, v in
                          sorted(g.size_map.items(), key=lambda kv: kv[0].name)) or "none"
        values_at = _size_values(route, at)
        rows.append(["size map", sizes, "-" if values_at is None else
                     ", ".join(f"{k}={v}" for k, v in values_at.items())])
        emit_table(["field", "formula", "value"], rows)
        for note in route.notes:
            emit_text(f"   note: {note}")
        emit_text("   derivation:\n" + "\n".join(f"     {line}" for line in route.derivation))
    return 0


def _run_compare(args: argparse.Namespace) -> int:
    from ..web import default_web

    at = _merge_at(args.at)
    with working("comparing learning and distillation", not args.json):
        comp = default_web().compare(args.source, args.target, at=at, rank=args.rank)
    if args.json:
        emit_json(comp.to_dict())
        return 0
    where = ", ".join(f"{k}={v}" for k, v in (at or {}).items())
    emit_table(["", "learning (formula)", "learning", "distillation (formula)", "distillation"],
               comp.rows(),
               title=f"Learning vs distillation, {comp.source} -> {comp.target} at {where}")
    lines = []
    for label, route in (("learning", comp.learning), ("distillation", comp.distillation)):
        if route is None:
            lines.append(f"best {label} route: none")
            continue
        lines.append(f"best {label} route: {' -> '.join(route.classes)} "
                     f"({', '.join(route.names)}); promise {route.promise or 'none'}; "
                     f"assumptions {', '.join(route.assumptions) or 'none'}")
        lines += [f"  source: {red.name}: {red.guarantee.source}" for red in route.steps]
    for status in (comp.learning_status, comp.distillation_status):
        lines.append(f"{status.setting} status: {status.answer}")
        lines += [f"  {line}" for line in status.derivation]
    for anchor in comp.anchors:
        lines.append(f"anchor (THEORY §4): {anchor.task}, {anchor.setting}: {anchor.time} "
                     f"[{anchor.source}]")
    emit_text("\n".join(lines))
    return 0
