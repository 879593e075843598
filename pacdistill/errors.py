"""The exceptions pacdistill raises.

Every error the library raises derives from :class:`PacDistillError`, and each
subclass is also a subclass of the builtin it resembles (an invalid parameter is
also a :class:`ValueError`), so ``except ValueError`` keeps working for callers
who do not know this package.

Messages follow one format (see :func:`pacdistill._validation.param_error`):
they name the parameter, the function, the rule, the value, and the fix when
there is one.

Examples
--------
>>> try:
...     pd.cube.enumerate(-1)
... except pd.errors.InvalidParameterError as err:
...     print(err)
The 'd' parameter of cube.enumerate must be an integer >= 0. Got -1 instead.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PacDistillError",
    "InvalidParameterError",
    "InvalidCallError",
    "MissingValueError",
    "InvalidInputError",
    "InvalidModelError",
    "SerializationError",
    "TooLargeError",
    "UnknownNameError",
    "IncompatibleReductionError",
    "NoRouteError",
    "UnsafeExpressionError",
    "ExpressionSyntaxError",
    "PromiseViolation",
    "GuaranteeViolation",
    "ContradictionError",
]


class PacDistillError(Exception):
    """The root of every error pacdistill raises."""


class InvalidParameterError(PacDistillError, ValueError):
    """A function was called with an argument outside its documented domain
    (a negative dimension, eps outside (0, 1), an unknown option value...)."""


class InvalidCallError(InvalidParameterError, TypeError):
    """A function was called with a required keyword argument missing or an
    unknown one given (a reduction without its ``k``, ``CLASSES[...].random``
    without a size). Like Python's own error for a bad call it is also a
    TypeError; the message lists the accepted arguments."""


class MissingValueError(InvalidParameterError):
    """A formula needs a value that was not given (a catalog bound's ``log_size``
    or VC dimension, the constant ``C`` of an order bound, a class parameter).

    Attributes
    ----------
    names : tuple of str
        The names of the missing values, as the formula spells them.
    """

    def __init__(self, message: str, *, names: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.names = tuple(names)


class InvalidInputError(PacDistillError, ValueError):
    """Data given to a model or an algorithm has the wrong shape, dtype or values
    (a point not in {-1, +1}^d, a row of the wrong width, NaN activations...)."""


class InvalidModelError(PacDistillError, ValueError):
    """A model's parameters are inconsistent: a literal on a variable out of range,
    a repeated variable on a tree path, a table whose size disagrees with the
    parameters, NaN or infinite weights..."""


class SerializationError(InvalidModelError):
    """A JSON document or a weight file could not be turned into a model: it is
    malformed, truncated, of an unknown version, or describes an invalid model."""


class TooLargeError(PacDistillError, ValueError):
    """An exhaustive routine was asked for a size past its documented limit
    (enumerating 2^d points for a large d, say). The message suggests the
    sampling alternative."""


class UnknownNameError(PacDistillError, LookupError):
    """A class, reduction, catalog entry or symbol name is unknown. The message
    lists the close matches."""

    def __str__(self) -> str:  # LookupError would quote the message like a key
        return str(self.args[0]) if self.args else ""


class IncompatibleReductionError(PacDistillError, TypeError):
    """Two reductions cannot be composed (THEORY §3): their classes do not meet,
    or step 1's output only approximates f so step 2's promise can fail."""


class NoRouteError(PacDistillError, LookupError):
    """The reduction web holds no composable route between two classes."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnsafeExpressionError(PacDistillError, ValueError):
    """A text expression uses something the safe parser does not allow: an
    unknown name, attribute access, a call of a non-whitelisted function, an
    exponent or size past the limits."""


class ExpressionSyntaxError(PacDistillError, ValueError):
    """A text expression is not well formed (unbalanced parentheses, a dangling
    operator...)."""


class PromiseViolation(PacDistillError, RuntimeError):
    """The promise a distiller relies on is false for the given model: it is not
    a k-junta, no consistent hypothesis exists on the sample, and so on.

    Attributes
    ----------
    witness : object
        The evidence: the variables, points or sample rows that show the promise
        is false. ``None`` when there is nothing more specific than the message.
    """

    def __init__(self, message: str, *, witness: Any = None) -> None:
        super().__init__(message)
        self.witness = witness


class GuaranteeViolation(PacDistillError, AssertionError):
    """A reduction did not deliver what its Guarantee declares (found by the
    conformance harness or by a final self-check).

    Attributes
    ----------
    counterexample : object
        Whatever reproduces the failure (a model, a distribution, a seed).
    """

    def __init__(self, message: str, *, counterexample: Any = None) -> None:
        super().__init__(message)
        self.counterexample = counterexample


class ContradictionError(PacDistillError, ValueError):
    """Adding an edge would make the reduction web claim both an efficient route
    and a barrier for the same pair under the same assumptions."""
