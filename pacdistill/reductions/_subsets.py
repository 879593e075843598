"""Brute force over variable subsets for the junta learners (private; THEORY §4, §8).

Both junta edges (the consistent learner ``learn_junta`` and agnostic ERM
``erm_junta``) walk the C(d, k) subsets of k variables in lexicographic order,
in batches, and for each subset count the positive and negative examples of
every pattern of the sample on it. A pattern's integer code follows the Junta
table convention (bit b is 1 when x[variables[b]] == -1), so the counts index a
Junta table directly. Everything is vectorized over the rows and the subsets of
a batch: one ``bincount`` per label and batch. :func:`junta_examples` is their
common start: check k, refuse too large a search, draw the labelled sample.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from .._validation import check_int
from ..classes.junta import MAX_JUNTA_K
from ..errors import TooLargeError
from ._learning import Examples, draw_examples

__all__ = ["BATCH_CELLS", "MAX_SUBSET_CELLS", "check_k", "check_subset_work", "junta_examples",
           "subset_batches", "pattern_counts", "pattern_codes", "junta_table", "n_subsets"]

#: bound on rows x subsets (and subsets x patterns) handled at once: memory
BATCH_CELLS = 1 << 22
#: Most pattern cells (C(d, k) subsets x n examples) one search may have to
#: examine: 2^30, a minute or two at the measured ~10^7 cells/s. Past it the
#: junta learners raise TooLargeError before drawing a sample.
MAX_SUBSET_CELLS = 1 << 30


def check_subset_work(d: int, k: int, n: int, func: str) -> None:
    """Raise TooLargeError when the k-subsets of d variables times n examples
    exceed :data:`MAX_SUBSET_CELLS` (C(d, k) is computed exactly: cheap for any
    d the cube allows, and compared before anything is enumerated).

    >>> check_subset_work(40, 20, 1000, "erm_junta")
    Traceback (most recent call last):
    ...
    pacdistill.errors.TooLargeError: erm_junta may examine C(40, 20) = 137846528820 ...
    """
    total = math.comb(d, k)
    if total * n > MAX_SUBSET_CELLS:
        raise TooLargeError(
            f"{func} may examine C({d}, {k}) = {total} subsets of variables on {n} examples, "
            f"past the limit of {MAX_SUBSET_CELLS} subset x example cells "
            "(MAX_SUBSET_CELLS). Use a smaller k or fewer examples (n=...), or distill "
            "with queries instead: pd.distill_junta (THEORY §6) finds the relevant "
            "variables in time polynomial in d."
        )


def check_k(k: Any, d: int, func: str) -> int:
    """k in 1 .. min(d, MAX_JUNTA_K) (the bound's symbol k is positive; a
    constant is a degenerate 1-junta)."""
    return check_int(k, "k", func, min=1, max=min(d, MAX_JUNTA_K))


def junta_examples(
    model: Any, *, k: Any, func: str, bound: str, sampler: Any, eps: Any, delta: Any,
    rng: Any, n: Any,
) -> tuple[Examples, int, np.ndarray]:
    """The labelled sample of a junta learner, with k checked against its d.

    ``bound`` is the catalog entry that sizes the sample for k-juntas; the
    search's work C(d, k) * n is refused (TooLargeError) before any point is
    drawn. Returns the examples, k as an int and the (n, d) int64 matrix of
    bits [x_i = -1] that :func:`pattern_counts` reads.
    """
    ex = draw_examples(model, func=func, sampler=sampler, eps=eps, delta=delta, rng=rng,
                       n=n, bound=bound,
                       bound_params=lambda d: {"cls": "junta", "d": d,
                                               "k": check_k(k, d, func)},
                       before_sampling=lambda n, d: check_subset_work(
                           d, check_k(k, d, func), n, func))
    k = check_k(k, ex.X.shape[1], func)
    return ex, k, (ex.X == -1).astype(np.int64)


def subset_batches(d: int, k: int, n: int, *, first: int | None = None) -> Iterator[np.ndarray]:
    """The k-subsets of range(d) in lexicographic order, as (B, k) int64 arrays.

    Batch sizes keep n * B and B * 2^k under :data:`BATCH_CELLS`; with
    ``first`` the batches start at that size and double (an early stop then
    wastes little work).
    """
    cap = max(1, min(BATCH_CELLS // max(n, 1), BATCH_CELLS >> k))
    size = cap if first is None else max(1, min(first, cap))
    subsets = itertools.combinations(range(d), k)
    while True:
        chunk = list(itertools.islice(subsets, size))
        if not chunk:
            return
        yield np.array(chunk, dtype=np.int64).reshape(len(chunk), k)
        size = min(2 * size, cap)


def pattern_codes(bits: np.ndarray, combos: np.ndarray) -> np.ndarray:
    """(n, B) codes of each row's pattern on each subset; ``bits`` is the (n, d)
    int64 array [x == -1]."""
    codes = np.zeros((bits.shape[0], combos.shape[0]), dtype=np.int64)
    for b in range(combos.shape[1]):  # loop over the k positions of a subset
        codes |= bits[:, combos[:, b]] << b
    return codes


def pattern_counts(bits: np.ndarray, y: np.ndarray, combos: np.ndarray) -> tuple[np.ndarray,
                                                                                   np.ndarray]:
    """(B, 2^k) counts of positive and of negative examples per pattern, per subset."""
    B, k = combos.shape
    size = 1 << k
    cells = pattern_codes(bits, combos) + (np.arange(B, dtype=np.int64) * size)[None, :]
    pos = np.bincount(cells[y == 1].ravel(), minlength=B * size).reshape(B, size)
    neg = np.bincount(cells[y == -1].ravel(), minlength=B * size).reshape(B, size)
    return pos, neg


def junta_table(pos: np.ndarray, neg: np.ndarray, fill: int) -> np.ndarray:
    """The majority label per pattern (ties and unseen patterns: ``fill``)."""
    return np.where(pos > neg, 1, np.where(neg > pos, -1, fill)).astype(np.int8)


def n_subsets(d: int, k: int) -> int:
    """C(d, k)."""
    return math.comb(d, k)
