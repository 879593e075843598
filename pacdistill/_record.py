"""The versioned JSON form shared by models and distributions (private).

A record serialises to ``{TAG_KEY: tag, "version": FORMAT_VERSION, **payload}``
(``{"class": "junta", ...}`` for a model, ``{"distribution": "uniform", ...}``
for a distribution), rebuilds from it with full validation, and has value
semantics: two records are equal when their JSON forms are, and hash alike.

A subclass sets ``TAG_KEY``, names the class attribute holding its tag in
``TAG_ATTR`` (``class_name``, ``kind``), lists in ``INVALID_CONTENT`` the errors
its constructor raises for a well-formed but invalid payload (reported as "Invalid
... in JSON") and implements ``_payload`` / ``_from_payload``.
"""

from __future__ import annotations

import json
import numbers
from collections.abc import Mapping
from typing import Any, ClassVar

from ._validation import check_bool, param_error, show
from .errors import SerializationError

__all__ = ["FORMAT_VERSION", "VersionedRecord", "is_format_version", "is_tagged"]

#: version of the JSON formats (models and distributions)
FORMAT_VERSION = 1


def is_format_version(value: Any, expected: int = FORMAT_VERSION) -> bool:
    """Whether a document's ``"version"`` is the integer ``expected`` (default
    :data:`FORMAT_VERSION`): ``1``, not ``1.0`` or ``True``, as a size ``4.0`` is
    refused where an integer is expected.

    >>> is_format_version(1), is_format_version(1.0), is_format_version(True)
    (True, False, False)
    """
    return (isinstance(value, numbers.Integral) and not isinstance(value, bool)
            and value == expected)


def is_tagged(data: Any, tag: str, key: str = "type") -> bool:
    """Whether ``data`` is a JSON object whose ``key`` holds the string ``tag``
    (a document of that type). The value must be a str before it is compared:
    an array's ``==`` is elementwise and has no truth value.

    >>> is_tagged({"type": "Guarantee"}, "Guarantee"), is_tagged([], "Guarantee")
    (True, False)
    """
    return isinstance(data, Mapping) and isinstance(data.get(key), str) and data[key] == tag

#: what a malformed payload makes ``_from_payload`` raise (beyond the subclass's own)
_MALFORMED = (KeyError, TypeError, ValueError, IndexError, OverflowError, RecursionError)


class VersionedRecord:
    """Mixin: ``to_dict`` / ``to_json`` / ``from_dict``, ``==`` and ``hash``."""

    TAG_KEY: ClassVar[str] = ""
    TAG_ATTR: ClassVar[str] = ""
    INVALID_CONTENT: ClassVar[tuple[type[Exception], ...]] = ()

    # -- what a subclass provides ----------------------------------------------
    def _payload(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- the shared form -------------------------------------------------------
    @classmethod
    def _tag(cls) -> str:
        return str(getattr(cls, cls.TAG_ATTR))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict ``{tag key: tag, "version": 1, ...}``."""
        return {self.TAG_KEY: self._tag(), "version": FORMAT_VERSION, **self._payload()}

    def to_json(self, **kwargs: Any) -> str:
        """``json.dumps(self.to_dict(), **kwargs)``, for the layout options of
        :func:`json.dumps` only: ``indent`` (None, an int in [0, 64] or a str of at
        most 64 characters), ``separators`` (None or a pair of str), ``sort_keys``
        and ``ensure_ascii`` (True or False). Anything else raises
        InvalidParameterError: the text must stay a document ``from_json`` reads.
        """
        return json.dumps(self.to_dict(), **_json_layout(kwargs, f"{type(self).__name__}.to_json"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any:
        """Rebuild an object of this type from :meth:`to_dict` output, validating it.

        Raises
        ------
        SerializationError
            When ``data`` is not a dict of this type and version, misses or
            mistypes a field, or describes an invalid object.
        """
        if not isinstance(data, Mapping):
            raise SerializationError(
                f"{cls.__name__}.from_dict expects a dict (the output of to_dict). "
                f"Got {type(data).__name__} instead."
            )
        if not is_tagged(data, cls._tag(), cls.TAG_KEY):
            raise SerializationError(
                f"{cls.__name__}.from_dict expects {cls.TAG_KEY!r}: {cls._tag()!r}. "
                f"Got {show(data.get(cls.TAG_KEY))} instead."
            )
        version = data.get("version")
        if not is_format_version(version):
            raise SerializationError(
                f"{cls.__name__}.from_dict supports format version {FORMAT_VERSION} (the "
                f"integer). Got version {show(version)} instead."
            )
        try:
            return cls._from_payload(data)
        except SerializationError:
            raise
        except cls.INVALID_CONTENT as err:
            raise SerializationError(f"Invalid {cls.__name__} in JSON: {err}") from err
        except _MALFORMED as err:
            raise SerializationError(
                f"Malformed {cls.__name__} JSON ({type(err).__name__}: {err})."
            ) from err

    # -- value semantics -------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        # hash what == compares, the dict form (not its JSON text, where the equal
        # numbers -0.0 and 0.0, or 1 and 1.0, are written differently)
        return hash(_frozen(self.to_dict()))


def _frozen(value: Any) -> Any:
    """A hashable form of a JSON-like value, equal exactly when the values are."""
    if isinstance(value, dict):
        return frozenset((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


#: the json.dumps options Record.to_json takes (layout only)
_JSON_LAYOUT = ("indent", "separators", "sort_keys", "ensure_ascii")


def _json_layout(options: Mapping[str, Any], func: str) -> dict[str, Any]:
    """``options`` checked as :meth:`Record.to_json` documents (a huge indent
    would write gigabytes of spaces; an array's truth value is ambiguous)."""
    out: dict[str, Any] = {}
    for name, value in options.items():
        if name not in _JSON_LAYOUT:
            raise param_error("kwargs", func, "layout options of json.dumps only (one of "
                              + ", ".join(map(repr, _JSON_LAYOUT)) + ")", name)
        if name == "indent" and value is not None and not (
                isinstance(value, str) and len(value) <= 64):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
                    or not 0 <= value <= 64:
                raise param_error("indent", func, "None, an integer in [0, 64] or a string "
                                  "of at most 64 characters", value)
            value = int(value)
        elif name == "separators" and value is not None and not (
                isinstance(value, tuple | list) and len(value) == 2
                and all(isinstance(part, str) for part in value)):
            raise param_error("separators", func, "None or a pair of strings such as "
                              "(',', ': ')", value)
        elif name in ("sort_keys", "ensure_ascii"):
            value = check_bool(value, name, func)
        out[name] = value
    return out

