"""A matplotlib drawing of the reduction web, for notebooks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

__all__ = ["draw", "KIND_STYLES"]

#: colour and line style per kind of edge (barriers dashed red)
KIND_STYLES = {
    "exact": ("black", "solid"),
    "perfect": ("tab:blue", "solid"),
    "agnostic": ("tab:green", "solid"),
    "barrier": ("tab:red", "dashed"),
}


def draw(web: Any, ax: Any = None, *, kinds: tuple[str, ...] | None = None,
         layout: str = "circular", collapse: bool = True, labels: bool = True,
         families: str = "note", seed: int = 0) -> Any:
    """Draw ``web`` on ``ax`` (a new figure when None) and return the axes.

    Parameters
    ----------
    kinds : tuple of str, optional
        Only these kinds of edge (exact, perfect, agnostic, barrier; default: all).
    ax : matplotlib Axes, optional
        Where to draw (default: the axes of a new figure).
    layout : {"circular", "spring"}
        Node placement (spring uses ``seed``).
    collapse : bool
        One arrow per (source, target, kind), labelled with the number of
        edges it stands for (families register one edge per source class);
        False draws every edge, labelled by name.
    labels : bool
        Edge labels.
    families : {"note", "edges"}
        Families (one algorithm registered from many source classes, edge names
        ``name[source]``, THEORY §9 rule 2) as a note under their target class
        ("note", the default: the web stays readable) or as one edge each.
    seed : int
        The seed of the spring layout, in [0, 2**32 - 1] (the seeds of the
        numpy RandomState networkx draws the layout with).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = pd.default_web().draw()
    >>> ax.get_title()
    'pacdistill reduction web'
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    from .._validation import check_bool, check_choice, check_int, is_sequence, param_error
    from ..bounds.guarantee import KINDS

    func = "ReductionWeb.draw"
    if ax is not None and not isinstance(ax, Axes):
        raise param_error("ax", func, "None or a matplotlib Axes", ax)
    if kinds is not None:
        if not is_sequence(kinds):
            raise param_error("kinds", func, "None or a tuple of edge kinds ("
                              + ", ".join(map(repr, KINDS)) + ")", kinds)
        kinds = tuple(check_choice(kind, "kinds", func, KINDS) for kind in kinds)
    collapse = check_bool(collapse, "collapse", func)
    labels = check_bool(labels, "labels", func)
    check_choice(layout, "layout", func, ("circular", "spring"))
    check_choice(families, "families", func, ("note", "edges"))
    seed = check_int(seed, "seed", func, min=0, max=2**32 - 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 10))
    graph = web.graph
    pos = (nx.circular_layout(graph) if layout == "circular"
           else nx.spring_layout(graph, seed=seed))
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color="white", edgecolors="black",
                           node_size=2200)
    titles = {n: getattr(d.get("cls"), "title", None) or n for n, d in graph.nodes(data=True)}
    nx.draw_networkx_labels(graph, pos, labels=titles, ax=ax, font_size=8)
    members: dict[str, list[Any]] = defaultdict(list)
    for red in web.reductions.values():
        members[red.name.split("[", 1)[0]].append(red)
    notes: dict[str, list[str]] = defaultdict(list)
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for red in web.reductions.values():
        if kinds is not None and red.kind not in kinds:
            continue
        base = red.name.split("[", 1)[0]
        if families == "note" and "[" in red.name and len(members[base]) > 1:
            text = f"{base}[*] ({red.kind}, {len(members[base])} sources)"
            if text not in notes[red.target]:
                notes[red.target].append(text)
            continue
        groups[(red.source, red.target, red.kind)].append(red.name)
    items = (list(groups.items()) if collapse else
             [((u, v, k), [name]) for (u, v, k), names in groups.items() for name in names])
    offsets: dict[tuple[str, str], int] = defaultdict(int)
    for (u, v, kind), names in items:
        color, style = KIND_STYLES.get(kind, ("gray", "solid"))
        rad = 0.12 + 0.08 * offsets[(u, v)]
        offsets[(u, v)] += 1
        nx.draw_networkx_edges(
            graph, pos, edgelist=[(u, v)], ax=ax, edge_color=color, style=style,
            connectionstyle=f"arc3,rad={rad}", arrows=True, arrowsize=12, node_size=2200)
        if labels:
            text = f"{kind} x{len(names)}" if collapse and len(names) > 1 else names[0]
            (x0, y0), (x1, y1) = pos[u], pos[v]
            if u == v:
                x, y = x0, y0 + 0.12 + 0.05 * offsets[(u, v)]
            else:
                x = (x0 + x1) / 2 + rad * (y1 - y0) / 2
                y = (y0 + y1) / 2 - rad * (x1 - x0) / 2
            ax.text(x, y, text, fontsize=6, color=color, ha="center", va="center")
    for node, texts in notes.items():
        x, y = pos[node]
        ax.text(x, y - 0.11, "\n".join(texts), fontsize=6, ha="center", va="top",
                color="dimgray")
    for kind, (color, style) in KIND_STYLES.items():
        ax.plot([], [], color=color, linestyle=style, label=kind)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("pacdistill reduction web")
    ax.set_axis_off()
    return ax
