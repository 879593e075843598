"""pacdistill: the theory of model distillation, executable.

Model classes are nodes and reductions are edges of a networkx graph; every edge
carries an executable algorithm, a symbolic guarantee (sympy) and property-based
tests (hypothesis). See THEORY.md for the mathematical contract.

>>> import pacdistill as pd
>>> list(pd.CLASSES)[:2]
['conjunction', 'parity']
"""

from . import bounds, checkers, classes, cube, distill, distributions, errors, web
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
