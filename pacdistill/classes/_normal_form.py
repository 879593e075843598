"""What DNFs and CNFs share: a list of literal sets evaluated as one matrix product.

A DNF is an OR of terms (ANDs of literals), a CNF an AND of clauses (ORs of
literals). Both are stored as a tuple of literal tuples and evaluated the same
way: the signed literal matrix ``A`` (one row per term or clause, ``A[j, i] = s``
for the literal ``(i, s)``) gives, for every point x at once,

    (X @ A.T)[:, j] = sum over the literals (i, s) of s * x_i
                    = (#literals that hold) - (#literals that fail),

so a term holds exactly where the score equals its width, and a clause has a
true literal exactly where the score exceeds minus its width. ``A`` has a
column only for the variables that occur, so the scores are sums of at most
that many values in {-1, 0, 1}, hence exact in float32 below 2^24 of them
(float64 beyond), whatever order BLAS adds them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int, is_sequence, param_error, show
from ..cube import DEFAULT_CHUNK, check_literals
from ..errors import InvalidModelError, TooLargeError
from ._base import Model, check_random_cells
from ._fields import model_int, payload_fields, payload_int, payload_list, payload_literals
from .conjunction import format_literals

__all__ = ["NormalForm", "LiteralMatrix", "MAX_LITERAL_CELLS", "random_literal_sets"]

Literal = tuple[int, int]


#: Most entries of the literal matrix (sets x variables that occur): 2^26, i.e.
#: 256 MB in float32. A DNF or CNF past it raises TooLargeError.
MAX_LITERAL_CELLS = 1 << 26


class LiteralMatrix:
    """The signed literal matrix of a list of literal sets and their widths.

    Only the variables that occur in some set get a column (``columns``), so the
    matrix does not grow with d: a formula on a few variables of a huge cube
    costs what it holds.
    """

    def __init__(self, sets: Sequence[Sequence[Literal]], d: int, owner: str = "NormalForm"
                 ) -> None:
        self.columns = np.unique(np.array([i for lits in sets for i, _ in lits], dtype=np.int64))
        # the column of each variable that occurs
        position = {int(i): c for c, i in enumerate(self.columns)}
        cells = len(sets) * len(self.columns)
        if cells > MAX_LITERAL_CELLS:
            raise TooLargeError(
                f"A {owner} with {len(sets)} sets on {len(self.columns)} distinct variables "
                f"needs a literal matrix of {cells} entries, past the limit of "
                f"{MAX_LITERAL_CELLS} (MAX_LITERAL_CELLS)."
            )
        # exact sums: a score adds at most len(columns) values in {-1, 0, 1}
        self.dtype = np.float32 if len(self.columns) < (1 << 24) else np.float64
        matrix = np.zeros((len(sets), len(self.columns)), dtype=self.dtype)
        for j, lits in enumerate(sets):
            for i, s in lits:
                matrix[j, position[i]] = s
        self.matrix_t = np.ascontiguousarray(matrix.T)
        self.widths = np.array([len(lits) for lits in sets], dtype=self.dtype)
        self._every_column = len(self.columns) == d  # no column selection needed

    def scores(self, X: np.ndarray) -> np.ndarray:
        """(n, #sets) scores of the validated int8 points X (in row blocks, so the
        float copy of X stays small)."""
        n = X.shape[0]
        out = np.empty((n, self.widths.shape[0]), dtype=self.dtype)
        for start in range(0, n, DEFAULT_CHUNK):
            block = X[start:start + DEFAULT_CHUNK]
            if not self._every_column:
                block = block[:, self.columns]
            block = block.astype(self.dtype)
            np.matmul(block, self.matrix_t, out=out[start:start + DEFAULT_CHUNK])
        return out


class NormalForm(Model):
    """Base of :class:`~pacdistill.classes.dnf.DNF` and
    :class:`~pacdistill.classes.cnf.CNF` (not a model class by itself).

    Subclasses are frozen dataclasses with the fields ``d`` and ``<_field>`` and
    call :meth:`_setup` from ``__post_init__``.
    """

    #: name of the dataclass field holding the literal sets ("terms" / "clauses")
    _field: ClassVar[str] = ""
    #: what one literal set is called in messages ("term" / "clause")
    _item: ClassVar[str] = ""

    d: int

    def _sets(self) -> tuple[tuple[Literal, ...], ...]:
        return getattr(self, self._field)

    def _setup(self) -> None:
        owner = type(self).__name__
        d = model_int(self.d, "d", owner, min=1)
        raw = self._sets()
        if not isinstance(raw, (Sequence, np.ndarray)) or not is_sequence(raw):
            raise param_error(
                self._field, owner, f"a sequence of {self._item}s (each a sequence of "
                "literals (variable, sign))", raw, cls=InvalidModelError,
            )
        sets = []
        for j, lits in enumerate(raw):
            if isinstance(lits, (str, bytes, Mapping)):
                raise InvalidModelError(
                    f"{self._item.capitalize()} {j} of the {owner} must be a sequence of "
                    f"literals (variable, sign). Got {show(lits)} instead."
                )
            try:
                lits = check_literals(lits, d, owner=f"{owner} ({self._item} {j})")
            except TypeError as err:
                raise InvalidModelError(
                    f"{self._item.capitalize()} {j} of the {owner} must be a sequence of "
                    f"literals (variable, sign). Got {show(lits)} instead."
                ) from err
            sets.append(tuple(sorted(lits)))
        object.__setattr__(self, "d", d)
        object.__setattr__(self, self._field, tuple(sets))
        object.__setattr__(self, "_literal_matrix", LiteralMatrix(sets, d, owner))

    def size(self) -> dict[str, int]:
        """``{"d": d, "s": number of terms/clauses, "w": largest width (0 if none)}``."""
        sets = self._sets()
        return {"d": self.d, "s": len(sets), "w": max((len(x) for x in sets), default=0)}

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, self._field: [[[i, s] for i, s in lits] for lits in self._sets()]}

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Model:
        owner = cls.__name__
        payload_fields(data, ("d", cls._field), owner)
        sets = [tuple(payload_literals(lits, f"{cls._field}[{j}]", owner))
                for j, lits in enumerate(payload_list(data[cls._field], cls._field, owner))]
        return cls(payload_int(data["d"], "d", owner), tuple(sets))  # type: ignore[call-arg]

    def _scores(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lm: LiteralMatrix = self._literal_matrix  # type: ignore[attr-defined]
        return lm.scores(X), lm.widths

    def _format(self, inner: str, outer: str, empty_set: str, no_sets: str) -> str:
        parts = []
        for lits in self._sets():
            body = format_literals(lits, inner) if lits else empty_set
            parts.append(f"({body})")
        return outer.join(parts) if parts else no_sets


def random_literal_sets(
    rng: np.random.Generator, d: int, s: int, w: int, func: str,
) -> tuple[tuple[Literal, ...], ...]:
    """``s`` literal sets of width exactly ``w`` on distinct variables drawn
    uniformly, with uniform signs."""
    d = check_int(d, "d", func, min=1)
    s = check_int(s, "s", func, min=0)
    w = check_int(w, "w", func, min=0, max=d)
    check_random_cells(s * w, f"{s} sets of {w} literals", func)
    # the literal matrix has a column per variable that occurs (at most min(d, s w))
    if s * min(d, s * w) > MAX_LITERAL_CELLS:
        raise TooLargeError(
            f"{func} would build {s} sets on up to {min(d, s * w)} variables: a literal "
            f"matrix past the limit of {MAX_LITERAL_CELLS} entries (MAX_LITERAL_CELLS)."
        )
    sets = []
    for _ in range(s):
        variables = rng.choice(d, size=w, replace=False)
        signs = rng.choice(np.array([-1, 1]), size=w)
        sets.append(tuple((int(i), int(si)) for i, si in zip(variables, signs, strict=True)))
    return tuple(sets)
