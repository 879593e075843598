"""Enumerating the composable paths of the web (private; THEORY §3, §9 rule 1).

A path is composable by THEORY §3's table exactly when no step with a promise
follows a step that is not an exact conversion (the approximate output of an
earlier step need not satisfy a later promise), and no step is a barrier.
That is decided from the kinds and promises alone, so the search prunes
prefixes without composing any sympy expression; :func:`pacdistill.bounds.compose_all`
is then run only on the paths a query keeps (and stays the authority: a path
it refuses is dropped).

The composite's promise is the promise of its first non-exact step (exact steps
pass step 2's promise through; later steps have none), its assumptions are the
union of the steps', and the OPT symbols of its error are the union of the
steps' (the composite error is ``e2(sigma1) + (1 + c2) e1``,
:mod:`pacdistill.bounds.compose`; size maps never substitute an OPT symbol).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

import networkx as nx

from ..bounds.guarantee import Promise
from ..bounds.symbols import is_opt_symbol

__all__ = ["composable_step", "path_promise", "path_assumptions", "path_opt_classes",
           "opt_classes", "iter_paths", "distances_to"]


def composable_step(approximate_so_far: bool, red) -> bool:
    """Whether ``red`` may follow a prefix (THEORY §3); ``approximate_so_far``
    is True when some earlier step is not an exact conversion."""
    if red.kind == "barrier":
        return False
    return not (approximate_so_far and red.guarantee.promise is not None)


def path_promise(steps) -> Promise | None:
    """The composite's promise: that of the first non-exact step."""
    for red in steps:
        if red.kind != "exact":
            return red.guarantee.promise
    return None


def path_assumptions(steps) -> frozenset[str]:
    out: set[str] = set()
    for red in steps:
        out |= set(red.guarantee.assumptions)
    return frozenset(out)


def opt_classes(error) -> frozenset[str]:
    """The classes C of the OPT_C symbols in an error bound."""
    return frozenset(sym.name[len("OPT_"):] for sym in error.free_symbols
                     if is_opt_symbol(sym))


def path_opt_classes(steps) -> frozenset[str]:
    """The classes whose OPT appears in the composite's error (the union of the steps')."""
    out: set[str] = set()
    for red in steps:
        out |= opt_classes(red.guarantee.error)
    return frozenset(out)


def distances_to(graph: nx.MultiDiGraph, target: str) -> dict[str, int]:
    """Fewest non-barrier edges from each node to ``target`` (BFS on reversed edges)."""
    dist = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for pred, _, data in graph.in_edges(node, data=True):
            if pred not in dist and data["reduction"].kind != "barrier":
                dist[pred] = dist[node] + 1
                queue.append(pred)
    return dist


def iter_paths(
    graph: nx.MultiDiGraph, source: str, *, max_steps: int,
    edge_ok: Callable[[object], bool] = lambda red: True,
    first_ok: Callable[[object], bool] = lambda red: True,
    target: str | None = None, first_loop: bool = False,
) -> Iterator[tuple]:
    """Every structurally composable simple path from ``source`` with at most
    ``max_steps`` edges (to ``target`` only, when given), as tuples of
    Reductions, in depth-first order over the graph's edge order.

    Simple: no class is visited twice (a cycle never shortens a route: the
    identity beats any detour back to a class f is already in, and keeping
    paths simple bounds the search), except that a route F -> F ends where it
    starts (a self-loop such as a query distiller F -> F, or a round trip).
    With ``first_loop`` a self-loop may also open a longer route: in the learning
    setting f is known only through examples, so the identity is not available
    and a learner F -> F followed by conversions (learn a halfspace by linear
    programming, then write it as a ReLU network) is a route of its own.
    """
    dist = distances_to(graph, target) if target is not None else None
    if dist is not None and source not in dist:
        return
    path: list = []
    visited = {source}

    def walk(node: str, approx: bool) -> Iterator[tuple]:
        for _, nxt, data in graph.out_edges(node, data=True):
            red = data["reduction"]
            opening_loop = first_loop and not path and nxt == node
            if (nxt in visited and nxt != target and not opening_loop) \
                    or not composable_step(approx, red) or not edge_ok(red):
                continue
            if not path and not first_ok(red):
                continue
            if dist is not None and (nxt not in dist or len(path) + 1 + dist[nxt] > max_steps):
                continue
            path.append(red)
            if target is None or nxt == target:
                yield tuple(path)
            if len(path) < max_steps and nxt != target:
                new = nxt not in visited  # an opening loop stays at the (visited) source
                visited.add(nxt)
                yield from walk(nxt, approx or red.kind != "exact")
                if new:
                    visited.discard(nxt)
            path.pop()

    yield from walk(source, False)
