"""Learning implies distillation: Rivest's greedy algorithm, F -> DecisionList (1-DL).

Guarantee (kind ``perfect``, THEORY §2, §8, §9 rule 2): for every evaluable
source class F, promise DecisionList (distributional: f agrees D-almost surely
with some 1-decision list, every rule one literal), with

    n = (d ln(4d) + ln 2 + ln(1/delta)) / eps

labelled examples the output is a 1-decision list consistent with all of them,
so err_D(f, g) <= eps with probability >= 1 - delta. Bound: the catalog's
``realizable_finite`` with ln|G| = ``CLASSES["decision_list"].log_size`` at
length l = d (THEORY §4 / Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1).
Time: O(n d^2) (at most d rounds of one O(n d) count each) plus n evaluations
of f. Size map: d -> d, l -> d.

Why length d and not the promise's length l: the Occam bound holds for the
class the *output* ranges over. Greedy's output is not bounded by the length
of the shortest consistent list (finding that one is NP-hard), but each
variable enters it at most once (after rule (i, s) the remaining examples all
have x_i = -s, so (i, s) covers none of them and (i, -s) covers all of them,
which is pure only when the algorithm has already stopped), so it has at most d
rules; a list shorter than d computes the same function as a list of exactly d
rules (append rules whose output is the default), so ln|G| at l = d bounds the
output's class. Rivest's own
analysis likewise counts all k-decision lists, whatever their length.

Algorithm: Rivest 1987, "Learning decision lists", Machine Learning 2(3):229-246,
doi:10.1007/BF00058680, for k = 1: while the remaining examples carry both
labels, pick a literal that holds on at least one remaining example and on
which all remaining examples it covers share one label (here: the one covering
the most; ties: every literal x_i = +1 before every x_i = -1, each sign in
order of i), emit the rule "literal -> that label", and remove the covered
examples; the default is the label of what remains. If some 1-DL is
consistent with the sample, its first rule that covers a remaining example is
such a literal, so greedy never gets stuck; when
it does, the promise is false and ``PromiseViolation`` lists, for every
literal covering a remaining example, two of them with different labels.

Examples
--------
>>> f = pd.DecisionList(8, [([(3, 1)], -1), ([(0, -1)], 1), ([(5, 1)], -1)], default=1)
>>> res = learn_decision_list(f, eps=0.1, delta=0.05, rng=0)
>>> X = pd.cube.enumerate(8)
>>> bool((res.model.predict(X) == f.predict(X)).all()), res.model.size()["w"]
(True, 1)
>>> learn_decision_list(pd.Parity(8, [0, 1]), eps=0.1, delta=0.05, rng=0)
Traceback (most recent call last):
...
pacdistill.errors.PromiseViolation: learn_decision_list: no 1-decision list is consistent ...
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..classes.decision_list import DecisionList
from ..errors import PromiseViolation
from ._learning import (
    EVAL_EXTRA_SYMBOLS,
    check_consistent,
    check_options,
    draw_examples,
    finish,
    learner_guarantee,
    majority_label,
)
from ._registry import Result, register_family

__all__ = ["learn_decision_list"]

_FUNC = "learn_decision_list"
_SOURCE = ("Rivest 1987, 'Learning decision lists', doi:10.1007/BF00058680 (greedy, k = 1); "
           "THEORY §4 / Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1 (bound, "
           "1-decision lists of length d)")


def _guarantee(src: str):
    return learner_guarantee(
        src, target="decision_list", kind="perfect", bound="realizable_finite",
        class_values={S.l: S.d}, algorithm_time=lambda n: n * S.d**2,
        size_map={S.d: S.d, S.l: S.d}, source=_SOURCE,
        assumptions=("promise: a 1-decision list (one literal a rule)",),
    )


def _stuck_witness(X: np.ndarray, y: np.ndarray, remaining: np.ndarray) -> dict[str, Any]:
    """For each literal covering a remaining example: a positive and a negative
    remaining example it covers (row indices)."""
    rows = np.flatnonzero(remaining)
    Xr, yr = X[rows], y[rows]
    pairs = {}
    for s in (1, -1):  # two signs: loops over literal structure, vectorized over rows
        covers = Xr == s  # (m, d)
        pos_cover = covers & (yr == 1)[:, None]
        neg_cover = covers & (yr == -1)[:, None]
        has = covers.any(axis=0)
        first_pos = rows[np.argmax(pos_cover, axis=0)]
        first_neg = rows[np.argmax(neg_cover, axis=0)]
        for i in np.flatnonzero(has):
            pairs[(int(i), s)] = (int(first_pos[i]), int(first_neg[i]))
    return {"remaining": rows, "pairs": pairs, "rows": X[rows].copy(), "labels": yr.copy()}


@register_family(name="learn_decision_list", target="decision_list", guarantee=_guarantee,
                 access="examples", efficient=True, extra_symbols=EVAL_EXTRA_SYMBOLS,
                 domain={"max_w": 1})  # the promise: 1-decision lists (conformance harness)
def learn_decision_list(model: Any, /, *, sampler: Any = None, eps: Any, delta: Any,
                        rng: Any = None, n: Any = None, **options: Any) -> Result:
    """A 1-decision list consistent with the labelled sample (Rivest's greedy).

    Parameters
    ----------
    model : model
        The source f (anything with ``predict`` and ``n_inputs``), evaluated
        only on the drawn samples.
    sampler : Distribution, optional
        D (default: uniform on the cube).
    eps, delta : float in (0, 1)
    rng : None, int or numpy.random.Generator
    n : int, optional
        Number of examples (default: the catalog's ``realizable_finite`` size
        for 1-decision lists of length d at (eps, delta), reported as
        ``samples_needed``).

    Returns
    -------
    Result
        ``model`` a DecisionList with one literal a rule (at most d rules),
        consistent with every example; the report adds ``rules`` (its length).

    Raises
    ------
    PromiseViolation
        Greedy is stuck: the remaining examples carry both labels and every
        literal covering one of them covers both labels. ``witness`` is a dict
        with the ``remaining`` row indices (and their ``rows``, ``labels``) and
        ``pairs``: literal (i, s) -> (index of a +1 row, index of a -1 row) with
        x_i = s.
    """
    check_options(options, _FUNC)
    ex = draw_examples(model, func=_FUNC, sampler=sampler, eps=eps, delta=delta, rng=rng,
                       n=n, bound="realizable_finite",
                       bound_params=lambda d: {"cls": "decision_list", "d": d, "l": d})
    X, y = ex.X, ex.y
    d = X.shape[1]
    plus = (X == 1).astype(np.int64)   # (n, d): literal (i, +1) covers the row
    minus = 1 - plus                   # literal (i, -1)
    remaining = np.ones(len(y), dtype=bool)
    rules: list[tuple[tuple[tuple[int, int], ...], int]] = []
    while True:  # at most d + 1 rounds (each variable enters at most once)
        labels_left = y[remaining]
        if labels_left.size == 0 or np.all(labels_left == labels_left[0]):
            break
        r_pos = (remaining & (y == 1)).astype(np.int64)
        r_neg = (remaining & (y == -1)).astype(np.int64)
        # counts[sign, label, i]: remaining rows of that label covered by literal (i, sign)
        counts = np.stack([[r_pos @ plus, r_neg @ plus], [r_pos @ minus, r_neg @ minus]])
        covered = counts.sum(axis=1)                        # (2, d)
        pure = (covered > 0) & (counts.min(axis=1) == 0)    # (2, d)
        if not pure.any():
            raise PromiseViolation(
                f"{_FUNC}: no 1-decision list is consistent with the sample, so f is not "
                f"a 1-decision list D-almost surely: after {len(rules)} rules, the "
                f"{int(remaining.sum())} remaining examples carry both labels and every "
                "literal covering one of them covers both labels.",
                witness=_stuck_witness(X, y, remaining),
            )
        score = np.where(pure, covered, -1).ravel()  # order: (+1, i) for all i, then (-1, i)
        best = int(np.argmax(score))
        sign_index, i = divmod(best, d)
        sign = 1 if sign_index == 0 else -1
        output = 1 if counts[sign_index, 0, i] > 0 else -1
        rules.append((((i, sign),), output))
        remaining &= X[:, i] != sign
    labels_left = y[remaining]
    default = int(labels_left[0]) if labels_left.size else majority_label(y)
    result = DecisionList(d, rules, default)
    check_consistent(result, ex, _FUNC)
    return finish(result, ex, rules=len(rules))
