"""The fuzzing harness of the robustness suite (issue 9): the allowed outcome of
every case, a per-entry-point case counter, the code-execution canary, and
strategies for hostile values, mutated JSON documents and expressions.

Allowed outcome of a case: the call returns, or raises a PacDistillError
subclass, within ``CASE_SECONDS`` of wall clock (a functional bound, measured
with ``time.perf_counter``; a case over it passes only if its own CPU time
stayed under half the bound, i.e. it was kept waiting by a loaded machine; a
SIGALRM at ``HANG_SECONDS`` of wall clock turns a hang into a failure instead
of a stuck run). Anything else -- another exception, a slow
case, a canary file created by a payload -- fails the test with hypothesis's
shrunk input.

Counts: :data:`COUNTS` holds the cases run per entry point in this process;
``tests/conftest.py`` prints them as a table at the end of the session (summed
over xdist workers), and each fuzz test asserts its own entry point ran at
least ``MIN_CASES`` cases.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import UnsatisfiedAssumption

import pacdistill as pd
from pacdistill.errors import PacDistillError

#: cases each entry point must run (the issue's acceptance: >= 200 in CI)
MIN_CASES = 200
#: functional per-case bound (seconds)
CASE_SECONDS = 2.0
#: a case still running after this long is interrupted and fails
HANG_SECONDS = 20.0

#: entry point -> cases run in this process (read by tests/conftest.py)
COUNTS: Counter[str] = Counter()
#: entry point -> cases whose input was accepted (the call returned)
ACCEPTED: Counter[str] = Counter()
#: entry point -> slowest case seen (seconds)
SLOWEST: dict[str, float] = {}

# -- the canary: payloads that would create this file if anything executed them ------

_CANARY_DIR = tempfile.mkdtemp(prefix="pacdistill-canary-")
CANARY = os.path.join(_CANARY_DIR, "pwned")

#: strings that run code if evaluated (eval/exec/sympify/pickle): each would
#: create CANARY
PAYLOADS = (
    f"__import__('os').system('touch {CANARY}')",
    f"__import__(\"os\").system(\"touch {CANARY}\")",
    f"open('{CANARY}', 'w').write('x')",
    f"exec(\"open('{CANARY}','w')\")",
    f"eval(\"open('{CANARY}','w')\")",
    f"(lambda: open('{CANARY}', 'w'))()",
    f"[c for c in ().__class__.__base__.__subclasses__()]; open('{CANARY}','w')",
    f"Symbol('x').__class__.__init__.__globals__['os'].system('touch {CANARY}')",
    f"{{{{ open('{CANARY}','w') }}}}",
    f"$(touch {CANARY})",
    f"`touch {CANARY}`",
    f"; touch {CANARY}",
)


def canary_tripped() -> bool:
    return os.path.exists(CANARY)


class _Hang(BaseException):
    """Raised by the alarm inside a case that ran past HANG_SECONDS."""


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "setitimer"):
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise _Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def case(entry: str, *, seconds: float = CASE_SECONDS, value: Any = None) -> Iterator[None]:
    """One fuzz case of ``entry``: PacDistillError is an allowed outcome; any other
    exception propagates (and fails the test); the case must finish within
    ``seconds`` and must not trip the canary.

    On an unexpected exception the input (bounded repr) and the innermost frames
    are written to stderr first: hypothesis cannot print a falsifying example
    nested 10,000 deep."""
    COUNTS[entry] += 1
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        with _alarm(HANG_SECONDS):
            yield
        ACCEPTED[entry] += 1
    except PacDistillError:
        pass
    except _Hang as hang:
        _report(entry, value)
        raise AssertionError(f"{entry}: the case hung ({hang})") from None
    except UnsatisfiedAssumption:  # hypothesis rejected the input: not a case
        COUNTS[entry] -= 1
        raise
    except BaseException:
        _report(entry, value)
        raise
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    SLOWEST[entry] = max(SLOWEST.get(entry, 0.0), elapsed)
    assert not canary_tripped(), f"{entry}: a payload was executed (canary {CANARY} exists)"
    # Wall clock is the bound; a case over it whose own CPU time stayed under half of
    # it was waiting for the machine (other processes on a loaded CI box), not slow.
    assert elapsed < seconds or cpu < seconds / 2, (
        f"{entry}: the case took {elapsed:.2f} s ({cpu:.2f} s CPU; bound {seconds} s)")


_REPORTED: set[tuple[str, str]] = set()


def _report(entry: str, value: Any) -> None:
    """Write the input and the innermost frames once per failure site."""
    from pacdistill._validation import show

    kind, _, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)
    site = f"{kind.__name__}@{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    if (entry, site) in _REPORTED:
        return
    _REPORTED.add((entry, site))
    sys.stderr.write(f"\n[fuzz] {entry} failed on input {show(value)}\n"
                     + "".join(traceback.format_exc(limit=-8)) + "\n")


def fuzz(entry: str, strategy: st.SearchStrategy, *, max_examples: int = MIN_CASES,
         seconds: float = CASE_SECONDS, shrink: bool = True
         ) -> Callable[[Callable[[Any], Any]], Callable[[], None]]:
    """Decorator turning ``body(value)`` into a pytest test that runs
    ``max_examples`` hypothesis cases of ``entry`` and checks the count.

    The returned test takes no arguments (so pytest passes no fixtures to the
    hypothesis function); it runs under the active profile's settings except
    ``max_examples``. ``shrink=False`` is for a test marked xfail for a reported
    defect: it fails at the first bad input instead of spending seconds shrinking
    an input the xfail's reason already names.
    """
    phases = tuple(Phase) if shrink else tuple(p for p in Phase if p is not Phase.shrink)

    def decorate(body: Callable[[Any], Any]) -> Callable[[], None]:
        @settings(max_examples=max_examples, deadline=None, phases=phases,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.filter_too_much, HealthCheck.nested_given,
                                         HealthCheck.large_base_example])
        @given(strategy)
        def inner(value: Any) -> None:
            with case(entry, seconds=seconds, value=value):
                body(value)

        def test() -> None:
            before = COUNTS[entry]
            inner()
            ran = COUNTS[entry] - before
            assert ran >= min(max_examples, MIN_CASES), (
                f"{entry}: only {ran} fuzz cases ran (need {MIN_CASES})")

        test.__name__ = body.__name__
        test.__qualname__ = body.__qualname__
        test.__doc__ = body.__doc__
        test.__module__ = body.__module__
        test.fuzz_entry = entry  # type: ignore[attr-defined]
        return test

    return decorate


# -- hostile values ---------------------------------------------------------------------

HUGE_INTS = (10**30, 2**63, 2**63 - 1, 2**64, -(2**63), -(10**30), 10**4000)
ODD_FLOATS = (math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 1e-300)
UNICODE = ("é", "\u0000", "\ud800", "𝔡", "\u202e", "日本", "\ufeff", "d\u0301", "ε", "δ")


def hostile_scalars() -> st.SearchStrategy[Any]:
    """Scalars of every wrong kind: None, bools, small/negative/huge ints, NaN/inf
    floats, unicode and payload strings, bytes."""
    return st.one_of(
        st.none(), st.booleans(),
        st.integers(-3, 3), st.sampled_from(HUGE_INTS), st.integers(),
        st.sampled_from(ODD_FLOATS), st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(UNICODE), st.sampled_from(PAYLOADS), st.text(max_size=12),
        st.binary(max_size=8),
    )


def deep_list(depth: int) -> Any:
    """A list nested ``depth`` levels deep (built without recursion)."""
    out: Any = []
    for _ in range(depth):
        out = [out]
    return out


def _numpy_values() -> list[Any]:
    """numpy scalars and arrays, whose == is elementwise; 0-d arrays are Iterable
    but cannot be iterated (test_numpy_values.py)."""
    import numpy as np

    return [np.int64(3), np.int8(-1), np.uint64(2**64 - 1), np.float64("nan"), np.float32(0.5),
            np.True_, np.str_("junta"), np.array("parity"), np.array(3),
            np.array(["parity", "x"]), np.array([]),
            np.array([1, -1]), np.array([[1.0, np.nan]]), np.array([None], dtype=object)]


def hostile_values() -> st.SearchStrategy[Any]:
    """Hostile scalars, numpy scalars and arrays, small containers of them, and deep
    nesting (up to 10,000)."""
    return st.one_of(
        hostile_scalars(), st.sampled_from(_numpy_values()),
        st.lists(hostile_scalars(), max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=5), st.sampled_from(UNICODE)),
                        hostile_scalars(), max_size=3),
        st.builds(deep_list, st.sampled_from([10, 100, 1000, 10_000])),
        st.sampled_from([{}, [], [[]], {"": None}, [None] * 3, [[1, -1]] * 2, [[]] * 3]),
    )


# -- valid documents to mutate ------------------------------------------------------------

def _seed_models() -> list[Any]:
    params = {
        "conjunction": dict(d=5, k=2), "parity": dict(d=5, k=3), "junta": dict(d=6, k=2),
        "decision_tree": dict(d=5, depth=2), "decision_list": dict(d=5, l=3),
        "dnf": dict(d=5, s=3, w=2), "cnf": dict(d=5, s=2, w=2), "halfspace": dict(d=4),
        "relu_network": dict(d=3, L=2, m=4), "lookup_table": dict(d=3),
    }
    return [pd.CLASSES[name].random(seed, **p) for name, p in params.items() for seed in (0, 1)]


SEED_MODELS = _seed_models()
MODEL_DOCS = [m.to_dict() for m in SEED_MODELS]


def _seed_distributions() -> list[Any]:
    D = pd.distributions
    U = D.Uniform(3)
    return [U, D.Product([0.1, 0.5, 1.0]), D.Subcube(3, {0: 1, 2: -1}),
            D.FiniteSupport([[1, 1, -1], [-1, 1, 1]], [0.25, 0.75]),
            D.Empirical([[1, -1, 1], [1, -1, 1], [-1, -1, -1]]),
            D.Mixture([U, D.Subcube(3, {1: -1})], [0.5, 0.5])]


SEED_DISTRIBUTIONS = _seed_distributions()
DISTRIBUTION_DOCS = [D.to_dict() for D in SEED_DISTRIBUTIONS]


def _paths(doc: Any, limit: int = 400) -> list[tuple[Any, ...]]:
    """Paths (tuples of keys/indices) to every node of a JSON tree, breadth first."""
    out: list[tuple[Any, ...]] = [()]
    queue: list[tuple[tuple[Any, ...], Any]] = [((), doc)]
    while queue and len(out) < limit:
        path, node = queue.pop(0)
        children = (node.items() if isinstance(node, dict)
                    else enumerate(node) if isinstance(node, list) else ())
        for key, child in children:
            out.append((*path, key))
            queue.append(((*path, key), child))
    return out


def _copy(doc: Any) -> Any:
    return json.loads(json.dumps(doc))


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return doc


@st.composite
def mutated_documents(draw: Any, docs: list[Any]) -> Any:
    """A valid document with one to three structural mutations: a node replaced
    by a hostile value, a key deleted or added, a node wrapped or emptied."""
    doc = _copy(draw(st.sampled_from(docs)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "wrap", "empty"]))
        try:
            node: Any = doc
            for key in path:
                node = node[key]
        except (KeyError, IndexError, TypeError):
            continue
        if action == "replace":
            doc = _replace(doc, path, draw(hostile_values()))
        elif action == "delete" and path:
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, (dict, list)):
                del parent[path[-1]]
        elif action == "add" and isinstance(node, dict):
            node[draw(st.one_of(st.text(max_size=6), st.sampled_from(UNICODE)))] = \
                draw(hostile_scalars())
        elif action == "add" and isinstance(node, list):
            node.append(draw(hostile_values()))
        elif action == "wrap":
            doc = _replace(doc, path, [node])
        elif action == "empty":
            doc = _replace(doc, path, type(node)() if isinstance(node, (dict, list, str))
                           else None)
        if not isinstance(doc, (dict, list)):
            break
    return doc


def _dumps(doc: Any) -> str:
    """JSON text of a possibly hostile document (NaN/inf as JSON's extensions,
    ints past the str limit as a long literal, unencodable values as null)."""
    try:
        return json.dumps(doc, allow_nan=True)
    except (ValueError, TypeError, RecursionError, OverflowError):
        return "null"


@st.composite
def mutated_json_texts(draw: Any, docs: list[Any]) -> str:
    """JSON text of a valid document, then damaged as text: truncated at a random
    position, characters flipped or inserted, or the JSON of a structurally
    mutated document; plus deep nesting and odd literals."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "structure", "structure",
                                 "deep", "literal"]))
    if kind == "deep":
        depth = draw(st.sampled_from([100, 1000, 10_000, 100_000]))
        opener = draw(st.sampled_from(["[", '{"a":', '{"class":']))
        closer = {"[": "]", '{"a":': "}", '{"class":': "}"}[opener]
        return opener * depth + "1" + closer * depth
    if kind == "literal":
        return draw(st.sampled_from([
            "", " ", "null", "NaN", "Infinity", "-Infinity", "[NaN]", "1e999", "9" * 5000,
            '{"class": "parity", "version": 1, "d": 1e999, "variables": []}',
            '{"class": "halfspace", "version": 1, "weights": [NaN], "bias": 0}',
            '{"class": "halfspace", "version": 1, "weights": [Infinity], "bias": 0}',
            '{"class": "decision_tree", "version": 2}', '"\\ud800"', "\ufeff{}",
            '{"class": "parity", "class": "junta"}', "[" * 50, "]" * 50, "\x00",
            *PAYLOADS,
        ]))
    if kind == "structure":
        return _dumps(draw(mutated_documents(docs)))
    text = json.dumps(draw(st.sampled_from(docs)))
    if kind == "truncate":
        return text[:draw(st.integers(0, max(len(text) - 1, 0)))]
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(chars) - 1))
        new = draw(st.one_of(st.sampled_from(list('{}[]",:-.0123456789eE ntfa\\')),
                             st.characters(), st.sampled_from(UNICODE)))
        if kind == "flip":
            chars[pos] = new
        else:
            chars.insert(pos, new)
    return "".join(chars)
