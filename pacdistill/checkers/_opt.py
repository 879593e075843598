"""OPT_G(f, D) by brute force on small cubes, for the agnostic conformance trials
(private; THEORY §1: OPT_G(f, D) = min over g in G of err_D(f, g)).

Each solver takes f, D (on d <= 12: D's pmf on the cube is used exactly) and
the target class's parameters (the edge's size map at the instance) and returns
the least D-error of a member of G at those parameters:

- junta (k variables): for every k-subset of the variables, the best table takes
  on each pattern the label of larger D-mass; OPT is the least total minority
  mass over the C(d, k) subsets (every junta on at most k variables lives on
  some k-subset when k <= d);
- conjunction (at most k literals): every one of the conjunctions on distinct
  variables, 3^d at most;
- parity (at most k variables): every subset;
- lookup_table: 0 (every function is a table).

>>> from pacdistill.checkers._opt import opt
>>> f = pd.Parity(3, [0, 1])
>>> opt("junta", f, pd.distributions.Uniform(3), {"d": 3, "k": 1})
0.5
>>> opt("parity", f, pd.distributions.Uniform(3), {"d": 3, "k": 2})
0.0
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import cube
from ..distributions import Distribution

__all__ = ["OPT_SOLVERS", "OPT_MAX_D", "opt"]

#: Largest d for the brute-force solvers (the cube is enumerated).
OPT_MAX_D = 12


def _support(f: Any, D: Distribution) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = cube.enumerate(D.d)
    pmf = D.pmf_on_cube()
    keep = pmf > 0
    X, pmf = X[keep], pmf[keep]
    return X, pmf, f.predict(X)


def _opt_junta(f: Any, D: Distribution, params: Mapping[str, int]) -> float:
    X, pmf, y = _support(f, D)
    d = X.shape[1]
    k = min(int(params["k"]), d)
    bits = (X == -1).astype(np.int64)
    plus = np.where(y == 1, pmf, 0.0)
    minus = np.where(y == -1, pmf, 0.0)
    combos = np.array(list(itertools.combinations(range(d), k)), dtype=np.int64).reshape(-1, k)
    codes = bits[:, combos.reshape(-1)].reshape(len(X), len(combos), k) @ (1 << np.arange(k))
    offset = codes + (np.arange(len(combos)) << k)[None, :]        # (n, B): subset b's slot
    size = len(combos) << k
    pos = np.bincount(offset.ravel(), np.repeat(plus, len(combos)), size).reshape(-1, 1 << k)
    neg = np.bincount(offset.ravel(), np.repeat(minus, len(combos)), size).reshape(-1, 1 << k)
    return float(np.minimum(pos, neg).sum(axis=1).min())


def _opt_conjunction(f: Any, D: Distribution, params: Mapping[str, int]) -> float:
    X, pmf, y = _support(f, D)
    d = X.shape[1]
    k = min(int(params.get("k", d)), d)
    best = math.inf
    # each variable absent (0), +1 or -1: 3^d conjunctions on distinct variables
    for signs in itertools.product((0, 1, -1), repeat=d):  # loop over class members
        s = np.asarray(signs)
        if np.count_nonzero(s) > k:
            continue
        used = s != 0
        holds = (X[:, used] == s[used]).all(axis=1)
        best = min(best, float(pmf[np.where(holds, 1, -1) != y].sum()))
    return best


def _opt_parity(f: Any, D: Distribution, params: Mapping[str, int]) -> float:
    X, pmf, y = _support(f, D)
    d = X.shape[1]
    k = min(int(params.get("k", d)), d)
    best = math.inf
    bits = (X == -1).astype(np.int64)
    for size in range(k + 1):
        for subset in itertools.combinations(range(d), size):  # loop over class members
            value = 1 - 2 * (bits[:, list(subset)].sum(axis=1) & 1)
            best = min(best, float(pmf[value != y].sum()))
    return best


#: target class -> solver(f, D, params) of OPT under D
OPT_SOLVERS: dict[str, Callable[[Any, Distribution, Mapping[str, int]], float]] = {
    "junta": _opt_junta,
    "conjunction": _opt_conjunction,
    "parity": _opt_parity,
    "lookup_table": lambda f, D, params: 0.0,
}


def opt(cls: str, f: Any, D: Distribution, params: Mapping[str, int]) -> float:
    """OPT over the class ``cls`` at ``params`` (see the module docstring)."""
    from ..errors import TooLargeError

    if D.d > OPT_MAX_D:
        raise TooLargeError(f"Brute-force OPT enumerates the cube; d = {D.d} is past "
                            f"{OPT_MAX_D}.")
    return OPT_SOLVERS[cls](f, D, params)
