"""Lazy attributes of a package (PEP 562): a public name is imported from its
submodule on first use, so that ``import pacdistill`` (and the command line's
``--help``) does not pay for sympy, networkx or hypothesis until a name that
needs them is used.

A package calls :func:`attach` with the table of its public names and assigns
the two functions it returns to ``__getattr__`` and ``__dir__``::

    __getattr__, __dir__ = attach(__name__, {"Guarantee": "guarantee"}, ("symbols",))

``pkg.Guarantee`` then imports ``pkg.guarantee`` and caches the class in the
package's namespace; ``pkg.symbols`` imports the submodule. ``from pkg import
Guarantee`` goes through the same hook.

A name that is also its submodule's name (``pacdistill.bounds.catalog`` is the
mapping of :mod:`pacdistill.bounds.catalog`, ``compose`` the function of
:mod:`pacdistill.bounds.compose`) stays the object: when the import system
binds the submodule into the package (it does on any import of the
submodule, lazy or not), the binding is replaced by the object of that name.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["attach"]


class _Package(types.ModuleType):
    """A package module whose shadowed names stay objects, not submodules."""

    _shadowed: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: Any) -> None:
        if (name in self._shadowed and isinstance(value, types.ModuleType)
                and value.__name__ == f"{self.__name__}.{name}"):
            value = getattr(value, name)  # the submodule ran to the end: its object exists
        super().__setattr__(name, value)


def attach(package: str, exports: Mapping[str, str],
           submodules: Iterable[str] = ()) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to str
        Public name -> the submodule (relative to ``package``, dotted for a
        deeper one) that defines it.
    submodules : iterable of str
        Submodules reachable as attributes without an import statement.

    Returns
    -------
    (__getattr__, __dir__)
    """
    exports = dict(exports)
    submodules = frozenset(submodules)
    module = sys.modules[package]
    shadowed = frozenset(name for name, where in exports.items() if name == where)
    if shadowed:
        module.__class__ = type("_Package", (_Package,), {"_shadowed": shadowed,
                                                          "__module__": __name__})
        for name in shadowed:  # a binding made before this call
            if isinstance(module.__dict__.get(name), types.ModuleType):
                setattr(module, name, module.__dict__[name])

    def __getattr__(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(f"{package}.{exports[name]}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(module.__dict__) | set(exports) | submodules)

    return __getattr__, __dir__
