"""Export of the reduction web: JSON (round-trips), GraphML (string attributes,
reloadable with ``nx.read_graphml``) and DOT (written by hand, no graphviz
dependency). Every file is written atomically (:mod:`pacdistill._io`: a
temporary file in the target directory, then ``os.replace``)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import networkx as nx
import sympy

from .._io import _target, atomic_open, atomic_write
from .._record import is_format_version, is_tagged
from .._validation import show
from ..bounds.guarantee import FIELDS, Guarantee
from ..errors import SerializationError
from ..reductions._registry import ACCESS, REGISTRY, Reduction

__all__ = ["web_to_dict", "web_from_dict", "attribute_graph", "to_dot", "export",
           "FORMAT_VERSION"]

#: version of the JSON document
FORMAT_VERSION = 1

_EDGE_KEYS = {"name", "source", "target", "access", "efficient", "doc", "guarantee"}
_KIND_STYLE = {  # DOT colour and style per kind
    "exact": ("black", "solid"),
    "perfect": ("blue", "solid"),
    "agnostic": ("darkgreen", "solid"),
    "barrier": ("red", "dashed"),
}


def _edge_dict(red: Reduction) -> dict[str, Any]:
    return {"name": red.name, "source": red.source, "target": red.target,
            "access": red.access, "efficient": red.efficient, "doc": red.doc,
            "guarantee": red.guarantee.to_dict()}


def web_to_dict(web: Any) -> dict[str, Any]:
    return {"type": "ReductionWeb", "version": FORMAT_VERSION, "classes": web.classes,
            "edges": [_edge_dict(red) for red in web.reductions.values()]}


def _edge_from_dict(item: Any) -> Reduction:
    if not isinstance(item, Mapping) or set(item) != _EDGE_KEYS:
        keys = sorted(item) if isinstance(item, Mapping) else type(item).__name__
        raise SerializationError(
            f"Each edge of a web document must have exactly the keys {sorted(_EDGE_KEYS)}. "
            f"Got {keys}.")
    for key in ("name", "source", "target", "access", "doc"):
        if not isinstance(item[key], str):
            raise SerializationError(f"The {key!r} of a web edge must be a string.")
    if item["access"] not in ACCESS:
        raise SerializationError(f"Unknown access {item['access']!r} of edge {item['name']!r}; "
                                 f"expected one of {ACCESS}.")
    if not isinstance(item["efficient"], bool):
        raise SerializationError(f"The 'efficient' of edge {item['name']!r} must be a boolean.")
    guarantee = Guarantee.from_dict(item["guarantee"])
    if (guarantee.from_class, guarantee.to_class) != (item["source"], item["target"]):
        raise SerializationError(
            f"The guarantee of edge {item['name']!r} maps {guarantee.from_class} -> "
            f"{guarantee.to_class}, not {item['source']} -> {item['target']}.")
    registered = REGISTRY.get(item["name"])
    func = None
    if registered is not None and (
            registered.source, registered.target, registered.access, registered.efficient,
            registered.guarantee) == (item["source"], item["target"], item["access"],
                                      item["efficient"], guarantee):
        func = registered.func  # the same edge: rebind its algorithm
    return Reduction(item["name"], item["source"], item["target"], guarantee, func,
                     item["doc"], access=item["access"], efficient=item["efficient"])


def web_from_dict(cls: type, data: Any) -> Any:
    if not is_tagged(data, "ReductionWeb"):
        raise SerializationError("Expected a web document: a JSON object with "
                                 "'type': 'ReductionWeb'.")
    if set(data) != {"type", "version", "classes", "edges"}:
        raise SerializationError(f"A web document has the keys type, version, classes, "
                                 f"edges. Got {sorted(data)}.")
    if not is_format_version(data["version"], FORMAT_VERSION):
        raise SerializationError(f"Unknown web document version {show(data['version'])} (the "
                                 f"supported version is the integer {FORMAT_VERSION}).")
    classes, edges = data["classes"], data["edges"]
    if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
        raise SerializationError("The 'classes' of a web document must be a list of names.")
    if not isinstance(edges, list):
        raise SerializationError("The 'edges' of a web document must be a list.")
    return cls([_edge_from_dict(item) for item in edges], classes=classes)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def attribute_graph(web: Any) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for node, data in web.graph.nodes(data=True):
        cls = data.get("cls")
        out.add_node(node, title=getattr(cls, "title", node) or node,
                     params=", ".join(str(p) for p in getattr(cls, "params", ())),
                     description=getattr(cls, "description", "") or "")
    for red in web.reductions.values():
        g = red.guarantee
        attrs = {
            "kind": red.kind, "access": red.access, "efficient": _bool(red.efficient),
            "source": g.source, "doc": red.doc,
            "promise": "" if g.promise is None else str(g.promise),
            **{name: sympy.sstr(getattr(g, name)) for name in FIELDS},
            "size_map": ", ".join(f"{k} -> {sympy.sstr(v)}" for k, v in
                                  sorted(g.size_map.items(), key=lambda kv: kv[0].name)),
            "assumptions": ", ".join(g.assumptions), "order": _bool(g.order),
        }
        out.add_edge(red.source, red.target, key=red.name, **attrs)
    return out


def _quote(text: str) -> str:
    """A DOT double-quoted string (backslashes, quotes and newlines escaped)."""
    escaped = (str(text).replace("\\", "\\\\").replace('"', '\\"')
               .replace("\r", "").replace("\n", "\\n"))
    return f'"{escaped}"'


def to_dot(web: Any) -> str:
    """The web in the DOT language (graphviz), kinds as colours, barriers dashed red."""
    graph = attribute_graph(web)
    lines = ["digraph pacdistill {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];",
             "  edge [fontname=Helvetica, fontsize=9];"]
    for node, data in graph.nodes(data=True):
        label = f"{data['title']}\n[{data['params']}]" if data["params"] else data["title"]
        lines.append(f"  {_quote(node)} [label={_quote(label)}];")
    for u, v, key, data in graph.edges(keys=True, data=True):
        color, style = _KIND_STYLE.get(data["kind"], ("gray", "solid"))
        tooltip = (f"{key} ({data['kind']}, access {data['access']}): time {data['time']}; "
                   f"samples {data['samples']}; queries {data['queries']}; {data['source']}")
        lines.append(f"  {_quote(u)} -> {_quote(v)} [key={_quote(key)}, label={_quote(key)}, "
                     f"color={color}, fontcolor={color}, style={style}, "
                     f"tooltip={_quote(tooltip)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def export(web: Any, path: str | os.PathLike, format: str) -> None:
    from ..errors import InvalidParameterError

    # a path, not a number or a list (SerializationError, as atomic_write says it)
    directory = os.path.dirname(os.path.abspath(_target(path, "ReductionWeb.export")))
    if not os.path.isdir(directory):
        raise InvalidParameterError(
            f"The 'path' parameter of export must be in an existing directory. "
            f"Got {os.fspath(path)!r} instead (no directory {directory!r}).")
    func = "ReductionWeb.export"
    if format == "json":
        atomic_write(path, json.dumps(web_to_dict(web), indent=1, allow_nan=False), func=func)
    elif format == "graphml":
        graph = attribute_graph(web)
        with atomic_open(path, "wb", func=func) as handle:
            nx.write_graphml(graph, handle)
    else:
        atomic_write(path, to_dot(web), func=func)
