"""Learning implies distillation: Gaussian elimination over GF(2), F -> Parity.

Guarantee (kind ``perfect``, THEORY §2, §8, §9 rule 2): for every evaluable
source class F, promise Parity (distributional: f agrees D-almost surely with
some parity prod_{i in S} x_i), with

    n = (d ln 2 + ln(1/delta)) / eps

labelled examples the output is a parity consistent with all of them, so
err_D(f, g) <= eps with probability >= 1 - delta. Bound: the catalog's
``realizable_finite`` with ln|G| = ``CLASSES["parity"].log_size`` = d ln 2
(THEORY §4 / Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1). Time:
O(n d^2) bit operations for the elimination plus n evaluations of f. Size map:
d -> d, k -> d.

Algorithm (THEORY §4's anchor "parities from random examples, poly(d), by
Gaussian elimination"; learning parities, i.e. 1-ring-sum-expansions, by
solving a linear system over GF(2): Fischer and Simon, "On learning
ring-sum-expansions", COLT 1990, doi:10.1016/B978-1-55860-146-8.50013-8):
writing a_i = [x_i = -1] and b = [f(x) = -1], the parity on S has
b = sum_{i in S} a_i mod 2, so a consistent parity is a solution s of the
system A s = b over GF(2) (free variables set to 0). Gauss-Jordan
elimination runs one vectorized XOR over all rows per pivot column. Each row
also records which pivot rows were added to it, so when a row reduces to
0 = 1 the learner returns the few sample rows whose sum is that contradiction:
every variable is -1 an even number of times among them, so every parity
multiplies to +1 over them, while f's labels multiply to -1
(``PromiseViolation``, the witness).

Examples
--------
>>> f = pd.Parity(10, [2, 5, 7])
>>> res = learn_parity(f, eps=0.1, delta=0.05, rng=0)
>>> res.model.variables, res.report["rank"]
((2, 5, 7), 10)
>>> learn_parity(pd.Conjunction(10, [(0, 1), (1, 1)]), eps=0.1, delta=0.05, rng=0)
Traceback (most recent call last):
...
pacdistill.errors.PromiseViolation: learn_parity: no parity is consistent with the sample, ...
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bounds import symbols as S
from ..classes.parity import Parity
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

__all__ = ["learn_parity", "solve_gf2"]

_FUNC = "learn_parity"
_SOURCE = ("Gaussian elimination over GF(2): Fischer and Simon 1990, 'On learning "
           "ring-sum-expansions', doi:10.1016/B978-1-55860-146-8.50013-8; THEORY §4 / "
           "Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1 (bound)")


def _guarantee(src: str):
    return learner_guarantee(
        src, target="parity", kind="perfect", bound="realizable_finite",
        class_values={}, algorithm_time=lambda n: n * S.d**2,
        size_map={S.d: S.d, S.k: S.d}, source=_SOURCE,
    )


def solve_gf2(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, int]:
    """Solve A s = b over GF(2) by Gauss-Jordan elimination.

    Parameters
    ----------
    A : ndarray of bool, shape (n, d)
    b : ndarray of bool, shape (n,)

    Returns
    -------
    solution : ndarray of bool (d,) or None
        A solution (free variables 0), or None when the system is inconsistent.
    certificate : ndarray of int or None
        When inconsistent: row indices whose rows of A sum to 0 and whose
        entries of b sum to 1 (at most rank + 1 rows); None otherwise.
    rank : int
        The rank of A.

    Examples
    --------
    >>> A = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=bool)
    >>> solve_gf2(A, np.array([1, 0, 1], dtype=bool))[0].astype(int).tolist()
    [1, 0, 0]
    >>> solve_gf2(A, np.array([1, 0, 0], dtype=bool))[1].tolist()
    [0, 1, 2]
    """
    n, d = A.shape
    # M = [A | b | T]: T[i, t] says pivot row t was added to row i, so the
    # current row i = original row i + sum_t T[i, t] * original pivot row t.
    M = np.zeros((n, 2 * d + 1), dtype=bool)
    M[:, :d] = A
    M[:, d] = b
    free_rows = np.ones(n, dtype=bool)
    pivots: list[tuple[int, int]] = []  # (column, row)
    for j in range(d):  # loop over pivot columns; each step is one vectorized XOR
        candidates = np.flatnonzero(M[:, j] & free_rows)
        if candidates.size == 0:
            continue
        p = int(candidates[0])
        free_rows[p] = False
        add = M[p].copy()
        add[d + 1 + len(pivots)] ^= True
        pivots.append((j, p))
        rows = M[:, j].copy()
        rows[p] = False
        M[rows] ^= add
    bad = np.flatnonzero(M[:, d] & ~M[:, :d].any(axis=1))
    if bad.size:
        i = int(bad[0])
        used = np.flatnonzero(M[i, d + 1: d + 1 + len(pivots)])
        rows = sorted({i, *(pivots[t][1] for t in used)})
        return None, np.asarray(rows, dtype=np.int64), len(pivots)
    solution = np.zeros(d, dtype=bool)
    for j, p in pivots:
        solution[j] = M[p, d]
    return solution, None, len(pivots)


@register_family(name="learn_parity", target="parity", guarantee=_guarantee,
                 access="examples", efficient=True, extra_symbols=EVAL_EXTRA_SYMBOLS)
def learn_parity(model: Any, /, *, sampler: Any = None, eps: Any, delta: Any,
                 rng: Any = None, n: Any = None, **options: Any) -> Result:
    """A parity consistent with the labelled sample, by Gaussian elimination over GF(2).

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
        at (eps, delta), reported as ``samples_needed``).

    Returns
    -------
    Result
        ``model`` a Parity consistent with every example; the report adds
        ``rank`` (of the sample's GF(2) system: d means the parity is the only
        consistent one) and ``variables`` (k of the output).

    Raises
    ------
    PromiseViolation
        The GF(2) system is inconsistent. ``witness`` is a dict with the
        sample ``rows`` (and their ``indices``) and ``labels``: each column of
        ``rows`` holds an even number of -1 entries, so every parity multiplies
        to +1 over them, but the labels multiply to -1.
    """
    check_options(options, _FUNC)
    ex = draw_examples(model, func=_FUNC, sampler=sampler, eps=eps, delta=delta, rng=rng,
                       n=n, bound="realizable_finite",
                       bound_params=lambda d: {"cls": "parity", "d": d})
    X, y = ex.X, ex.y
    solution, certificate, rank = solve_gf2(X == -1, y == -1)
    if solution is None:
        raise PromiseViolation(
            f"{_FUNC}: no parity is consistent with the sample, so f is not a parity "
            f"D-almost surely. Sample rows {certificate.tolist()} contain every variable "
            "at -1 an even number of times, so every parity multiplies to +1 over them, "
            "but f's labels there multiply to -1.",
            witness={"rows": X[certificate].copy(), "labels": y[certificate].copy(),
                     "indices": certificate},
        )
    output = Parity(X.shape[1], [int(i) for i in np.flatnonzero(solution)])
    check_consistent(output, ex, _FUNC)
    return finish(output, ex, rank=rank, variables=len(output.variables))
