"""Bad values given to the reduction web (pacdistill.web, pacdistill._web): each
is refused with a PacDistillError naming the parameter and the value, in the
library's one message format ("The 'seed' parameter of ReductionWeb.draw must
be ... Got 'x' instead."), never a bare exception from inside networkx,
matplotlib or numpy.

Each row raised a bare exception before its fix (session 8's robustness
audit, and the rows after it found probing the same entry points): an
AttributeError (from_registry(3), draw(ax=3)), networkx's ValueError (a spring
layout's seed), a TypeError (Route.values(3), to_dict(at=3), draw(kinds=3),
ReductionWeb(3), export(3), contradictions(max_steps=array)), or numpy's
"truth value of an array is ambiguous" ValueError (a flag given an array).
"""

import re

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.errors import InvalidParameterError, SerializationError

_WEB = pd.default_web()
_ROUTE = _WEB.routes("junta", "dnf")[0]  # junta -> decision_tree -> dnf


def _axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _draw(**options):
    return lambda: _WEB.draw(ax=options.pop("ax", None) or _axes(), **options)


_ARRAY = np.array([1, 2])

#: (id, call, error class, fragment of the message: the parameter, its function, the value)
CASES = [
    ("from_registry int", lambda: pd.ReductionWeb.from_registry(3), InvalidParameterError,
     "The 'registry' parameter of ReductionWeb.from_registry must be None or a mapping of "
     "edge names to Reductions (like REGISTRY). Got 3 instead."),
    ("from_registry value", lambda: pd.ReductionWeb.from_registry({"e": 3}),
     InvalidParameterError, "parameter of ReductionWeb.from_registry must be None or a "
     "mapping of edge names to Reductions (like REGISTRY). Got {'e': 3} instead."),
    ("init int", lambda: pd.ReductionWeb(3), InvalidParameterError,
     "The 'reductions' parameter of ReductionWeb must be an iterable of Reductions. Got 3"),
    ("init classes", lambda: pd.ReductionWeb(classes=3), InvalidParameterError,
     "The 'classes' parameter of ReductionWeb must be None or an iterable of class names"),
    ("init check", lambda: pd.ReductionWeb(check=_ARRAY), InvalidParameterError,
     "The 'check' parameter of ReductionWeb must be True or False. Got array([1, 2])"),
    ("separations array", lambda: _WEB.separations(max_steps=_ARRAY), InvalidParameterError,
     "The 'max_steps' parameter of separations must be an integer in [1, 8]. Got array([1, 2])"),
    ("open_pairs array", lambda: _WEB.open_pairs(max_steps=_ARRAY), InvalidParameterError,
     "The 'max_steps' parameter of open_pairs must be an integer in [1, 8]. Got array([1, 2])"),
    ("contradictions array", lambda: _WEB.contradictions(max_steps=_ARRAY),
     InvalidParameterError, "The 'max_steps' parameter of contradictions must be an integer "
     "in [1, 8]. Got array([1, 2])"),
    ("contradictions str", lambda: _WEB.contradictions(max_steps="x"), InvalidParameterError,
     "The 'max_steps' parameter of contradictions must be an integer in [1, 8]. Got 'x'"),
    ("routes efficient_only", lambda: _WEB.routes("junta", "dnf", efficient_only=_ARRAY),
     InvalidParameterError, "The 'efficient_only' parameter of routes must be True or False. "
     "Got array([1, 2])"),
    ("routes qualifying_only", lambda: _WEB.routes("junta", "dnf", qualifying_only=_ARRAY),
     InvalidParameterError, "The 'qualifying_only' parameter of routes must be True or "
     "False. Got array([1, 2])"),
    ("export int", lambda: _WEB.export(3), SerializationError,
     "ReductionWeb.export needs a file path (a str or os.PathLike). Got int 3"),
    ("Route.values int", lambda: _ROUTE.values(3), InvalidParameterError,
     "The 'at' parameter of Route.values must be a mapping of symbol names to numbers, "
     "e.g. {'d': 100, 'eps': 0.01}. Got 3 instead."),
    ("Route.to_dict int", lambda: _ROUTE.to_dict(at=3), InvalidParameterError,
     "The 'at' parameter of Route.to_dict must be a mapping of symbol names to numbers"),
    ("Route.values list", lambda: _ROUTE.values([("d", 3)]), InvalidParameterError,
     "The 'at' parameter of Route.values must be a mapping of symbol names to numbers, "
     "e.g. {'d': 100, 'eps': 0.01}. Got [('d', 3)] instead."),
    ("draw seed str", _draw(layout="spring", seed="x"), InvalidParameterError,
     "The 'seed' parameter of ReductionWeb.draw must be an integer in [0, 4294967295]. "
     "Got 'x' instead."),
    ("draw seed negative", _draw(layout="spring", seed=-1), InvalidParameterError,
     "The 'seed' parameter of ReductionWeb.draw must be an integer in [0, 4294967295]. "
     "Got -1 instead."),
    ("draw seed float", _draw(layout="spring", seed=1.5), InvalidParameterError,
     "The 'seed' parameter of ReductionWeb.draw must be an integer in [0, 4294967295]. "
     "Got 1.5 instead."),
    ("draw seed huge", _draw(layout="spring", seed=2**70), InvalidParameterError,
     f"The 'seed' parameter of ReductionWeb.draw must be an integer in [0, 4294967295]. "
     f"Got {2**70} instead."),
    ("draw ax int", lambda: _WEB.draw(ax=3), InvalidParameterError,
     "The 'ax' parameter of ReductionWeb.draw must be None or a matplotlib Axes. Got 3"),
    ("draw kinds int", _draw(kinds=3), InvalidParameterError,
     "The 'kinds' parameter of ReductionWeb.draw must be None or a tuple of edge kinds "
     "('exact', 'perfect', 'agnostic', 'barrier'). Got 3 instead."),
    ("draw kinds bytes", _draw(kinds=(b"x",)), InvalidParameterError,
     "The 'kinds' parameter of ReductionWeb.draw must be one of 'exact', 'perfect', "
     "'agnostic', 'barrier'. Got b'x' instead."),
    ("draw collapse", _draw(collapse=_ARRAY), InvalidParameterError,
     "The 'collapse' parameter of ReductionWeb.draw must be True or False. Got array([1, 2])"),
    ("draw labels", _draw(labels=_ARRAY), InvalidParameterError,
     "The 'labels' parameter of ReductionWeb.draw must be True or False. Got array([1, 2])"),
]


@pytest.mark.parametrize(("call", "error", "fragment"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_value_is_refused_with_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        call()


def test_good_values_still_work():
    """The checks refuse only what is wrong: the values they let through draw,
    evaluate and build as before."""
    ax = _WEB.draw(ax=_axes(), layout="spring", seed=2**32 - 1, kinds=["exact"],
                   collapse=np.True_, labels=False)
    assert ax.get_title() == "pacdistill reduction web"
    assert _ROUTE.values({"d": 10, "k": 3})["time"] == 136.0
    assert _ROUTE.to_dict(at={"d": 10, "k": 3})["values"]["time"] == 136.0
    assert _ROUTE.to_dict()["values"] is None
    assert pd.ReductionWeb.from_registry({}).reductions == {}
    assert _WEB.contradictions(max_steps=np.int64(4)) == []
