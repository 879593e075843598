"""Learning implies distillation: brute force over variable subsets, F -> Junta.

Guarantee (kind ``perfect``, THEORY §2, §8, §9 rule 2): for every evaluable
source class F, promise Junta[d, k] (distributional: f agrees D-almost surely
with some function of k variables), with

    n = (ln C(d, k) + 2^k ln 2 + ln(1/delta)) / eps

labelled examples the output is a k-junta consistent with all of them, so
err_D(f, g) <= eps with probability >= 1 - delta. Bound: the catalog's
``realizable_finite`` with ln|G| = ``CLASSES["junta"].log_size`` (THEORY §4 /
Blumer et al. 1987, doi:10.1016/0020-0190(87)90114-1). Time: C(d, k) n k (not
efficient: d^k) plus n evaluations of f. Size map: d -> d, k -> k.

k is a parameter of the *promise* class Junta[d, k], not of the source F: the
edge F -> Junta declares it as an extra symbol (``extra_symbols=(k,)``). For the
sources whose own parameter is called k (Conjunction[d, k], Parity[d, k],
Junta[d, k]) the two coincide, and rightly so: each such source is a k-junta.

Algorithm (the exhaustive learner of THEORY §4's anchor "k-juntas from uniform
random examples, exhaustive d^k"; it is the Occam algorithm of Blumer et al.
1987 over this class): walk the k-subsets of the variables in lexicographic
order; a subset admits a consistent junta iff no two examples with the same
pattern on it carry different labels (checked for a batch of subsets at once
with integer pattern codes and ``bincount``); return the first such subset
with its table (seen patterns their label, unseen ones the sample's majority
label). The report says how many subsets were tried. When no subset works,
``PromiseViolation`` carries, for every subset, two examples that agree on it
and disagree in label.

Examples
--------
>>> f = pd.Junta(10, [7, 2], [1, -1, -1, -1])
>>> res = learn_junta(f, k=2, eps=0.1, delta=0.05, rng=0)
>>> res.model.variables, res.report["subsets_tried"], res.report["subsets_total"]
((2, 7), 22, 45)
>>> learn_junta(pd.Parity(10, [0, 1, 2]), k=2, eps=0.1, delta=0.05, rng=0)
Traceback (most recent call last):
...
pacdistill.errors.PromiseViolation: learn_junta: no 2-junta is consistent with the sample, ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy

from .._validation import check_progress
from ..bounds import symbols as S
from ..classes.junta import Junta
from ..errors import PromiseViolation
from ._learning import (
    EVAL_EXTRA_SYMBOLS,
    check_consistent,
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
    pattern_codes,
    pattern_counts,
    subset_batches,
)

__all__ = ["learn_junta"]

_FUNC = "learn_junta"
_SOURCE = ("exhaustive search over k-subsets (THEORY §4 anchor, d^k); THEORY §4 / Blumer et "
           "al. 1987, doi:10.1016/0020-0190(87)90114-1 (Occam algorithm and bound)")
# first batch size of the search (batches double): an early hit wastes little
_FIRST_BATCH = 16


def _guarantee(src: str):
    return learner_guarantee(
        src, target="junta", kind="perfect", bound="realizable_finite", class_values={},
        algorithm_time=lambda n: sympy.binomial(S.d, S.k) * n * S.k,
        size_map={S.d: S.d, S.k: S.k}, source=_SOURCE,
    )


def _conflicts(bits: np.ndarray, y: np.ndarray, d: int, k: int,
               progress: Callable[[int, int], Any] | None) -> dict[str, np.ndarray]:
    """For every k-subset, two rows with the same pattern on it and different
    labels (the search found that each subset has such a pattern). This second
    walk over the subsets reports ``progress(C(d, k) + done, 2 C(d, k))``."""
    subsets, pairs = [], []
    total, done = n_subsets(d, k), 0
    for combos in subset_batches(d, k, len(y)):
        pos, neg = pattern_counts(bits, y, combos)
        pattern = np.argmax((pos > 0) & (neg > 0), axis=1)        # (B,) first conflict
        same = pattern_codes(bits, combos) == pattern[None, :]    # (n, B)
        first_pos = np.argmax(same & (y == 1)[:, None], axis=0)
        first_neg = np.argmax(same & (y == -1)[:, None], axis=0)
        subsets.append(combos)
        pairs.append(np.column_stack([first_pos, first_neg]))
        done += len(combos)
        if progress is not None:
            progress(total + done, 2 * total)
    return {"subsets": np.concatenate(subsets), "pairs": np.concatenate(pairs)}


@register_family(name="learn_junta", target="junta", guarantee=_guarantee,
                 access="examples", efficient=False,
                 extra_symbols=(S.k, *EVAL_EXTRA_SYMBOLS))
def learn_junta(model: Any, /, *, k: Any, sampler: Any = None, eps: Any, delta: Any,
                rng: Any = None, n: Any = None, **options: Any) -> Result:
    """A k-junta consistent with the labelled sample, by trying the k-subsets in order.

    Parameters
    ----------
    model : model
        The source f (anything with ``predict`` and ``n_inputs``), evaluated
        only on the drawn samples.
    k : int
        The promise: f is a k-junta D-almost surely (1 <= k <= min(d, 24); constants are
        degenerate 1-juntas).
    sampler : Distribution, optional
        D (default: uniform on the cube).
    eps, delta : float in (0, 1)
    rng : None, int or numpy.random.Generator
    n : int, optional
        Number of examples (default: the catalog's ``realizable_finite`` size
        for k-juntas at (eps, delta), reported as ``samples_needed``).
    progress : callable, optional
        Called as ``progress(done, total)`` after every batch of subsets:
        ``done`` the subsets checked so far (``subsets_checked``), ``total``
        C(d, k) (``subsets_total``); the search usually stops short of it.
        When no subset is consistent, collecting the certificate walks the
        subsets a second time and the calls go on with ``done`` from C(d, k)
        to 2 C(d, k) and ``total`` 2 C(d, k). For long searches (about 10^7
        subset x example cells a second). Passed as a keyword; it is not an
        option of the algorithm, so routes do not forward it.

    Returns
    -------
    Result
        ``model`` a Junta on k variables consistent with every example; the
        report adds ``subsets_tried`` (the position of the returned subset in
        lexicographic order), ``subsets_checked`` (subsets whose consistency
        was computed: whole batches) and ``subsets_total`` (C(d, k)).

    Raises
    ------
    PromiseViolation
        No k-subset admits a consistent junta. ``witness`` is a dict with the
        sample ``rows`` and ``labels``, every ``subsets`` (C(d, k) x k) and
        ``pairs`` (C(d, k) x 2): for each subset, the indices of a +1 row and a
        -1 row that agree on it; ``subsets_tried`` = C(d, k).
    TooLargeError
        When C(d, k) * n exceeds ``MAX_SUBSET_CELLS`` (2^30): refused before
        any sample is drawn, since the search may have to walk every subset.
    """
    # k is a named keyword, listed so the refusal names it; progress comes through
    # **options so that routes (which forward the named keywords) leave it alone
    check_options(options, _FUNC, allowed=("k", "progress"))
    progress = check_progress(options.get("progress"), _FUNC)
    ex, k, bits = junta_examples(model, k=k, func=_FUNC, bound="realizable_finite",
                                 sampler=sampler, eps=eps, delta=delta, rng=rng, n=n)
    X, y = ex.X, ex.y
    d = X.shape[1]
    total = n_subsets(d, k)
    checked = 0
    for combos in subset_batches(d, k, len(y), first=_FIRST_BATCH):
        pos, neg = pattern_counts(bits, y, combos)
        good = np.flatnonzero(~((pos > 0) & (neg > 0)).any(axis=1))
        if good.size:
            j = int(good[0])
            tried = checked + j + 1
            checked += len(combos)
            if progress is not None:
                progress(checked, total)
            # a consistent subset: no pattern has both labels, so the majority
            # per pattern is its one label (unseen patterns: the sample's majority)
            table = junta_table(pos[j], neg[j], majority_label(y))
            output = Junta(d, [int(i) for i in combos[j]], table)
            check_consistent(output, ex, _FUNC)
            return finish(output, ex, subsets_tried=tried, subsets_checked=checked,
                          subsets_total=total)
        checked += len(combos)
        if progress is not None:
            progress(checked, total)
    raise PromiseViolation(
        f"{_FUNC}: no {k}-junta is consistent with the sample, so f is not a {k}-junta "
        f"D-almost surely: each of the {total} subsets of {k} of the {d} variables has two "
        "examples that agree on it and carry different labels (witness['pairs']).",
        witness={"rows": X.copy(), "labels": y.copy(), "subsets_tried": total,
                 **_conflicts(bits, y, d, k, progress)},
    )
