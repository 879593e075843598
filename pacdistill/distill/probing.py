"""Closed-form ridge probes, batched over every candidate AND of a depth (THEORY §5).

A probe for a feature h: X -> {-1,+1} is the ridge regression of h's values on
the representation phi, with an unpenalised intercept:

    (w, b) = argmin  sum_fit (<w, phi(x)> + b - h(x))^2 + lam ||w||^2,

scored by its mean squared error on the validation rows. Centring phi by its fit
mean makes b the fit mean of h and w = (G + lam I)^{-1} Phi^T h with
G = Phi^T Phi (Phi the centred fit rows).

One factorisation serves every probe and every lam: with the thin SVD
Phi = V diag(S) U^T (computed from an eigendecomposition of the smaller of the
two Gram matrices Phi^T Phi or Phi Phi^T), the coefficients in the basis U are
w~ = S V^T h / (S^2 + lam). For a child c = a & (x_i = s) of an AND a, h_c =
2 1[a] (1 + s x_i) / 2 - 1, so V^T h_c for *all* (i, s) comes from one product
V_a^T X_a (rows where a holds) plus V_a^T 1 and V^T 1 (:class:`ParentStats`);
the validation error is w~^T Gv w~ - 2 w~^T Qv^T z + z^T z with Qv the centred
validation rows in the basis U, Gv = Qv^T Qv and z = h_val - b, so only
q x q x C products are needed (q = rank <= min(n_fit, m), C candidates), never
an n x C matrix of targets. No Python loop runs over candidates or samples.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(400, 5))
>>> phi = np.c_[X[:, :2], (X[:, 0] == 1) & (X[:, 1] == 1)].astype(float)
>>> basis = ProbeBasis.build(phi[:200], phi[200:])
>>> root = ParentStats.build(basis, X[:200], X[200:], np.arange(200), np.arange(200))
>>> cand = Candidates(parent=np.zeros(10, dtype=np.int64), var=np.repeat(np.arange(5), 2),
...                   sign=np.tile(np.array([1, -1]), 5))
>>> mse = basis.validation_mse([root], cand, lam=1e-3)
>>> bool(mse[0] < 1e-3 and mse[4] > 0.5)     # x0 = +1 is linear in phi; x2 = +1 is not
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._validation import check_real, check_real_points, param_error
from ..errors import InvalidInputError

__all__ = ["ProbeBasis", "ParentStats", "Candidates", "lambda_grid", "normalise"]


def normalise(phi: np.ndarray) -> tuple[np.ndarray, float]:
    """Scale the whole n x m representation to Frobenius norm sqrt(n) (mean squared
    row norm 1), as the reference does (THEORY §5). Returns (scaled copy, factor);
    an all-zero matrix is returned unscaled (factor 1).

    The norm is taken of phi / max|phi|, so activations of any finite magnitude
    are scaled alike: ||phi||^2 itself overflows past about 1e154 (the norm
    became inf and the whole representation 0) and underflows below about
    1e-154 (read as an all-zero matrix, left unscaled). ``factor`` is the
    product of the two steps, and may itself overflow or underflow for such
    magnitudes; the scaled copy does not.

    >>> normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))[0]
    array([[0.84852814, 1.13137085],
           [0.        , 0.        ]])
    >>> normalise(np.array([[3e300, 4e300], [0.0, 0.0]]))[0]
    array([[0.84852814, 1.13137085],
           [0.        , 0.        ]])
    """
    top = float(np.max(np.abs(phi))) if phi.size else 0.0
    if top == 0.0:
        return phi * 1.0, 1.0
    unit = phi / top                                   # entries in [-1, 1], max 1
    inner = float(np.sqrt(phi.shape[0]) / np.linalg.norm(unit))
    with np.errstate(over="ignore", under="ignore"):
        factor = inner / top
    return unit * inner, float(factor)


def lambda_grid(scale: float, *, low: float = -3.0, high: float = 3.0,
                per_decade: int = 2) -> np.ndarray:
    """Ridge penalties ``scale * 10^k`` for k from ``low`` to ``high`` in steps of
    1/per_decade. ``scale`` is the mean diagonal entry of the fit Gram matrix, so
    the grid is scale-free (THEORY §5 measured lam from 0.1 to 1000 times that
    scale to work and a near-zero lam to overfit).

    >>> lambda_grid(1.0, low=-1, high=1, per_decade=1)
    array([ 0.1,  1. , 10. ])
    """
    steps = int(round((high - low) * per_decade)) + 1
    return scale * np.logspace(low, high, steps)


@dataclass(frozen=True)
class Candidates:
    """Candidate children, one per entry: the child of parent ``parent[c]`` (an
    index into the list of :class:`ParentStats`) by the literal
    ``(var[c], sign[c])``."""

    parent: np.ndarray
    var: np.ndarray
    sign: np.ndarray

    def __len__(self) -> int:
        return int(self.parent.shape[0])

    def take(self, idx: np.ndarray) -> Candidates:
        return Candidates(self.parent[idx], self.var[idx], self.sign[idx])


class ProbeBasis:
    """The factorised fit Gram matrix and the validation rows in its eigenbasis.

    With the thin SVD of the centred fit rows P = V diag(S) U^T (rank q), a
    probe's coefficients in the basis U are S V_a^T h / (S^2 + lam), and its
    validation error needs Qv = (centred validation rows) U.

    Attributes
    ----------
    S : ndarray (q,)
        Singular values of the centred fit representation.
    Gv : ndarray (q, q) or None
        ``Qv.T @ Qv`` when n_val >= q (then validation errors cost q^2 per probe);
        None otherwise (they cost n_val * q through ``Qv``).
    V1, Qv1 : ndarray (q,)
        Column sums of V and Qv.
    scale : float
        Mean diagonal entry of the fit Gram matrix (trace / m): the unit of lam.
    V, Qv : ndarray (n_fit, q), (n_val, q)
        Properties, computed on first use.

    Notes
    -----
    A parent's statistics X_a^T V_a cost n_a d q from V, or n_a d m + d m q
    straight from the centred rows (X_a^T P_a) (U / S) without ever forming V,
    which costs n m q. :meth:`stats` takes the second route for the first
    n_fit / (d + 1) parents (the break-even count: cheaper while few parents have
    been seen, as at r = 2, where the probes then need little more than the Gram
    matrix) and forms V and Qv once after that.
    """

    def __init__(self, S: np.ndarray, U: np.ndarray, P: np.ndarray, Pv: np.ndarray,
                 Gv: np.ndarray | None, scale: float, V: np.ndarray | None = None) -> None:
        self.S = S
        self.U = U
        self.T = U / S if S.size else U
        self.P, self.Pv = P, Pv
        self.Gv = Gv
        self.scale = scale
        self._V = V
        self._Qv: np.ndarray | None = None
        self.V1 = P.sum(axis=0) @ self.T
        self.Qv1 = Pv.sum(axis=0) @ U
        self._direct = V is None
        self._parents = 0

    @classmethod
    def build(cls, phi_fit: np.ndarray, phi_val: np.ndarray) -> ProbeBasis:
        """Centre by the fit mean and factorise (one symmetric eigendecomposition of
        the smaller Gram matrix).

        ``phi_fit`` (at least one row) and ``phi_val`` are finite real (n, m)
        arrays with the same m; anything else raises InvalidInputError."""
        func = "ProbeBasis.build"
        phi_fit = check_real_points(phi_fit, None, "phi_fit", func)
        phi_val = check_real_points(phi_val, phi_fit.shape[1], "phi_val", func)
        if phi_fit.shape[0] == 0:
            raise param_error("phi_fit", func, "an (n, m) array with n >= 1", phi_fit,
                              cls=InvalidInputError)
        return cls._checked(phi_fit, phi_val)

    @classmethod
    def _checked(cls, phi_fit: np.ndarray, phi_val: np.ndarray) -> ProbeBasis:
        """:meth:`build` for a caller whose arrays are already checked
        (distill_tree's activations: finite float64, :func:`activations_of`):
        no second pass over the n x m values."""
        n_fit, m = phi_fit.shape
        mu = phi_fit.mean(axis=0)
        P = phi_fit - mu
        Pv = phi_val - mu
        V = None
        if n_fit >= m:
            G = P.T @ P
            trace = float(np.trace(G))
            evals, U = _eigh(G)
            keep = _rank_mask(evals, n_fit, m)
            S = np.sqrt(evals[keep])
            U = np.ascontiguousarray(U[:, keep])
        else:
            K = P @ P.T
            trace = float(np.trace(K))
            evals, V = _eigh(K)
            keep = _rank_mask(evals, n_fit, m)
            S = np.sqrt(evals[keep])
            V = np.ascontiguousarray(V[:, keep])
            U = P.T @ (V / S)
        q = S.shape[0]
        n_val = Pv.shape[0]
        Gv = Qv = None
        if n_val >= q:
            # U^T (Pv^T Pv) U or (Pv U)^T (Pv U), whichever costs less: the first
            # forms an m x m matrix (n_val m^2 + m^2 q + m q^2 flops; 3.2 GB at
            # m = 20,000), the second an n_val x q one (n_val m q + n_val q^2),
            # far cheaper when the representation is wider than the fit rows
            if n_val * m * m + m * m * q + m * q * q <= n_val * m * q + n_val * q * q:
                Gv = U.T @ (Pv.T @ Pv) @ U
            else:
                Qv = Pv @ U
                Gv = Qv.T @ Qv
        scale = trace / m
        basis = cls(S, U, P, Pv, Gv, scale if scale > 0 else 1.0, V)
        basis._Qv = Qv
        return basis

    @property
    def V(self) -> np.ndarray:
        if self._V is None:
            self._V = self.P @ self.T
        return self._V

    @property
    def Qv(self) -> np.ndarray:
        if self._Qv is None:
            self._Qv = self.Pv @ self.U
        return self._Qv

    @property
    def rank(self) -> int:
        return int(self.S.shape[0])

    @property
    def n_fit(self) -> int:
        return int(self.P.shape[0])

    @property
    def n_val(self) -> int:
        return int(self.Pv.shape[0])

    def stats(self, X_fit: np.ndarray, X_val: np.ndarray, rows_fit: np.ndarray,
              rows_val: np.ndarray) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
        """(X_a^T V_a, V_a^T 1, X_a^T 1) on the fit rows and the same with Qv on the
        validation rows (see the class notes for the two routes)."""
        self._parents += 1
        if self._direct and self._parents <= self.n_fit // (X_fit.shape[1] + 1):
            return (_stats(X_fit, self.P, rows_fit, self.T),
                    _stats(X_val, self.Pv, rows_val, self.U))
        return _stats(X_fit, self.V, rows_fit), _stats(X_val, self.Qv, rows_val)

    # -- the probes ---------------------------------------------------------
    def prepare(self, stats: Sequence[ParentStats], cand: Candidates) -> PreparedProbes:
        """Gather, for every candidate, the quantities its probe needs (rows of
        length q), with one fancy-indexing step per array (no loop over
        candidates)."""
        A_f = np.stack([st.A_f for st in stats])      # (P, d, q)
        A_v = np.stack([st.A_v for st in stats])
        a_f = np.stack([st.a_f for st in stats])      # (P, q)
        a_v = np.stack([st.a_v for st in stats])
        cnt_f = np.stack([st.cnt_f for st in stats])  # (P, d)
        cnt_v = np.stack([st.cnt_v for st in stats])
        n_af = np.array([st.n_f for st in stats], dtype=np.float64)
        n_av = np.array([st.n_v for st in stats], dtype=np.float64)
        p, i = cand.parent, cand.var
        s = cand.sign.astype(np.float64)
        # V^T h = 2 V^T 1[c] - V^T 1 with 2 V^T 1[c] = V_a^T 1 + s V_a^T x_i
        Vh = a_f[p] + s[:, None] * A_f[p, i] - self.V1            # (C, q)
        n_cf = (n_af[p] + s * cnt_f[p, i]) / 2.0                  # |c| on fit rows
        n_cv = (n_av[p] + s * cnt_v[p, i]) / 2.0
        ybar = 2.0 * n_cf / self.n_fit - 1.0                      # intercept b
        sum_yv = 2.0 * n_cv - self.n_val
        Qh = a_v[p] + s[:, None] * A_v[p, i] - self.Qv1           # Qv^T h_val
        cross = Qh - ybar[:, None] * self.Qv1                     # Qv^T z
        zz = self.n_val - 2.0 * ybar * sum_yv + self.n_val * ybar ** 2
        var_val = 1.0 - (sum_yv / self.n_val) ** 2
        return PreparedProbes(self.S[None, :] * Vh, cross, zz, var_val, n_cf, n_cv)

    def validation_mse(self, stats: Sequence[ParentStats], cand: Candidates,
                       lam: float) -> np.ndarray:
        """Validation MSE of every candidate's probe at penalty ``lam``."""
        return self.mse(self.prepare(stats, cand), lam)

    def mse(self, prep: PreparedProbes, lam: float) -> np.ndarray:
        """Validation MSE (C,) of the prepared probes at penalty ``lam`` (a finite
        number >= 0, else InvalidParameterError)."""
        lam = check_real(lam, "lam", "ProbeBasis.mse", low=0)
        W = prep.b / (self.S ** 2 + lam)[None, :]                 # (C, q) coefficients
        if self.Gv is not None:
            quad = np.einsum("cq,cq->c", W @ self.Gv, W)
        else:
            pred = W @ self.Qv.T                                  # (C, n_val)
            quad = np.einsum("cn,cn->c", pred, pred)
        sse = quad - 2.0 * np.einsum("cq,cq->c", W, prep.cross) + prep.zz
        return np.maximum(sse, 0.0) / self.n_val

    def weights(self, prep: PreparedProbes, lam: float) -> np.ndarray:
        """Probe coefficients in the eigenbasis (C, q) (for diagnostics); ``lam``
        as in :meth:`mse`."""
        lam = check_real(lam, "lam", "ProbeBasis.weights", low=0)
        return prep.b / (self.S ** 2 + lam)[None, :]


@dataclass(frozen=True)
class PreparedProbes:
    """Per-candidate quantities: ``b = S * V^T h`` (C, q), ``cross = Qv^T z``
    (C, q), ``zz = z^T z`` (C,), the validation variance of h (C,), and the
    candidate's row counts on fit and validation."""

    b: np.ndarray
    cross: np.ndarray
    zz: np.ndarray
    var_val: np.ndarray
    n_fit: np.ndarray
    n_val: np.ndarray

    def take(self, idx: np.ndarray) -> PreparedProbes:
        return PreparedProbes(self.b[idx], self.cross[idx], self.zz[idx], self.var_val[idx],
                              self.n_fit[idx], self.n_val[idx])


@dataclass(frozen=True)
class ParentStats:
    """Sufficient statistics of one parent AND a for probing all its children:
    ``A_f = (V_a^T X_a)^T`` (d, q), ``a_f = V_a^T 1`` (q,), ``cnt_f = X_a^T 1``
    (d,), ``n_f = |a|`` on the fit rows, and the same on the validation rows with
    Qv in place of V."""

    A_f: np.ndarray
    a_f: np.ndarray
    cnt_f: np.ndarray
    n_f: int
    A_v: np.ndarray
    a_v: np.ndarray
    cnt_v: np.ndarray
    n_v: int

    @classmethod
    def build(cls, basis: ProbeBasis, X_fit: np.ndarray, X_val: np.ndarray,
              rows_fit: np.ndarray, rows_val: np.ndarray) -> ParentStats:
        """``rows_fit`` / ``rows_val``: the fit / validation row indices where a holds."""
        (A_f, a_f, cnt_f), (A_v, a_v, cnt_v) = basis.stats(X_fit, X_val, rows_fit, rows_val)
        return cls(A_f, a_f, cnt_f, int(rows_fit.shape[0]), A_v, a_v, cnt_v,
                   int(rows_val.shape[0]))


def _stats(X: np.ndarray, B: np.ndarray, rows: np.ndarray, T: np.ndarray | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X_a^T B_a T, (B_a T)^T 1, X_a^T 1) for the rows a of X (int8) and B (T the
    identity when None), with one product over the rows: a column of ones appended
    to X_a gives the column sums as the last row."""
    Xa = np.empty((rows.shape[0], X.shape[1] + 1))
    Xa[:, :-1] = X[rows]
    Xa[:, -1] = 1.0
    both = Xa.T @ B[rows]
    if T is not None:
        both = both @ T
    return both[:-1], both[-1], Xa[:, :-1].sum(axis=0)


def _eigh(G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.linalg.eigh`` on one BLAS thread: LAPACK's symmetric eigensolver
    makes many small synchronised BLAS calls, and with several threads on a busy
    machine it was measured 10-100 times slower than on one (256 x 256: 3 s
    against 0.03 s at load 6 on 2 cores)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return np.linalg.eigh(G)


def _rank_mask(evals: np.ndarray, n: int, m: int) -> np.ndarray:
    """Eigenvalues above the numerical-rank tolerance (LAPACK's usual rule)."""
    top = float(evals.max()) if evals.size else 0.0
    if top <= 0.0:
        return np.zeros(evals.shape, dtype=bool)
    return evals > top * max(n, m) * np.finfo(np.float64).eps
