"""Public hypothesis strategies for every model class (STYLE 14).

Each strategy is a function with a plural name and keyword-only ``min_*`` /
``max_*`` bounds that returns a :class:`hypothesis.strategies.SearchStrategy`;
sizes are drawn first, then content (``@st.composite``). Each is registered with
:func:`hypothesis.strategies.register_type_strategy`, so
``st.from_type(pd.DecisionTree)`` works, and :func:`for_class` dispatches on the
class names of ``pd.CLASSES``.

Layout for contributors: one section per class; each section ends by adding its
strategy to ``_BY_CLASS`` (class name -> strategy function) and registering it
for its model type; add the public name to ``__all__``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from .._validation import unknown_name

__all__ = [
    "for_class",
]

#: class name (a key of ``pd.CLASSES``) -> strategy function; filled per section below.
_BY_CLASS: dict[str, Callable[..., st.SearchStrategy]] = {}


def for_class(name: str, **bounds: Any) -> st.SearchStrategy:
    """The strategy for the class ``name`` of ``pd.CLASSES``, with its bounds.

    Raises
    ------
    UnknownNameError
        When no strategy is registered under ``name``.
    """
    if name not in _BY_CLASS:
        raise unknown_name("class with a strategy", name, list(_BY_CLASS))
    return _BY_CLASS[name](**bounds)
