"""``pacdistill edges | status | separations | export``: the reduction web from
the command line (THEORY §8, §9; ``route`` and ``compare`` live in
:mod:`pacdistill._cli.route`)."""

from __future__ import annotations

import argparse
from typing import Any

from ._choices import ACCESS, FORMATS, KINDS, PROMISES, SETTINGS
from ._output import add_json_flag, emit_json, emit_table, emit_text, working

__all__ = ["add_parser", "PROMISE_HELP"]

#: ``--promise`` of ``status`` and ``route``: pacdistill.web's ``promise=``
PROMISE_HELP = ("what you can promise about f (default: everywhere, f is a member of the "
                "promise class on every point, so every route counts): 'distributional', f "
                "agrees with one D-almost surely, drops the routes that need the exact "
                "promise (query algorithms, THEORY §2.3); 'none' keeps only the routes "
                "without a promise (exact and agnostic)")


def add_parser(sub: Any) -> None:
    e = sub.add_parser("edges", help="list the edges of the reduction web",
                       description="The edges of the default web (THEORY §8), optionally "
                       "filtered by source, target, kind or access.",
                       epilog="examples:\n"
                       "  pacdistill edges --from relu_network\n"
                       "  pacdistill edges --kind barrier\n"
                       "  pacdistill edges --to junta --access queries --json\n\n"
                       "exit codes: 0 (also when no edge matches: it says so); 2 bad input.")
    e.add_argument("--from", dest="source", metavar="F",
                   help="only edges out of class F, a name 'pacdistill classes' lists "
                        "(default: every class)")
    e.add_argument("--to", dest="target", metavar="G",
                   help="only edges into class G (default: every class)")
    e.add_argument("--kind", choices=KINDS, help="only edges of this kind (default: every kind)")
    e.add_argument("--access", choices=ACCESS,
                   help="only edges with this access to f (default: every access)")
    add_json_flag(e)
    e.set_defaults(func=_run_edges)

    s = sub.add_parser("status", help="is distilling (or learning) F into G efficient, hard "
                       "or unknown?",
                       description="Status of a pair with its shortest derivation (THEORY §9): "
                       "efficient (a route), hard (a barrier, direct or derived by rule 3) or "
                       "unknown. Learning barriers do not make distillation hard (rule 4).",
                       epilog="examples:\n"
                       "  pacdistill status relu_network junta\n"
                       "  pacdistill status relu_network junta --setting learning\n"
                       "  pacdistill status relu_network dnf --promise distributional --json\n\n"
                       "exit codes: 0 whatever the answer (efficient, hard or unknown: read it "
                       "from the output, 'answer' in the JSON); 2 bad input.")
    s.add_argument("source", help="source class F, e.g. relu_network")
    s.add_argument("target", help="target class G, e.g. junta")
    s.add_argument("--setting", choices=SETTINGS, default="distillation",
                   help="distillation (default: f is given, any access its routes use) or "
                        "learning (labelled examples only)")
    s.add_argument("--promise", choices=PROMISES, help=PROMISE_HELP)
    add_json_flag(s)
    s.set_defaults(func=_run_status)

    p = sub.add_parser("separations", help="pairs where distillation is efficient and "
                       "learning is hard (THEORY §9 rule 4)",
                       description="Pairs F -> G (F != G: distilling F into F is the "
                       "identity) where distillation is efficient and learning is hard "
                       "(THEORY §9 rule 4), with both costs and their sources: the route's "
                       "samples, queries and time; the learning barrier's lower bound and "
                       "the learning-time anchors of THEORY §4.",
                       epilog="examples:\n"
                       "  pacdistill separations\n"
                       "  pacdistill separations --derivations\n\n"
                       "exit codes: 0; 2 a usage error.")
    p.add_argument("--derivations", action="store_true",
                   help="also print both derivations of every pair")
    add_json_flag(p)
    p.set_defaults(func=_run_separations)

    x = sub.add_parser("export", help="write the web as JSON, GraphML or DOT",
                       description="Write the default web (atomically) as JSON (reloadable "
                       "with ReductionWeb.from_json), GraphML (networkx.read_graphml) or DOT "
                       "(graphviz).",
                       epilog="examples:\n"
                       "  pacdistill export -o web.graphml\n"
                       "  pacdistill export --format dot -o - | dot -Tsvg > web.svg\n\n"
                       "exit codes: 0 written; 2 bad input (a directory, a missing "
                       "directory, a file that cannot be written).")
    x.add_argument("--format", choices=FORMATS, default=None,
                   help="default: from the file's suffix (.json, .graphml, .dot or .gv), "
                        "else json")
    x.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write; '-' writes to standard output")
    x.set_defaults(func=_run_export)


def _run_edges(args: argparse.Namespace) -> int:
    import sympy

    from ..web import default_web

    with working("reading the reduction web", not args.json):
        web = default_web()
        edges = web.edges(args.source, args.target, kind=args.kind, access=args.access)
    if args.json:
        emit_json([{
            "name": red.name, "source": red.source, "target": red.target, "kind": red.kind,
            "access": red.access, "efficient": red.efficient,
            "size_blowup": _blowup(web, red),
            "promise": None if red.guarantee.promise is None else str(red.guarantee.promise),
            "assumptions": list(red.guarantee.assumptions),
            "samples": sympy.sstr(red.guarantee.samples),
            "queries": sympy.sstr(red.guarantee.queries),
            "time": sympy.sstr(red.guarantee.time), "time_text": _time_text(red),
            "citation": red.guarantee.source,
            "doc": red.doc,
        } for red in edges])
        return 0
    if not edges:
        source, target = (None if name is None else web.resolve(name)
                          for name in (args.source, args.target))
        asked = [f"{word} {value}" for word, value in
                 (("from", source), ("to", target), ("kind", args.kind),
                  ("access", args.access)) if value]
        hint = (f"; composed routes: pacdistill route {source} {target}"
                if source and target else "")
        emit_text(f"No edge of the reduction web matches ({', '.join(asked)}){hint}.")
        return 0
    rows = [[red.name, f"{red.source} -> {red.target}", red.kind, red.access,
             _efficient_text(web, red), _conditions(red), _time_text(red)] for red in edges]
    emit_table(["name", "edge", "kind", "access", "efficient", "promise / assumption", "time"],
               rows, title=f"{len(rows)} edges of the reduction web")
    if any(_blowup(web, red) for red in edges):
        emit_text("no (size): the algorithm's time is polynomial in its sizes, but the size "
                  "map is not shown polynomial in the size of its input (an output of 2^d "
                  "entries from a d-variable input), so the web counts it as no efficient "
                  "step (THEORY §9 rule 3 note; 'Efficient' in pacdistill.web)")
    return 0


def _blowup(web: Any, red: Any) -> bool:
    """Whether the web counts the edge, declared efficient, as no efficient step
    because its size map is not polynomial in its input's size."""
    return red.kind != "barrier" and red.efficient and web._inefficiency(red) is not None


def _efficient_text(web: Any, red: Any) -> str:
    if not red.efficient:
        return "no"
    return "no (size)" if _blowup(web, red) else "yes"


def _conditions(red: Any) -> str:
    """The promise and the assumptions an edge's guarantee holds under, or '-'."""
    parts = ([] if red.guarantee.promise is None else [str(red.guarantee.promise)])
    parts += list(red.guarantee.assumptions)
    return "; ".join(parts) or "-"


def _time_text(red: Any) -> str:
    """The time bound; for a barrier its lower bound (THEORY §8 records)."""
    import sympy

    time = red.guarantee.time
    if red.kind != "barrier":
        return sympy.sstr(time)
    return f"Omega({sympy.sstr(time)})" if time != 0 else "not polynomial"


def _run_status(args: argparse.Namespace) -> int:
    from ..web import default_web

    with working("deriving the status", not args.json):
        status = default_web().status(args.source, args.target, setting=args.setting,
                                      promise=args.promise)
    if args.json:
        emit_json(status.to_dict())
    else:
        emit_text(str(status))
    return 0


def _run_separations(args: argparse.Namespace) -> int:
    from ..web import default_web

    with working("deriving the separations", not args.json):
        seps = default_web().separations()
    if args.json:
        emit_json([sep.to_dict() for sep in seps])
        return 0
    refs: dict[str, int] = {}

    def costs(items: Any) -> str:
        out = []
        for c in items:
            cites = ",".join(str(refs.setdefault(s, len(refs) + 1)) for s in c.sources)
            word = ">=" if c.kind == "lower" else "<="
            label = f"{c.under}: " if c.setting == "learning" else ""
            out.append(f"{label}{c.what} {word} {c.bound} [{cites}]")
        return "; ".join(out)

    rows = [[f"{sep.source} -> {sep.target}", ", ".join(sep.distillation.route.names),
             ", ".join(sep.distillation.route.assumptions) or "none",
             costs(sep.distillation_costs),
             " + ".join(sep.learning.hardness.names),
             ", ".join(sep.learning.hardness.assumptions),
             costs(sep.learning_costs)] for sep in seps]
    emit_table(["pair", "efficient distillation", "assuming", "distillation cost",
                "learning hard by", "under", "learning cost"],
               rows, title="Distillation efficient, learning hard (THEORY §9 rule 4)")
    emit_text("sources:\n" + "\n".join(f"  [{n}] {source}" for source, n in refs.items()))
    if args.derivations:
        emit_text("\n\n".join(str(sep) for sep in seps))
    return 0


#: the format ``export`` writes when --format is not given, by the file's suffix
SUFFIX_FORMATS = {".json": "json", ".graphml": "graphml", ".dot": "dot", ".gv": "dot"}


def _run_export(args: argparse.Namespace) -> int:
    import os
    import sys

    from ..web import default_web
    from ._files import write_output

    fmt = args.format or SUFFIX_FORMATS.get(os.path.splitext(args.output)[1].lower(), "json")
    web = default_web()
    streamed = write_output(args.output, lambda path: web.export(path, format=fmt),
                            option="--output", dash_is_stdout=True)
    where = "standard output" if args.output == "-" else args.output
    message = f"wrote {where} ({fmt}): {len(web.classes)} classes, {len(web.reductions)} edges"
    if streamed:  # the export may be the output (-o -, /dev/stdout): the note goes beside it
        sys.stderr.write(message + "\n")
    else:
        emit_text(message)
    return 0
