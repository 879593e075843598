"""Learning implies distillation: elimination for conjunctions, F -> Conjunction.

Guarantee (kind ``perfect``, THEORY §2, §8, §9 rule 2): for every evaluable
source class F, promise Conjunction (distributional: f agrees D-almost surely
with some conjunction), with

    n = (ln(3^d + 1) + ln(1/delta)) / eps

labelled examples the output g is a conjunction consistent with all of them,
so err_D(f, g) <= eps with probability >= 1 - delta. Bound: the catalog's
``realizable_finite`` with ln|G| = ``CLASSES["conjunction"].log_size``
(THEORY §4 / Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1). Time:
O(n d) for elimination plus n evaluations of f. Size map: d -> d, k -> d.

Algorithm: the elimination algorithm of Valiant 1984, "A theory of the
learnable", Communications of the ACM 27(11):1134-1142, doi:10.1145/1968.1972:
keep exactly the literals that hold on every positive example (the most
specific conjunction accepting them). Every conjunction consistent with the
positives is a subset of these literals, so if some negative example satisfies
them all, *no* conjunction is consistent with the sample and the promise is
false: ``PromiseViolation`` with that row as the witness.

Without any positive example the most specific conjunction would be the
constant -1, which this Conjunction type does not hold (THEORY §4 counts it in
|G| <= 3^d + 1; the type has exactly the 3^d others); the learner then returns
the conjunction of d literals accepting one point that is not in the sample
(consistent: it rejects every example). If the sample covers the whole cube
with labels -1, f is the constant -1 on the cube and no member agrees with it:
``PromiseViolation``.

Examples
--------
>>> f = pd.Conjunction(8, [(1, 1), (4, -1)])
>>> res = learn_conjunction(f, eps=0.1, delta=0.05, rng=0)
>>> print(res.model)
x1 = +1 AND x4 = -1
>>> res.report["samples_used"] == res.report["samples_needed"]
True
>>> learn_conjunction(pd.Parity(8, [0, 1]), eps=0.1, delta=0.05, rng=0)
Traceback (most recent call last):
...
pacdistill.errors.PromiseViolation: learn_conjunction: no conjunction is consistent ...
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..classes.conjunction import Conjunction
from ..cube import literals_hold
from ..errors import PromiseViolation
from ._learning import (
    EVAL_EXTRA_SYMBOLS,
    check_consistent,
    check_options,
    draw_examples,
    finish,
    learner_guarantee,
)
from ._registry import Result, register_family

__all__ = ["learn_conjunction"]

_FUNC = "learn_conjunction"
_SOURCE = ("Valiant 1984, 'A theory of the learnable', doi:10.1145/1968.1972 (elimination); "
           "THEORY §4 / Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1 (bound)")
# codes of the first min(d, 62) coordinates fit an int64
_CODE_BITS = 62


def _guarantee(src: str):
    return learner_guarantee(
        src, target="conjunction", kind="perfect", bound="realizable_finite",
        class_values={}, algorithm_time=lambda n: n * S.d,
        size_map={S.d: S.d, S.k: S.d}, source=_SOURCE,
    )


def _unseen_point(X: np.ndarray) -> np.ndarray | None:
    """A point of the cube that is not a row of X (None when X covers the cube):
    the smallest code absent among the first min(d, 62) coordinates, the other
    coordinates +1."""
    d = X.shape[1]
    q = min(d, _CODE_BITS)
    codes = (X[:, :q] == -1).astype(np.int64) @ np.left_shift(np.int64(1), np.arange(q))
    seen = np.unique(codes)
    gaps = np.flatnonzero(seen != np.arange(len(seen)))
    code = int(gaps[0]) if gaps.size else len(seen)
    if code >= 1 << q:
        return None
    z = np.ones(d, dtype=np.int8)
    z[:q] = np.where((code >> np.arange(q)) & 1, -1, 1)
    return z


@register_family(name="learn_conjunction", target="conjunction", guarantee=_guarantee,
                 access="examples", efficient=True, extra_symbols=EVAL_EXTRA_SYMBOLS)
def learn_conjunction(model: Any, /, *, sampler: Any = None, eps: Any, delta: Any,
                      rng: Any = None, n: Any = None, **options: Any) -> Result:
    """Elimination (Valiant 1984): the conjunction of the literals every positive
    example satisfies.

    Parameters
    ----------
    model : model
        The source f: anything with ``predict`` and ``n_inputs``; it is only
        evaluated on the drawn samples.
    sampler : Distribution, optional
        D (default: uniform on the cube).
    eps, delta : float in (0, 1)
    rng : None, int or numpy.random.Generator
    n : int, optional
        Number of examples (default: the catalog's ``realizable_finite`` size
        at (eps, delta), reported as ``samples_needed``).

    Returns
    -------
    Result
        ``model`` a Conjunction consistent with every example; the report adds
        ``positives`` (positive examples), ``literals`` (k of the output) and
        ``rule`` (``"elimination"`` or ``"unseen point"`` when no example was
        positive).

    Raises
    ------
    PromiseViolation
        No conjunction is consistent with the sample. ``witness`` is a dict with
        the negative ``row`` (and its ``index``) that satisfies ``most_specific``,
        the conjunction of the literals shared by all positive examples.
    """
    check_options(options, _FUNC)
    ex = draw_examples(model, func=_FUNC, sampler=sampler, eps=eps, delta=delta, rng=rng,
                       n=n, bound="realizable_finite",
                       bound_params=lambda d: {"cls": "conjunction", "d": d})
    X, y = ex.X, ex.y
    d = X.shape[1]
    positive = X[y == 1]
    if len(positive):
        plus = np.flatnonzero((positive == 1).all(axis=0))
        minus = np.flatnonzero((positive == -1).all(axis=0))
        literals = sorted([(int(i), 1) for i in plus] + [(int(i), -1) for i in minus])
        rule = "elimination"
        accepted = np.flatnonzero(literals_hold(X, literals) & (y == -1))
        if accepted.size:
            i = int(accepted[0])
            shared = Conjunction(d, literals)
            raise PromiseViolation(
                f"{_FUNC}: no conjunction is consistent with the sample, so f is not a "
                f"conjunction D-almost surely. Row {i} is labelled -1 but satisfies every "
                f"literal shared by the {len(positive)} positive examples ({shared}); every "
                "conjunction accepting the positives accepts it too.",
                witness={"row": X[i].copy(), "index": i, "most_specific": shared,
                         "positives": int(len(positive))},
            )
    else:
        z = _unseen_point(X)
        if z is None:
            raise PromiseViolation(
                f"{_FUNC}: the sample holds every point of the cube (d = {d}), all labelled "
                "-1: f is the constant -1, which no Conjunction computes (the empty "
                "conjunction is +1).",
                witness={"rows": X.copy(), "labels": y.copy()},
            )
        literals = [(i, int(z[i])) for i in range(d)]
        rule = "unseen point"
    output = Conjunction(d, literals)
    check_consistent(output, ex, _FUNC)
    return finish(output, ex, positives=int(len(positive)), literals=len(literals), rule=rule)
