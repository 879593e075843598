"""Agnostic distillation by empirical risk minimisation over juntas, F -> Junta.

Guarantee (kind ``agnostic``, THEORY §2.4, §8, §9 rule 2): for every evaluable
source class F and every f, no promise, with

    n = 2 (ln C(d, k) + 2^k ln 2 + ln(2/delta)) / eps^2

labelled examples the output g is a k-junta with
err_D(f, g) <= OPT_junta(f, D) + eps with probability >= 1 - delta, where
OPT_junta is the least error of a k-junta. Bound: the catalog's
``agnostic_finite`` with ln|G| = ``CLASSES["junta"].log_size`` (THEORY §4:
Hoeffding + union bound, every k-junta's empirical error is within eps/2 of its
true error, so the empirical minimiser is within eps of the best). Time:
C(d, k) n k (not efficient: d^k) plus n evaluations of f. Size map:
d -> d, k -> k. As for ``learn_junta``, k is the target class's parameter,
declared as an extra symbol; it coincides with the source's k for
Conjunction, Parity and Junta sources.

Algorithm (ERM; e.g. Shalev-Shwartz and Ben-David 2014, Understanding Machine
Learning, Cor. 4.6, doi:10.1017/CBO9781107298019): for a fixed subset of k
variables the junta minimising the empirical error takes, on each pattern, the
majority label of the examples with that pattern; its error is the sum over
patterns of the minority count. Every k-junta (of at most k relevant
variables) lives on some k-subset, so minimising over the C(d, k) subsets in
lexicographic order (vectorized per batch with integer pattern codes and
``bincount``; ties to the first subset) gives an empirical risk minimiser over
the whole class. Ties within a pattern and unseen patterns take the sample's
majority label.

Examples
--------
>>> f = pd.DecisionTree.from_nested(6, {"var": 1, "plus": {"leaf": 1},
...     "minus": {"var": 4, "plus": {"leaf": -1},
...               "minus": {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": -1}}}})
>>> res = erm_junta(f, k=2, eps=0.2, delta=0.1, rng=0)
>>> res.model.variables, res.report["subsets_tried"], round(res.report["empirical_error"], 2)
((1, 4), 8, 0.12)
>>> pd.checkers.disagreement(f, res.model).value     # OPT: the best 2-junta errs on 1/8
0.125
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .._validation import check_progress
from ..bounds import symbols as S
from ..classes.junta import Junta
from ._learning import (
    EVAL_EXTRA_SYMBOLS,
    check_options,
    finish,
    learner_guarantee,
    majority_label,
)
from ._registry import Result, register_family
from ._subsets import (
    junta_examples,
    junta_table,
    n_subsets,
    pattern_counts,
    subset_batches,
)

__all__ = ["erm_junta"]

_FUNC = "erm_junta"
_SOURCE = ("empirical risk minimisation over k-juntas (Shalev-Shwartz and Ben-David 2014, "
           "Cor. 4.6, doi:10.1017/CBO9781107298019); THEORY §4 / Blumer et al. 1987, "
           "doi:10.1016/0020-0190(87)90114-1 (finite-class analysis; Hoeffding + union bound)")


def _guarantee(src: str):
    return learner_guarantee(
        src, target="junta", kind="agnostic", bound="agnostic_finite", class_values={},
        algorithm_time=lambda n: sympy.binomial(S.d, S.k) * n * S.k,
        size_map={S.d: S.d, S.k: S.k}, source=_SOURCE,
    )


@register_family(name="erm_junta", target="junta", guarantee=_guarantee,
                 access="examples", efficient=False,
                 extra_symbols=(S.k, *EVAL_EXTRA_SYMBOLS))
def erm_junta(model: Any, /, *, k: Any, sampler: Any = None, eps: Any, delta: Any,
              rng: Any = None, n: Any = None, **options: Any) -> Result:
    """The k-junta of least empirical error on the labelled sample.

    Parameters
    ----------
    model : model
        The source f (anything with ``predict`` and ``n_inputs``), evaluated
        only on the drawn samples; no promise.
    k : int
        The size of the target juntas (1 <= k <= min(d, 24); constants are
        degenerate 1-juntas).
    sampler : Distribution, optional
        D (default: uniform on the cube).
    eps, delta : float in (0, 1)
    rng : None, int or numpy.random.Generator
    n : int, optional
        Number of examples (default: the catalog's ``agnostic_finite`` size for
        k-juntas at (eps, delta), reported as ``samples_needed``).
    progress : callable, optional
        Called as ``progress(done, total)`` after every batch of subsets:
        ``done`` the subsets examined so far, ``total`` C(d, k)
        (``subsets_total``; ERM examines them all). For long searches (about
        10^7 subset x example cells a second). Passed as a keyword; it is not
        an option of the algorithm, so routes do not forward it.

    Returns
    -------
    Result
        ``model`` a Junta on k variables; the report adds ``empirical_error``
        (its error on the sample, the least over all k-juntas),
        ``subsets_tried`` (the position of the chosen subset in lexicographic
        order), ``subsets_checked`` and ``subsets_total`` (both C(d, k): ERM
        looks at every subset).

    Raises
    ------
    TooLargeError
        When C(d, k) * n exceeds ``MAX_SUBSET_CELLS`` (2^30), before any sample
        is drawn.
    """
    # k is a named keyword, listed so the refusal names it; progress comes through
    # **options so that routes (which forward the named keywords) leave it alone
    check_options(options, _FUNC, allowed=("k", "progress"))
    progress = check_progress(options.get("progress"), _FUNC)
    ex, k, bits = junta_examples(model, k=k, func=_FUNC, bound="agnostic_finite",
                                 sampler=sampler, eps=eps, delta=delta, rng=rng, n=n)
    X, y = ex.X, ex.y
    d = X.shape[1]
    fill = majority_label(y)
    best_errors, best = len(y) + 1, None
    checked, total = 0, n_subsets(d, k)
    for combos in subset_batches(d, k, len(y)):
        pos, neg = pattern_counts(bits, y, combos)
        errors = np.minimum(pos, neg).sum(axis=1)
        j = int(np.argmin(errors))
        if errors[j] < best_errors:  # strict: ties keep the earlier subset
            best_errors = int(errors[j])
            best = (checked + j + 1, combos[j], junta_table(pos[j], neg[j], fill))
        checked += len(combos)
        if progress is not None:
            progress(checked, total)
    tried, variables, table = best
    output = Junta(d, [int(i) for i in variables], table)
    empirical = float(np.count_nonzero(output.predict(X) != y)) / len(y)
    return finish(output, ex, empirical_error=empirical, subsets_tried=tried,
                  subsets_checked=checked, subsets_total=total)
