"""pacdistill: the theory of model distillation, executable.

Model classes are nodes and reductions are edges of a networkx graph; every edge
carries an executable algorithm, a symbolic guarantee (sympy) and property-based
tests (hypothesis). See THEORY.md for the mathematical contract.

>>> import pacdistill as pd
>>> list(pd.CLASSES)[:2]
['conjunction', 'parity']
"""

from typing import TYPE_CHECKING

from . import errors
from ._lazy import attach

if TYPE_CHECKING:  # what the names are, for type checkers; at run time they load on use
    from . import bounds, checkers, classes, cube, distill, distributions, web
    from .classes import (
        CLASSES,
        CNF,
        DNF,
        Conjunction,
        DecisionList,
        DecisionTree,
        Halfspace,
        Junta,
        LookupTable,
        Model,
        ModelClass,
        Parity,
        ReLUNetwork,
        model_from_dict,
        model_from_json,
    )
    from .distill import TreeDistillation, distill_tree
    from .reductions.query_junta import JuntaDistillation, distill_junta
    from .web import ReductionWeb, Route, Status, default_web

# Everything but ``errors`` loads on first use (PEP 562, pacdistill._lazy): the
# model classes pull in sympy, the web networkx, the checkers hypothesis, and the
# command line's --help needs none of them.
__getattr__, __dir__ = attach(__name__, {
    **dict.fromkeys(["CLASSES", "Model", "ModelClass", "model_from_dict", "model_from_json",
                     "Conjunction", "Parity", "Junta", "DecisionTree", "DecisionList", "DNF",
                     "CNF", "Halfspace", "ReLUNetwork", "LookupTable"], "classes"),
    **dict.fromkeys(["distill_tree", "TreeDistillation"], "distill"),
    **dict.fromkeys(["distill_junta", "JuntaDistillation"], "reductions.query_junta"),
    **dict.fromkeys(["ReductionWeb", "Route", "Status", "default_web"], "web"),
}, ("bounds", "checkers", "classes", "cube", "distill", "distributions", "reductions", "web",
    "_io", "_record", "_validation", "_web"))

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "bounds",
    "checkers",
    "classes",
    "cube",
    "distributions",
    "errors",
    "CLASSES",
    "Model",
    "ModelClass",
    "model_from_dict",
    "model_from_json",
    "Conjunction",
    "Parity",
    "Junta",
    "DecisionTree",
    "DecisionList",
    "DNF",
    "CNF",
    "Halfspace",
    "ReLUNetwork",
    "LookupTable",
    "distill_junta",
    "JuntaDistillation",
    "distill",
    "distill_tree",
    "TreeDistillation",
    "web",
    "ReductionWeb",
    "Route",
    "Status",
    "default_web",
]
