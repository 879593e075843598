"""``pacdistill demo``: the main job end to end, no files needed (THEORY §5, §7).

1. Draw a random complete decision tree of depth 3 on d = 50 variables (the
   paper's random tree, THEORY §5), redrawn until the two leaves under every
   bottom split differ, so that no split of the tree is idle.
2. Train a scikit-learn ReLU MLP on uniform samples labelled by the tree, one
   epoch at a time, until its test accuracy reaches 99% (or an epoch cap; it
   says so when it does not get there).
3. Distil the network into a tree with :func:`pacdistill.distill_tree` (linear
   probes of its hidden layers, then the DP).
4. Print the recovered tree, its agreement with the network and with the
   original tree on fresh samples, the frontier (THEORY §7), the time of every
   stage, and the CART baseline trained on the same samples (learning from
   scratch, no access to the network's insides).

Progress bars appear on a terminal only; piped output is plain text. The
matrix products run on one BLAS thread: they are small to mid-sized, and on a
busy 2-core machine one thread was measured several times faster than two.
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any

from ._output import emit_table, emit_text, is_terminal
from .distill import PLOT_HELP

__all__ = ["add_parser", "DEFAULTS"]

#: the demo's embedded settings
DEFAULTS: dict[str, Any] = {
    "d": 50,
    "depth": 3,
    "hidden": (128, 128),
    "train": 10_000,
    "test": 2_000,
    "accuracy": 0.99,
    "max_epochs": 40,
    "samples": 10_000,
    "fresh": 20_000,
}


def add_parser(sub: Any) -> None:
    p = sub.add_parser("demo", help="train a network on a random tree and distil it back",
                       description="The main job end to end, no files needed (THEORY §5, "
                       "§7): plant a random depth-3 decision tree on 50 variables, train a "
                       "scikit-learn ReLU network on samples it labels, distil the network "
                       "back into a tree by linear probes of its hidden layers, and print "
                       "the tree, its agreement with the network and the original tree, the "
                       "size/fidelity frontier, the time per stage and the CART baseline.",
                       epilog="examples:\n"
                       "  pacdistill demo\n"
                       "  pacdistill demo --seed 3 --plot frontier.svg\n\n"
                       "exit codes: 0 (also when the network or the tree falls short of its "
                       "target: the output says so); 2 bad input.")
    p.add_argument("--seed", type=int, default=0,
                   help="random seed, an integer >= 0: another seed plants another tree "
                        "(default 0)")
    p.add_argument("--plot", metavar="FILE", default=None, help=PLOT_HELP)
    p.set_defaults(func=run)


class _Bar:
    """A rich progress bar on a terminal; silent otherwise."""

    def __init__(self, description: str, total: int | None) -> None:
        self.progress = None
        if is_terminal():
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                     TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
                                     transient=True)
            self.progress.start()
            self.task = self.progress.add_task(description, total=total, info="")

    def update(self, completed: int, total: int | None = None, info: str = "") -> None:
        if self.progress is not None:
            self.progress.update(self.task, completed=completed, info=info,
                                 **({"total": total} if total is not None else {}))

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _train(tree: Any, rng: Any, s: dict[str, Any]) -> tuple[Any, float, int, float]:
    """Train the MLP epoch by epoch until the test accuracy target or the cap."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from ..distributions import Uniform

    D = Uniform(s["d"])
    X_train = D.sample(s["train"], rng)
    y_train = tree.predict(X_train)
    X_test = D.sample(s["test"], rng)
    y_test = tree.predict(X_test)
    mlp = MLPClassifier(hidden_layer_sizes=s["hidden"], activation="relu", max_iter=1,
                        warm_start=True, batch_size=256,
                        random_state=int(rng.integers(2**31)))
    bar = _Bar("training the network", s["max_epochs"])
    start = time.perf_counter()
    accuracy, epoch = 0.0, 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch per call
            for epoch in range(1, s["max_epochs"] + 1):
                mlp.fit(X_train, y_train)
                accuracy = float(np.mean(mlp.predict(X_test) == y_test))
                bar.update(epoch, info=f"epoch {epoch}, test accuracy {accuracy:.2%}")
                if accuracy >= s["accuracy"]:
                    break
    finally:
        bar.close()
    return mlp, accuracy, epoch, time.perf_counter() - start


def _random_tree(rng: Any, s: dict[str, Any]) -> Any:
    """The paper's random complete tree, conditioned on distinct sibling leaves."""
    from ..classes import CLASSES

    while True:
        tree = CLASSES["decision_tree"].random(rng, d=s["d"], depth=s["depth"])
        leaves = tree.value[tree.feature < 0]          # heap order: siblings adjacent
        if (leaves[0::2] != leaves[1::2]).all():
            return tree


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()  # the imports are a stage too (~1.7 s of CPU)
    # threadpoolctl limits only the libraries already loaded: load numpy's and
    # scipy's OpenBLAS (scikit-learn imports scipy) before limiting them
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401
    import sklearn.neural_network  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _run(args, started)


def _run(args: argparse.Namespace, started: float) -> int:
    import numpy as np

    from .._validation import check_int
    from ..classes import ReLUNetwork
    from ..distill import distill_tree
    from ..distill.baselines import cart_baseline
    from ..distributions import Uniform
    from .distill import (
        check_plot_path,
        depth_rows,
        probing_legend,
        save_frontier_plot,
        timing_rows,
    )

    s = DEFAULTS
    seed = check_int(args.seed, "--seed", "demo", min=0)
    if args.plot:
        check_plot_path(args.plot)  # before training, not after the whole demo
    rng = np.random.default_rng(seed)
    import_seconds = time.perf_counter() - started
    tree = _random_tree(rng, s)
    emit_text(f"pacdistill demo (seed {seed}): a random depth-{s['depth']} decision tree on "
              f"d = {s['d']} variables (THEORY §5)")
    emit_text(str(tree))

    mlp, accuracy, epochs, train_seconds = _train(tree, rng, s)
    reached = accuracy >= s["accuracy"]
    emit_text("")
    emit_text(
        f"Trained a ReLU MLP {s['hidden']} (scikit-learn) on {s['train']:,} samples for "
        f"{epochs} epochs in {train_seconds:.1f} s: test accuracy {accuracy:.2%}"
        + ("." if reached else
           f", short of the {s['accuracy']:.0%} target (the epoch cap of {s['max_epochs']} "
           "was reached); distilling the network as it is.")
    )
    net = ReLUNetwork.from_sklearn(mlp)

    D = Uniform(s["d"])
    X = D.sample(s["samples"], rng)
    bar = _Bar("probing depths", s["depth"])
    try:
        result = distill_tree(net, X, depth=s["depth"], rng=rng,
                              progress=lambda done, total: bar.update(done, total))
    finally:
        bar.close()
    emit_text("")
    emit_text(f"Distilled with linear probes of its {net.size()['m']} hidden units "
              f"(n = {s['samples']:,} samples): {result.message}")
    emit_text(str(result.tree))

    cart = cart_baseline(X, net.predict(X), depth=s["depth"], rng=rng)
    fresh = D.sample(s["fresh"], rng)
    f_net, f_tree = net.predict(fresh), tree.predict(fresh)
    rows = []
    for name, model, seconds in (
            ("distilled tree (LRH probes)", result.tree, result.report["seconds"]),
            (f"CART on the same {s['samples']:,} samples", cart.tree, cart.seconds)):
        pred = model.predict(fresh)
        rows.append([name, str(model.n_leaves), f"{np.mean(pred == f_net):.2%}",
                     f"{np.mean(pred == f_tree):.2%}", f"{seconds:.2f}"])
    rows.append(["the network itself", "-", "100.00%", f"{np.mean(f_net == f_tree):.2%}",
                 f"{train_seconds:.2f} (training)"])
    emit_text("")
    emit_table(["model", "leaves", "agrees with network", "agrees with original tree",
                "seconds"], rows,
               title=f"Agreement on {s['fresh']:,} fresh uniform samples")
    emit_text("")
    emit_table(["leaves", "depth", "fidelity", f"{1 - result.frontier.delta:.0%} band"],
               result.frontier.rows(),
               title=f"Frontier on the {result.frontier.n:,} distillation samples "
               "(THEORY §7; the bands hold for all sizes at once)")
    emit_text("")
    emit_table(["depth", "candidates", "lambda/scale", "kept splits", "best score"],
               depth_rows(result.report), title="Probing per depth (THEORY §5)")
    emit_text(probing_legend())
    emit_text("")
    stages = [["imports (numpy, scipy, scikit-learn)", f"{import_seconds:.2f}"],
              ["training (scikit-learn)", f"{train_seconds:.2f}"],
              *[[f"distill: {k}", v] for k, v in timing_rows(result.report["timings"])],
              ["CART baseline", f"{cart.seconds:.2f}"],
              ["whole demo", f"{time.perf_counter() - started:.2f}"]]
    emit_table(["stage", "seconds"], stages, title="Time per stage")
    if args.plot:  # last: a plot that cannot be written loses nothing printed
        plot_start = time.perf_counter()
        save_frontier_plot(result.frontier, args.plot)
        emit_text(f"Frontier plot saved to {args.plot} "
                  f"({time.perf_counter() - plot_start:.2f} s, matplotlib)")
    return 0
