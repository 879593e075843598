"""``pacdistill distill ...``: distil a user's model (THEORY §5, §6).

``distill tree --model FILE --depth r [--samples n] [--beam k] [--tau t] [--target f]
[--seed s] [--plot FILE] [--json]`` reads
a network saved as pacdistill JSON (``model.to_json()``) or as an ``.npz`` of
weight and bias arrays (``W0, b0, W1, b1, ...``, see
:meth:`pacdistill.ReLUNetwork.from_npz`), draws n uniform samples of the cube,
runs :func:`pacdistill.distill_tree` and prints the tree, the frontier and the
report. Exit code 0 when a tree met the target fidelity, 1 when none did.

Each subcommand is one ``_add_<name>`` function registered in :data:`SUBCOMMANDS`;
adding ``distill junta`` is one more function and one more entry.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._output import (
    add_json_flag,
    emit_json,
    emit_table,
    emit_text,
    is_terminal,
    progress_bar,
)
from .distill_junta import add_junta

__all__ = ["add_parser", "load_model", "check_plot_path", "check_sample_count",
           "save_frontier_plot", "probing_legend", "SUBCOMMANDS", "PLOT_HELP"]

#: ``--plot`` of ``distill tree`` and ``demo``
PLOT_HELP = ("save the size/fidelity frontier plot to FILE, its format by its suffix: .png "
             "(also with no suffix), .svg, .pdf, ... (default: no plot)")


def load_model(path: str) -> Any:
    """A model from a pacdistill JSON file or an ``.npz`` of ReLU network layers."""
    from .._io import read_json
    from ..classes import ReLUNetwork, model_from_dict
    from ..errors import InvalidParameterError, SerializationError

    file = Path(path)
    if not file.is_file():
        what = "a directory" if file.is_dir() else "not a file"
        raise InvalidParameterError(
            f"The '--model' option must name a readable file (pacdistill JSON or .npz). "
            f"Got {path!r}, which is {what}."
        )
    if file.suffix.lower() == ".npz":
        return ReLUNetwork.from_npz(file)
    try:  # read_json: at most _io.MAX_JSON_BYTES, so a huge file is a clear error
        return model_from_dict(read_json(file, "model JSON"))
    except SerializationError as err:  # the loader's message does not know the file
        raise type(err)(f"The '--model' file {path!r} (pacdistill JSON, or an .npz by its "
                        f"suffix): {err}") from err


def _add_tree(sub: Any) -> None:
    p = sub.add_parser(
        "tree", help="distil a network into a decision tree by linear probes (THEORY §5)",
        description="Distil a network into a decision tree: probe its hidden layers for "
                    "ANDs of literals, then find the best tree of every size (THEORY §5).",
        epilog="examples:\n"
        "  pacdistill distill tree --model net.npz --depth 3\n"
        "  pacdistill distill tree --model net.json --depth 4 --samples 50000 --plot "
        "frontier.png\n"
        "  pacdistill distill tree --model net.npz --depth 3 --tau 0.05 --json\n\n"
        "exit codes: 0 a tree met the target fidelity; 1 none did (the output says which "
        "was best); 2 bad input.")
    p.add_argument("--model", required=True, metavar="FILE",
                   help="pacdistill JSON (model.to_json()) or .npz of W0,b0,W1,b1,...")
    p.add_argument("--depth", required=True, type=int, metavar="r",
                   help="largest tree depth, 1 to the model's number of inputs (required)")
    p.add_argument("--samples", type=int, default=20_000, metavar="n",
                   help="uniform samples of the cube to use (default 20000)")
    p.add_argument("--beam", type=int, default=None, metavar="k",
                   help="most splits kept per depth (default: 32, widened once to 128 "
                        "when no tree meets the target)")
    p.add_argument("--tau", type=float, default=None,
                   help="threshold rule: keep the splits whose two children's probes have "
                        "validation MSE <= tau, a number > 0 (default: the margin rule, "
                        "which keeps no split scoring above 0.5)")
    p.add_argument("--target", type=float, default=0.99,
                   help="fidelity the tree must reach on the samples, in (0, 1] "
                        "(default 0.99)")
    p.add_argument("--seed", type=int, default=0, help="random seed, an integer >= 0 "
                   "(default 0)")
    p.add_argument("--plot", metavar="FILE", default=None, help=PLOT_HELP)
    add_json_flag(p)
    p.set_defaults(func=_run_tree)


def _run_tree(args: argparse.Namespace) -> int:
    import numpy as np

    from .._validation import check_int, check_real
    from ..distill import distill_tree
    from ..distill.adapters import check_representation
    from ..distributions import Uniform

    command = "distill tree"
    model = load_model(args.model)
    check_representation(model, command)
    if args.plot:
        check_plot_path(args.plot)  # before the work, not after it
    d = model.n_inputs
    # the options are checked under the names the user typed, before any work
    depth = check_int(args.depth, "--depth", command, min=1, max=d)
    beam = None if args.beam is None else check_int(args.beam, "--beam", command, min=1)
    tau = (None if args.tau is None
           else check_real(args.tau, "--tau", command, low=0, low_open=True))
    target = check_real(args.target, "--target", command, low=0, high=1, low_open=True)
    samples = check_sample_count(args.samples, "--samples", command, d, min=8)
    rng = np.random.default_rng(check_int(args.seed, "--seed", command, min=0))
    X = Uniform(d).sample(samples, rng)
    progress, done = _depth_progress(args.json)
    try:
        result = distill_tree(model, X, depth=depth, beam=beam, tau=tau, rng=rng,
                              target=target, progress=progress)
    finally:
        done()
    if args.json:
        emit_json({"met_target": result.met_target, "message": result.message,
                   "tree": result.tree.to_dict(), "frontier": result.frontier.to_dict(),
                   "report": result.report})
    else:
        emit_text(result.message)
        emit_text(str(result.tree))
        emit_table(["leaves", "depth", "fidelity", f"{1 - result.frontier.delta:.0%} band"],
                   result.frontier.rows(), title="Frontier (THEORY §7)")
        emit_table(["depth", "candidates", "lambda/scale", "kept splits", "best score"],
                   depth_rows(result.report), title="Probing (THEORY §5)")
        emit_text(probing_legend())
        emit_table(["stage", "seconds"], timing_rows(result.report["timings"]),
                   title="Time per stage")
    if args.plot:  # last: a plot that cannot be written loses nothing printed
        save_frontier_plot(result.frontier, args.plot)
        if not args.json:
            emit_text(f"Frontier plot saved to {args.plot}")
    return 0 if result.met_target else 1


def depth_rows(report: Any) -> list[list[str]]:
    """One row per probed depth of a distill_tree report."""
    return [[str(lv["depth"]), str(lv["candidates"]), f"{lv['lambda_over_scale']:.3g}",
             f"{lv['kept_splits']}{' (capped)' if lv['capped'] else ''}",
             f"{lv['best_score']:.3f}"] for lv in report["depths"]]


def probing_legend() -> str:
    """What the probing table's columns mean (THEORY §5; distill/lrh.py)."""
    import textwrap

    from ..distill.lrh import CEILING, DEFAULT_SPLIT_WEIGHT

    return textwrap.fill(
        "lambda/scale: the ridge penalty chosen on the validation rows, over the mean "
        "diagonal of the Gram matrix. best score: the best split's score, "
        f"{1 - DEFAULT_SPLIT_WEIGHT:g} x its better child's probe validation error plus "
        f"{DEFAULT_SPLIT_WEIGHT:g} x the worse one's, each as a share of its label variance "
        f"(0: read perfectly; the default rule keeps no split above {CEILING:g}).",
        width=88)


def timing_rows(timings: Any) -> list[list[str]]:
    return [[stage, f"{seconds:.2f}"] for stage, seconds in timings.items()]


def check_plot_path(path: Any, option: str = "--plot") -> str:
    """Check a plot file before any work: a path whose directory exists and whose
    suffix is a format matplotlib writes (none means png). Returns the format.

    >>> check_plot_path("frontier.svg")
    'svg'
    """
    import os

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..errors import InvalidParameterError

    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise InvalidParameterError(f"The {option!r} file must be a path. Got {path!r:.80}.")
    target = os.fspath(path)
    if target == "-":  # elsewhere '-' is standard output, which holds the text here
        raise InvalidParameterError(
            f"The {option!r} file must be a file name; '-' (standard output) is not "
            "allowed: the text goes there. Name a file, e.g. frontier.png.")
    fmt = os.path.splitext(target)[1][1:].lower() or "png"
    supported = FigureCanvasAgg.get_supported_filetypes()
    if fmt not in supported:
        raise InvalidParameterError(
            f"The {option!r} file {target!r} has the suffix {fmt!r}; expected one "
            f"of {', '.join(sorted(supported))} (or none, for png)."
        )
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        raise InvalidParameterError(
            f"The {option!r} file {target!r} cannot be written: its directory {directory!r} "
            "does not exist."
        )
    if os.path.isdir(target):
        raise InvalidParameterError(
            f"The {option!r} file {target!r} is a directory; name a file in it."
        )
    return fmt


def save_frontier_plot(frontier: Any, path: str) -> None:
    """Save ``frontier.plot()`` to ``path`` with the Agg backend (no display
    needed), atomically (``pacdistill._io``; through ``_files.write_output``, so
    a symbolic link or a special file is written, not replaced); the format is
    the file's suffix (``.png`` when it has none), checked by
    :func:`check_plot_path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .._io import atomic_open
    from ._files import write_output

    fmt = check_plot_path(path)
    ax = frontier.plot()

    def write(target: str) -> None:
        with atomic_open(target, "wb", func="--plot") as handle:
            ax.figure.savefig(handle, format=fmt, bbox_inches="tight", dpi=120)

    try:  # a special file (/dev/stdout, a pipe) is streamed into, not replaced
        write_output(path, write, option="--plot")
    finally:
        plt.close(ax.figure)


def check_sample_count(value: Any, option: str, command: str, d: int, *, min: int) -> int:
    """A count of sample points given on the command line (``--samples``,
    ``--check``): an integer >= ``min`` whose n x d sample fits
    :data:`~pacdistill.distributions.MAX_SAMPLE_CELLS` entries (TooLargeError past
    it, naming the option and its largest value at this d)."""
    from .._validation import check_int, param_error, show
    from ..distributions import MAX_SAMPLE_CELLS
    from ..errors import TooLargeError

    n = check_int(value, option, command, min=min)
    if n * d <= MAX_SAMPLE_CELLS:
        return n
    most = MAX_SAMPLE_CELLS // d
    if most < max(min, 1):
        raise TooLargeError(
            f"{command}: the model has d = {show(d)} inputs, too many to sample: {option} "
            f"{show(n)} asks for points of that width, and even {max(min, 1)} would exceed "
            f"the limit of {MAX_SAMPLE_CELLS} entries (MAX_SAMPLE_CELLS)."
        )
    raise param_error(
        option, command, f"an integer in [{min}, {most}]", value, cls=TooLargeError,
        fix=f"At d = {d} inputs, n points hold n x d entries; the limit is "
            f"{MAX_SAMPLE_CELLS} entries (MAX_SAMPLE_CELLS).")


def _depth_progress(quiet: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A rich progress bar over probed depths on a terminal, else nothing."""
    return progress_bar("probing depths", not quiet and is_terminal())


#: subcommand name -> function adding its parser
SUBCOMMANDS: dict[str, Callable[[Any], None]] = {"tree": _add_tree, "junta": add_junta}


def add_parser(sub: Any) -> None:
    p = sub.add_parser("distill", help="distil a saved model into a decision tree (THEORY §5) "
                       "or a junta (THEORY §6)",
                       description="Distil a model saved as pacdistill JSON or an .npz of "
                       "ReLU layers: 'tree' by linear probes of a network's hidden layers "
                       "(THEORY §5), 'junta' by queries (THEORY §6).")
    inner = p.add_subparsers(dest="distill_command", metavar="KIND",
                             parser_class=type(p))
    for add in SUBCOMMANDS.values():
        add(inner)

    def usage(_: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2

    p.set_defaults(func=usage)
