"""Learning implies distillation: linear programming for halfspaces, F -> Halfspace.

Guarantee (kind ``perfect``, THEORY §2, §8, §9 rule 2): for every evaluable
source class F, promise Halfspace (distributional: f agrees D-almost surely
with some halfspace), with

    n = max((4/eps) log2(2/delta), (8 (d + 1)/eps) log2(13/eps))

labelled examples the output is a halfspace consistent with all of them, so
err_D(f, g) <= eps with probability >= 1 - delta. Bound: the catalog's
``realizable_vc`` with v = ``CLASSES["halfspace"].vc_dim`` = d + 1 (THEORY §4 /
Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1, in the VC form of Blumer,
Ehrenfeucht, Haussler, Warmuth 1989, doi:10.1145/76359.76371). Size map: d -> d.

Algorithm (Blumer et al. 1989 learn halfspaces this way): find (w, b) with
y_i (w . x_i + b) >= 1 for every example by linear programming
(``scipy.optimize.linprog``, HiGHS). On a finite sample a realizable labelling
is strictly separable, so after scaling the LP is feasible; its solution
classifies every example correctly (+1 where w . x + b > 0). Repeated examples
are merged first (at most 2^d distinct rows on the cube). Time: polynomial,
O(V^3.5 L) arithmetic operations for an LP with V = O(n + d) variables and
L = O(n d) input bits (Karmarkar 1984, doi:10.1007/BF02579150), written here
as (n + d)^(7/2) n d; HiGHS's simplex has no polynomial worst case but is fast
in practice.

When the LP is infeasible no halfspace is consistent with the sample. A second
LP then finds the certificate of Gordan's alternative: weights lambda >= 0,
sum lambda = 1, with sum_i lambda_i y_i (x_i, 1) = 0, i.e. a point in both the
convex hull of the positive and of the negative examples (at most d + 2
examples, a basic solution). ``PromiseViolation`` carries it as the witness.

Floating point: some halfspaces on the cube need weights exponential in d
(1-decision lists, THEORY §8), and a sample can force them. Past float64's
exact range (about 2^53) the LP's halfspace may misclassify examples, or the
solver may stop without an answer; both are refused (TooLargeError, resp. a
PacDistillError) saying the promise is neither refuted nor confirmed, never
presented as a bug of the learner or as a PromiseViolation.

Examples
--------
>>> f = pd.Halfspace([2.0, -1.0, 1.0, 0.5, 0.0], -0.5)
>>> res = learn_halfspace(f, eps=0.1, delta=0.05, rng=0)
>>> X = pd.cube.enumerate(5)
>>> bool((res.model.predict(X) == f.predict(X)).all())
True
>>> learn_halfspace(pd.Parity(5, [0, 1]), eps=0.1, delta=0.05, rng=0)
Traceback (most recent call last):
...
pacdistill.errors.PromiseViolation: learn_halfspace: no halfspace is consistent with the sample, ...
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..bounds import symbols as S
from ..classes.halfspace import Halfspace
from ..errors import PacDistillError, PromiseViolation, TooLargeError
from ._learning import (
    EVAL_EXTRA_SYMBOLS,
    check_consistent,
    check_options,
    draw_examples,
    finish,
    learner_guarantee,
)
from ._registry import Result, register_family

__all__ = ["learn_halfspace", "separating_halfspace"]

_FUNC = "learn_halfspace"
_SOURCE = ("linear programming: Blumer, Ehrenfeucht, Haussler, Warmuth 1989, "
           "doi:10.1145/76359.76371; time: Karmarkar 1984, doi:10.1007/BF02579150; "
           "THEORY §4 / Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1 (bound)")


#: Largest difference allowed between the positive and the negative weighted mean of
#: Gordan's certificate (the rows are ±1 points, so a true one agrees to rounding).
_CERT_TOL = 1e-9


def _guarantee(src: str):
    return learner_guarantee(
        src, target="halfspace", kind="perfect", bound="realizable_vc",
        class_values={},
        algorithm_time=lambda n: (n + S.d) ** sympy.Rational(7, 2) * n * S.d,
        size_map={S.d: S.d}, source=_SOURCE,
    )


def separating_halfspace(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray | None, dict]:
    """Solve the LP y_i (w . x_i + b) >= 1 for all i.

    Parameters
    ----------
    X : ndarray (n, d)
    y : ndarray (n,) of ±1

    Returns
    -------
    wb : ndarray (d + 1,) or None
        ``(w, b)`` when the LP is feasible, None when it is infeasible.
    info : dict
        ``rows`` (distinct labelled rows in the LP), ``status`` (linprog's), and
        when infeasible ``certificate``: ``indices`` into the distinct rows,
        their ``weights`` lambda (summing to 1) and the ``point`` that lies in
        the convex hulls of both the positive and the negative examples. The
        certificate is present only when it was verified (both weighted means
        within 1e-9 of each other).

    Examples
    --------
    >>> X = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])
    >>> wb, info = separating_halfspace(X, np.array([1, -1, -1, -1]))
    >>> bool(np.all(np.sign(X @ wb[:2] + wb[2]) == [1, -1, -1, -1]))
    True
    >>> wb, info = separating_halfspace(X, np.array([1, -1, -1, 1]))   # XOR
    >>> wb is None, info["certificate"]["point"].tolist()
    (True, [0.0, 0.0])
    """
    from scipy.optimize import linprog

    labelled = np.unique(np.column_stack([X, y]).astype(np.float64), axis=0)
    Z, labels = labelled[:, :-1], labelled[:, -1]
    m, d = Z.shape
    signed = labels[:, None] * np.column_stack([Z, np.ones(m)])  # rows y_i (x_i, 1)
    res = linprog(np.zeros(d + 1), A_ub=-signed, b_ub=-np.ones(m),
                  bounds=[(None, None)] * (d + 1), method="highs")
    info: dict[str, Any] = {"rows": m, "status": int(res.status)}
    if res.status == 0:
        return np.asarray(res.x, dtype=np.float64), info
    if res.status != 2:
        raise PacDistillError(
            f"The separating LP of {_FUNC} stopped without an answer (linprog status "
            f"{res.status}: {res.message}), so the promise is neither refuted nor confirmed. "
            "On points of the cube this happens when the halfspaces consistent with the "
            "sample need weights near float64's exact range (2^53; some halfspaces need "
            "weights exponential in d, as 1-decision lists do, THEORY §8). Use a smaller d "
            "or fewer examples (n=...)."
        )
    # Gordan's alternative: lambda >= 0, sum lambda = 1, sum lambda_i y_i (x_i, 1) = 0
    cert = linprog(np.zeros(m), A_eq=np.vstack([signed.T, np.ones(m)]),
                   b_eq=np.r_[np.zeros(d + 1), 1.0], bounds=[(0, None)] * m,
                   method="highs-ds")
    if cert.status == 0:
        lam = np.asarray(cert.x)
        idx = np.flatnonzero(lam > 1e-12)
        weights = lam[idx] / lam[idx].sum()
        positive = labels[idx] > 0
        # kept only if it certifies: both classes weighted, and the two weighted
        # means agree (to _CERT_TOL; a true certificate on ±1 rows agrees to rounding)
        if positive.any() and (~positive).any():
            rows = Z[idx]
            means = [weights[part] @ rows[part] / weights[part].sum()
                     for part in (positive, ~positive)]
            if np.max(np.abs(means[0] - means[1])) <= _CERT_TOL:
                info["certificate"] = {"indices": idx, "weights": weights, "rows": rows,
                                       "labels": labels[idx].astype(np.int8),
                                       "point": means[0]}
    return None, info


def _check_float_exact(output: Halfspace, wb: np.ndarray, ex: Any) -> None:
    """TooLargeError when the LP's halfspace misclassifies an example *and* its
    weights are so large that float64 cannot evaluate w . x + b to within the LP's
    margin of 1: rounding in a sum of d + 1 terms of size at most |w_i| is at most
    (d + 1) 2^-53 sum_i |w_i| (and |b|), so past (d + 1) 2^-53 ||(w, b)||_1 >= 1/2 a
    sign can flip. Then no exact halfspace was found (some halfspaces on the cube
    need weights exponential in d, as 1-decision lists do, THEORY §8, and a sample
    can force them), and nothing is concluded about the promise. With smaller
    weights a misclassified example is a bug (``check_consistent`` raises
    GuaranteeViolation)."""
    wrong = np.flatnonzero(output.predict(ex.X) != ex.y)
    scale = float(np.abs(wb).sum())
    if wrong.size and len(wb) * scale * 2.0**-53 >= 0.5:
        raise TooLargeError(
            f"{_FUNC}: the separating LP's halfspace has weights up to "
            f"{float(np.abs(wb).max()):.3g} (sum of absolute values {scale:.3g}), where "
            "float64 no longer evaluates w . x + b exactly (integers past 2^53), and it "
            f"misclassifies {wrong.size} of the {len(ex.y)} examples (some halfspaces on "
            "the cube need weights exponential in d, and a sample can force them). No "
            "exact halfspace was found; the promise is neither refuted nor confirmed. Use "
            "a smaller d or fewer examples (n=...); a 1-decision list is better kept as a "
            "DecisionList."
        )


@register_family(name="learn_halfspace", target="halfspace", guarantee=_guarantee,
                 access="examples", efficient=True, extra_symbols=EVAL_EXTRA_SYMBOLS)
def learn_halfspace(model: Any, /, *, sampler: Any = None, eps: Any, delta: Any,
                    rng: Any = None, n: Any = None, **options: Any) -> Result:
    """A halfspace consistent with the labelled sample, by linear programming.

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
        Number of examples (default: the catalog's ``realizable_vc`` size at
        (eps, delta) with v = d + 1, reported as ``samples_needed``).

    Returns
    -------
    Result
        ``model`` a Halfspace with y (w . x + b) >= 1 on every example; the
        report adds ``lp_rows`` (distinct labelled rows) and ``margin`` (the
        least y (w . x + b) over the sample).

    Raises
    ------
    PromiseViolation
        The LP is infeasible. ``witness`` is a dict: the sample ``rows`` (with
        ``labels`` and ``weights``) whose positive part and negative part have
        the same weighted mean ``point``, so no halfspace separates them.
    TooLargeError
        The LP's halfspace misclassifies examples because its weights are past
        float64's exact range (some halfspaces on the cube need weights
        exponential in d): nothing is concluded about the promise.
    PacDistillError
        The LP solver stopped without an answer, or reported infeasibility
        without a certificate that verifies (numerical failures; the promise
        is neither refuted nor confirmed).
    """
    check_options(options, _FUNC)
    ex = draw_examples(model, func=_FUNC, sampler=sampler, eps=eps, delta=delta, rng=rng,
                       n=n, bound="realizable_vc",
                       bound_params=lambda d: {"cls": "halfspace", "d": d})
    wb, info = separating_halfspace(ex.X, ex.y)
    if wb is None:
        cert = info.get("certificate")
        if cert is None:
            raise PacDistillError(
                f"{_FUNC}: the separating LP reports the sample infeasible, but no "
                "certificate of it (positive and negative examples with a common weighted "
                "mean) could be found and verified, so the promise is neither refuted nor "
                "confirmed (a numerical failure of the LP solver)."
            )
        raise PromiseViolation(
            f"{_FUNC}: no halfspace is consistent with the sample, so f is not a "
            f"halfspace D-almost surely: the separating LP is infeasible. The point "
            f"{np.round(cert['point'], 6).tolist()} is a convex combination of positive "
            f"and of negative examples ({len(cert['indices'])} rows).",
            witness={"rows": cert["rows"].astype(np.int8), "labels": cert["labels"],
                     "weights": cert["weights"], "point": cert["point"]},
        )
    output = Halfspace(wb[:-1], float(wb[-1]))
    _check_float_exact(output, wb, ex)
    check_consistent(output, ex, _FUNC)
    margin = float(np.min(ex.y * (ex.X @ wb[:-1] + wb[-1])))
    return finish(output, ex, lp_rows=info["rows"], margin=margin)
