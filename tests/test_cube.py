"""pacdistill.cube against plain-Python definitions of the cube convention
(DESIGN: row i of enumerate(d) is the binary expansion of i, bit j, least
significant first, equal to 1 meaning x_j = -1; THEORY §1 for literals).

Every other test reads the cube through these functions ("the whole cube" is
cube.enumerate), so they are checked here against an independent oracle:
Python integers and loops, no numpy bit tricks.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    TooLargeError,
)


def _row(i: int, d: int) -> list[int]:
    """Row i of the enumeration, from the convention itself."""
    return [-1 if (i >> j) & 1 else 1 for j in range(d)]


@pytest.mark.parametrize("d", range(0, 9))
def test_enumerate_is_the_binary_expansion_and_index_inverts_it(d):
    X = pd.cube.enumerate(d)
    assert X.dtype == np.int8 and X.shape == (2**d, d)
    assert X.tolist() == [_row(i, d) for i in range(2**d)]
    assert len({tuple(r) for r in X.tolist()}) == 2**d  # every point once
    assert pd.cube.index(X).tolist() == list(range(2**d))


def test_index_of_any_point_and_dtypes():
    """index(x) = sum_j 2^j [x_j = -1] for arbitrary rows (d = 40: past int32),
    whatever the integer or float dtype holding the ±1 values."""
    rng = np.random.default_rng(0)
    X = rng.choice(np.array([-1, 1], dtype=np.int8), size=(50, 40))
    want = [sum(1 << j for j in range(40) if row[j] == -1) for row in X.tolist()]
    for dtype in (np.int8, np.int64, np.float64):
        got = pd.cube.index(X.astype(dtype))
        assert got.dtype == np.int64 and got.tolist() == want


@pytest.mark.parametrize("start, stop, d", [(0, 0, 3), (3, 8, 3), (5, 6, 3),
                                            (2**39 - 3, 2**39 + 2, 40), (2**61, 2**61 + 3, 62)])
def test_points_are_rows_of_the_enumeration(start, stop, d):
    P = pd.cube.points(start, stop, d)
    assert P.dtype == np.int8 and P.shape == (stop - start, d)
    assert P.tolist() == [_row(i, d) for i in range(start, stop)]


@pytest.mark.parametrize("start, stop, d, error, match", [
    (3, 5, 2, InvalidParameterError, "'stop'.*Got 5"),      # row 4 of a 4-point cube
    (-1, 1, 2, InvalidParameterError, "'start'.*Got -1"),   # row -1
    (2, 1, 3, InvalidParameterError, "'stop'.*Got 1"),
    (0, 2, 70, InvalidParameterError, "'d'.*Got 70"),       # bits past int64
    ("a", 2, 3, InvalidParameterError, "'start'.*'a'"),     # was a bare TypeError
    (0, 2**25, 30, TooLargeError, "2\\^24"),
])
def test_points_refuses_rows_outside_the_cube(start, stop, d, error, match):
    """Rows past 2^d or before 0 do not exist (they wrapped around silently)."""
    with pytest.raises(error, match=match):
        pd.cube.points(start, stop, d)


@pytest.mark.parametrize("d, size", [(0, 1), (3, 1), (3, 3), (4, 16), (4, 100), (10, 7)])
def test_chunks_walk_the_enumeration_in_order(d, size):
    blocks = list(pd.cube.chunks(d, chunk_size=size))
    starts = [s for s, _ in blocks]
    assert starts == list(range(0, 2**d, size))
    assert all(len(b) == min(size, 2**d - s) for s, b in blocks)
    assert np.array_equal(np.concatenate([b for _, b in blocks]), pd.cube.enumerate(d))


def test_literals_hold_and_and_of_literals_on_the_whole_cube():
    """Every conjunction of literals over d = 3 (27 of them, the empty one
    included), evaluated on all 8 points, against the definition of THEORY §1:
    a literal (i, s) holds at x when x_i = s."""
    d = 3
    X = pd.cube.enumerate(d)
    for choice in itertools.product((None, 1, -1), repeat=d):
        literals = [(i, s) for i, s in enumerate(choice) if s is not None]
        want = [all(row[i] == s for i, s in literals) for row in X.tolist()]
        assert pd.cube.literals_hold(X, literals).tolist() == want
        anded = pd.cube.and_of_literals(X, literals)
        assert anded.dtype == np.int8 and anded.tolist() == [1 if w else -1 for w in want]


@pytest.mark.parametrize("literals, match", [
    ([(3, 1)], "out of range"),
    ([(-1, 1)], "out of range"),
    ([(0, 1), (0, -1)], "appears twice"),
    ([(0, 0)], "must be \\+1 or -1"),
    ([(0, True)], "must be \\+1 or -1"),
    ([(0, np.array([1, 1]))], "must be \\+1 or -1"),   # was a bare ValueError
    ([(0, np.array([1]))], "must be \\+1 or -1"),      # not one number
    ([(0, "1")], "must be \\+1 or -1"),
    ([(1.0, 1)], "must be an integer"),
    ([(0, 1, 2)], "pair"),
    ("01", "sequence of"),
])
def test_check_literals_refuses_what_is_not_a_literal(literals, match):
    with pytest.raises(InvalidModelError, match=match):
        pd.cube.check_literals(literals, 3)


@pytest.mark.parametrize("X, literals, error, match", [
    ([[1, -1, 1]], [(3, 1)], InvalidModelError, "variable 3, out of range"),  # was IndexError
    ([[1, -1, 1]], [(0, 2)], InvalidModelError, "must be \\+1 or -1"),      # never held
    ([[1, 0, 1]], [(0, 1)], InvalidInputError, "value 0 at row 0, column 1"),
    ([1, -1, 1], [(0, 1)], InvalidInputError, "2-d array"),                 # was IndexError
])
def test_literals_hold_checks_its_arguments(X, literals, error, match):
    """The public helpers validate what they are given (bare IndexErrors before)."""
    for helper in (pd.cube.literals_hold, pd.cube.and_of_literals):
        with pytest.raises(error, match=match):
            helper(X, literals)
    # a variable twice is a valid AND (nowhere true with opposite signs)
    X = pd.cube.enumerate(2)
    assert not pd.cube.literals_hold(X, [(0, 1), (0, -1)]).any()
    assert pd.cube.literals_hold(X, [(0, 1), (0, 1)]).tolist() == [True, False, True, False]


def test_check_literals_returns_int_pairs():
    out = pd.cube.check_literals([(np.int64(2), np.int8(-1)), [0, 1]], 3)
    assert out == ((2, -1), (0, 1)) and all(type(v) is int for lit in out for v in lit)


def test_enumeration_past_the_limit_is_refused():
    limit = pd.cube.MAX_ENUMERATE_D
    assert pd.cube.check_enumerable(limit, "f") == limit
    with pytest.raises(TooLargeError, match="2\\^" + str(limit + 1)):
        pd.cube.enumerate(limit + 1)
    with pytest.raises(TooLargeError, match="int64"):
        pd.cube.index(np.ones((1, 63), dtype=np.int8))
