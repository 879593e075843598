"""The safe expression parser: the only path from text to sympy (DESIGN, "Safe parsing").

``sympify``, ``parse_expr`` and ``eval`` execute code hidden in a string; this
module never calls them. It is a hand-written tokenizer plus a Pratt
(precedence-climbing) parser that builds sympy objects directly from a whitelist.
A hand-written parser rather than a walk over ``ast.parse``: Python's grammar is
not the grammar of bounds (``^`` is XOR there, with a precedence below ``+``;
there is no ``->`` for limits), and owning the tokenizer lets every limit (text
length, token count, nesting depth, size of every constant) be checked before
any object is built.

Grammar
-------
::

    claim      := relation [ "as" NAME "->" point ]          (parse_claim only)
    relation   := sum { cmp sum }                           chained: a < b < c
    cmp        := "<" | "<=" | ">" | ">=" | "==" | "=" | "!="
    sum        := product { ("+" | "-") product }
    product    := unary { ("*" | "/") unary }
    unary      := ("+" | "-") unary | power
    power      := atom [ ("**" | "^") unary ]               right-associative
    atom       := NUMBER | NAME | NAME "(" args ")" | "(" sum ")"
    point      := ["+" | "-"] (NUMBER | "oo" | "inf") ["+" | "-"]

- ``^`` and ``**`` both mean power; ``-x^2`` is ``-(x^2)`` and ``2^-3`` is
  ``2^(-3)``, as in Python. There is no implicit multiplication (``2 eps`` is an
  error; write ``2*eps``). ``=`` is a synonym of ``==``.
- Numbers: ``3``, ``0.05``, ``.5``, ``1e-12``. Decimals become exact rationals
  (``0.01`` is 1/100), so checks are not disturbed by binary rounding.
- Names: the shared symbols of :mod:`pacdistill.bounds.symbols` (``d``, ``eps``,
  ``delta``, ``log_size``...), the per-step names a composed guarantee uses
  (``eps_2``, ``delta_1``, a step's own size ``k_2``: THEORY §3, see
  :func:`pacdistill.bounds.symbols.step_symbol`), ``OPT_<class>`` (for example
  ``OPT_decision_tree``), the constants ``pi`` and ``E`` (Euler's number; a lower
  case ``e`` is refused as ambiguous: write ``E`` or ``exp(1)``).
- Functions: ``log(x)`` (natural), ``log(x, b)`` (base b), ``ln``, ``log2``,
  ``log10``, ``exp``, ``sqrt``, ``ceiling``/``ceil``, ``floor``,
  ``binomial(n, k)``, ``factorial``, ``catalan`` (the Catalan numbers),
  ``Max``/``max``, ``Min``/``min``, ``Abs``/``abs``; and the asymptotic markers
  ``O``, ``o``, ``Omega``, ``Theta``, allowed only as the whole right side of
  ``f = O(g)`` (see :func:`pacdistill.bounds.check`).
- Comparisons build unevaluated sympy relations (what was typed is kept); a
  chain ``0 < eps < 1`` becomes ``And(0 < eps, eps < 1)``.

Limits (all checked before sympy builds anything): at most
:data:`MAX_TEXT` characters, :data:`MAX_TOKENS` tokens, nesting depth
:data:`MAX_DEPTH`; every constant sub-expression must be a finite real number
of magnitude within 10**±:data:`MAX_MAGNITUDE` (so ``10**10**10`` is refused
before it is computed), an integer power of an exact rational may hold at most
:data:`MAX_EXACT_BITS` bits, a non-integer power of a rational needs both
numerator and denominator below 10**100, and a power of an expression with
symbols takes a constant exponent of at most :data:`MAX_SYMBOLIC_EXPONENT` in
absolute value (sympy would build a dense polynomial of that degree), also when
a product adds exponents up (``d**999*d**999``). floor, ceiling, Abs, Max and
Min of arguments past a structural degree of 8 (:func:`degree_estimate`) or
(Max, Min) more than 8 arguments, and every such call once a text has spent a
small budget on them, are kept unevaluated: sympy's simplification of them
factors polynomials and compares every pair of arguments
(``ceiling((d+1)**999)`` would take hours). Numbers
are ASCII digits only: a fullwidth or Arabic-Indic digit, like any other
non-ASCII character, is refused with its Unicode name.

Errors: :class:`~pacdistill.errors.UnsafeExpressionError` for anything not on
the whitelist or past a limit (unknown names, with close matches; attribute
access; subscripts; strings; lambda and other Python keywords; keyword
arguments) and for undefined sub-expressions (``d/0``, ``(d - d)/(d - d)``,
``log(0*d)``, a constant log base that is not positive or is 1: sympy would
turn them into ``zoo`` or ``nan``),
:class:`~pacdistill.errors.ExpressionSyntaxError` for malformed text
(empty text, unbalanced parentheses, dangling operators, a missing operator).

Examples
--------
>>> pd.bounds.parse("log(2/delta)/eps^2")
log(2/delta)/eps**2
>>> pd.bounds.parse("0 < eps < 1")
(0 < eps) & (eps < 1)
>>> pd.bounds.parse("__import__('os')")
Traceback (most recent call last):
...
pacdistill.errors.UnsafeExpressionError: Strings are not allowed in an expression ...
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy

from .._validation import close_matches_message
from ..errors import ExpressionSyntaxError, UnsafeExpressionError
from . import _numeric
from .symbols import OPT, SYMBOLS, step_symbol

__all__ = [
    "MAX_TEXT",
    "MAX_TOKENS",
    "MAX_DEPTH",
    "MAX_MAGNITUDE",
    "MAX_EXACT_BITS",
    "MAX_SYMBOLIC_EXPONENT",
    "MAX_SYMBOLIC_DEGREE",
    "huge_degree",
    "degree_estimate",
    "symbolically_costly",
    "Asymptotic",
    "BigO",
    "LittleO",
    "BigOmega",
    "BigTheta",
    "Limit",
    "parse",
    "parse_assumptions",
    "parse_claim",
    "parse_limit",
]

#: longest accepted text, in characters
MAX_TEXT = 2000
#: most tokens in one text
MAX_TOKENS = 1000
#: deepest nesting of parentheses, calls, powers and signs
MAX_DEPTH = 60
#: constants must satisfy 10**-MAX_MAGNITUDE <= |c| <= 10**MAX_MAGNITUDE (or be 0)
MAX_MAGNITUDE = 1000
#: most bits in an exact rational power p/q ** n (bits of p and q times |n|)
MAX_EXACT_BITS = 100_000
#: largest constant exponent (in absolute value) of a power whose base has symbols
MAX_SYMBOLIC_EXPONENT = 1000

_SHADOW_DPS = 30  # precision of the constant-size shadow computation

#: Numeric exponents of non-constant bases beyond this are kept away from sympy's
#: assumption and limit machinery, which builds dense polynomials of that degree
#: and factors them or finds their real roots (measured: the sign of d^100 - d^99
#: takes 2.4 s, of d^200 - d^199 12 s, of d^60 - d^59 0.2 s); such claims go to
#: the numeric search, which is guarded.
MAX_SYMBOLIC_DEGREE = 64


def huge_degree(expr: sympy.Basic) -> bool:
    """Whether ``expr`` raises a non-constant base to a numeric power past
    :data:`MAX_SYMBOLIC_DEGREE` in absolute value (or one that cannot be sized)."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_number and node.base.free_symbols:
            try:
                if not abs(complex(node.exp.evalf(15))) <= MAX_SYMBOLIC_DEGREE:
                    return True
            except (TypeError, ValueError, ArithmeticError):
                return True
    return False


# --- asymptotic markers --------------------------------------------------------

class Asymptotic(sympy.Function):
    """Base of the asymptotic markers O, o, Omega, Theta (one argument, never
    evaluated). They appear only as the right side of ``Eq(f, O(g))``; the
    checker decides such claims by a limit of f/g (THEORY §4's order bounds)."""

    nargs = 1
    _label = "?"
    _latex_label = "?"

    def _sympystr(self, printer: Any) -> str:
        return f"{self._label}({printer._print(self.args[0])})"

    def _latex(self, printer: Any) -> str:
        return rf"{self._latex_label}\left({printer._print(self.args[0])}\right)"


class BigO(Asymptotic):
    """f = O(g): |f/g| stays bounded in the limit."""

    _label, _latex_label = "O", "O"


class LittleO(Asymptotic):
    """f = o(g): f/g tends to 0 in the limit."""

    _label, _latex_label = "o", "o"


class BigOmega(Asymptotic):
    """f = Omega(g): |f/g| stays bounded away from 0 in the limit."""

    _label, _latex_label = "Omega", r"\Omega"


class BigTheta(Asymptotic):
    """f = Theta(g): both O(g) and Omega(g)."""

    _label, _latex_label = "Theta", r"\Theta"


_MARKERS: dict[str, type[Asymptotic]] = {
    "O": BigO, "o": LittleO, "Omega": BigOmega, "Theta": BigTheta,
}


@dataclass(frozen=True)
class Limit:
    """The limit of an asymptotic claim: ``symbol -> point`` from ``direction``.

    ``point`` is a sympy number or ``sympy.oo``; ``direction`` is ``"+"`` (from
    above) or ``"-"`` (from below), ignored for infinite points.
    """

    symbol: sympy.Symbol
    point: sympy.Expr
    direction: str = "+"

    def __str__(self) -> str:
        arrow = f"{self.symbol} -> {self.point}"
        return arrow if self.point.is_infinite else arrow + self.direction


# --- tokens --------------------------------------------------------------------

@dataclass(frozen=True)
class _Tok:
    kind: str  # NUM NAME OP LPAR RPAR COMMA ARROW END
    text: str
    pos: int


_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPS = ("**", "<=", ">=", "==", "!=", "->", "^", "*", "/", "+", "-", "<", ">", "=")
_FORBIDDEN = {
    ".": "Attribute access ('.') is not allowed",
    "'": "Strings are not allowed in an expression",
    '"': "Strings are not allowed in an expression",
    "[": "Subscripts ('[') are not allowed",
    "]": "Subscripts (']') are not allowed",
    "{": "Braces are not allowed",
    "}": "Braces are not allowed",
    ":": "':' is not allowed (no lambdas, slices or annotations)",
    ";": "';' is not allowed (one expression only)",
    "%": "'%' is not supported",
    "@": "'@' is not supported",
    "&": "'&' is not supported (give assumptions as a comma-separated list)",
    "|": "'|' is not supported",
    "~": "'~' is not supported",
    "!": "'!' is not supported (write factorial(n))",
    "#": "Comments ('#') are not allowed",
    "\\": "Backslashes are not allowed",
    "`": "Backticks are not allowed",
    "$": "'$' is not allowed",
    "?": "'?' is not allowed",
}


_DIGITS = frozenset("0123456789")

#: characters that look like (or typeset) something the grammar spells in ASCII
_LOOKALIKES = {
    "\u2264": "write <=", "\u2265": "write >=", "\u2260": "write !=", "\u2212": "write -",
    "\u2013": "write -", "\u00d7": "write *", "\u22c5": "write *", "\u00b7": "write *",
    "\u2217": "write *", "\u00f7": "write /", "\u2215": "write /", "\u221e": "write oo",
    "\u2192": "write ->", "\u03b5": "write eps", "\u03f5": "write eps",
    "\u03b4": "write delta", "\u221a": "write sqrt(...)", "\u00b2": "write ^2",
    "\u00b3": "write ^3", "\u00a0": "write a plain space", "\u200b": "remove it",
    "\ufeff": "remove it",
}


def _lookalike(ch: str) -> str:
    """' (NAME): write ...' for a non-ASCII character, naming it and the ASCII
    spelling it may stand for (a fullwidth digit, a Cyrillic letter that looks
    Latin, a typeset operator): the grammar is ASCII only, and a look-alike is
    never read as the character it resembles."""
    if ch.isascii():
        return ""
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    hint = _LOOKALIKES.get(ch)
    if hint is None:
        plain = unicodedata.normalize("NFKC", ch)  # fullwidth 3 -> 3
        hint = f"write {plain}" if plain != ch and plain.isascii() and plain.strip() else ""
    return f" ({name}: expressions are ASCII only{'; ' + hint if hint else ''})"


def _where(text: str, pos: int) -> str:
    """'at position 7 (near '...')' for an error message."""
    lo = max(0, pos - 10)
    snippet = text[lo:pos + 10].replace("\n", " ")
    return f"at position {pos} (near {snippet!r})"


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if len(toks) >= MAX_TOKENS:
            raise UnsafeExpressionError(
                f"The expression has more than {MAX_TOKENS} tokens; at most {MAX_TOKENS} "
                "are allowed."
            )
        m = _NUMBER.match(text, i)
        if m and (ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS)):
            end = m.end()
            if end < n and (text[end].isalpha() or text[end] == "_"):
                raise ExpressionSyntaxError(
                    f"Missing operator between the number {m.group(0)!r} and "
                    f"{text[end]!r} {_where(text, end)}: write '*' for a product, "
                    "e.g. 2*eps."
                )
            if end < n and text[end] == ".":
                raise UnsafeExpressionError(
                    f"Attribute access ('.') is not allowed {_where(text, end)}."
                )
            toks.append(_Tok("NUM", m.group(0), i))
            i = end
            continue
        m = _NAME.match(text, i)
        if m:
            if keyword.iskeyword(m.group(0)) and m.group(0) != "as":
                raise UnsafeExpressionError(
                    f"The Python keyword {m.group(0)!r} is not allowed {_where(text, i)}: "
                    "the parser reads arithmetic expressions only."
                )
            toks.append(_Tok("NAME", m.group(0), i))
            i = m.end()
            continue
        if ch == "(":
            toks.append(_Tok("LPAR", ch, i))
            i += 1
            continue
        if ch == ")":
            toks.append(_Tok("RPAR", ch, i))
            i += 1
            continue
        if ch == ",":
            toks.append(_Tok("COMMA", ch, i))
            i += 1
            continue
        if text.startswith("//", i):
            raise UnsafeExpressionError(
                f"'//' is not supported {_where(text, i)}; write floor(a/b)."
            )
        for op in _OPS:
            if text.startswith(op, i):
                toks.append(_Tok("ARROW" if op == "->" else "OP", op, i))
                i += len(op)
                break
        else:
            reason = _FORBIDDEN.get(ch)
            if reason is None:
                reason = f"The character {ch!r} is not allowed" + _lookalike(ch)
            raise UnsafeExpressionError(f"{reason} {_where(text, i)}.")
    toks.append(_Tok("END", "", n))
    return toks


# --- values: a sympy expression plus a guarded numeric shadow for constants ----

@dataclass(frozen=True)
class _Val:
    expr: Any
    approx: Any = None  # mpmath value when the expression is a constant
    marker: bool = False  # an O/o/Omega/Theta call

    @property
    def is_const(self) -> bool:
        return self.approx is not None


_CMP: dict[str, Callable[..., Any]] = {
    "<": sympy.StrictLessThan,
    "<=": sympy.LessThan,
    ">": sympy.StrictGreaterThan,
    ">=": sympy.GreaterThan,
    "==": sympy.Eq,
    "=": sympy.Eq,
    "!=": sympy.Ne,
}

_CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "E": sympy.E}

# name -> (canonical name of the guarded numeric operation, min args, max args)
_FUNCTIONS: dict[str, tuple[str, int, int]] = {
    "log": ("log", 1, 2),
    "ln": ("log", 1, 1),
    "log2": ("log2", 1, 1),
    "log10": ("log10", 1, 1),
    "exp": ("exp", 1, 1),
    "sqrt": ("sqrt", 1, 1),
    "ceiling": ("ceiling", 1, 1),
    "ceil": ("ceiling", 1, 1),
    "floor": ("floor", 1, 1),
    "binomial": ("binomial", 2, 2),
    "factorial": ("factorial", 1, 1),
    "catalan": ("catalan", 1, 1),
    "Max": ("Max", 1, 64),
    "max": ("Max", 1, 64),
    "Min": ("Min", 1, 64),
    "min": ("Min", 1, 64),
    "Abs": ("Abs", 1, 1),
    "abs": ("Abs", 1, 1),
}

_SYMPY_BUILDERS: dict[str, Callable[..., Any]] = {
    "log": sympy.log,
    "exp": sympy.exp,
    "sqrt": sympy.sqrt,
    "ceiling": sympy.ceiling,
    "floor": sympy.floor,
    "binomial": sympy.binomial,
    "factorial": sympy.factorial,
    "catalan": sympy.catalan,
    "Max": sympy.Max,
    "Min": sympy.Min,
    "Abs": sympy.Abs,
}

#: functions whose sympy constructors query the assumptions of their arguments;
#: sympy answers such a query about a polynomial by factoring it or isolating its
#: real roots, so the cost grows fast with the degree (ceiling((d+1)**200) takes
#: 2 s, ceiling((d+1)**999) hours) and, for Max and Min, with the number of
#: arguments (their pairs are compared: Max of 64 powers of (d + i), 20 s)
_ASKING_FUNCTIONS = frozenset({"floor", "ceiling", "Abs", "Max", "Min"})
#: past this structural degree (see :func:`degree_estimate`) of an argument, or
#: this many arguments with symbols, such a function is built unevaluated
_ASKING_MAX_DEGREE = 8
_ASKING_MAX_ARGS = 8
#: total cost (see _asking_cost, summed over the evaluated calls of one text)
#: past which every further such call is built unevaluated
#: (measured: Abs((eps - 5)**8 - 3), cost 512, takes about 30 ms)
_ASKING_BUDGET = 1024


def degree_estimate(expr: sympy.Basic, cap: int = 10**6) -> int:
    """An upper estimate of the polynomial degree sympy meets when it asks about
    ``expr``: symbols 1, constants 0, a sum its largest term, a product the sum of
    its factors, an integer power the base's degree times the exponent, another
    function its largest argument (capped at ``cap``).

    >>> from pacdistill.bounds.symbols import d, k
    >>> degree_estimate((d + 1)**16 * (k + 2)**16), degree_estimate(sympy.log(d**3))
    (32, 3)
    """
    if expr.is_Symbol:
        return 1
    if not expr.free_symbols:
        return 0
    args = [degree_estimate(a, cap) for a in expr.args]
    if expr.is_Mul:
        return min(cap, sum(args))
    if expr.is_Pow:
        expo = expr.exp
        if expo.is_Number and expr.base.free_symbols:
            return min(cap, args[0] * max(1, int(min(abs(expo), cap))))
        return min(cap, max(args))
    return min(cap, max(args))


def symbolically_costly(expr: sympy.Basic) -> bool:
    """Whether ``expr`` holds a power past :data:`MAX_SYMBOLIC_DEGREE`, or floor,
    ceiling, Abs, Max or Min calls past the parser's limits for evaluating them
    (one past the per-call limits, or all of them together past the budget; see
    ``_ASKING_MAX_DEGREE``): the checker's symbolic steps leave such claims to the
    numeric search, since sympy would spend minutes simplifying them."""
    if huge_degree(expr):
        return True
    names = {sympy.floor: "floor", sympy.ceiling: "ceiling", sympy.Abs: "Abs",
             sympy.Max: "Max", sympy.Min: "Min"}
    spent = 0
    for node in sympy.preorder_traversal(expr):
        name = names.get(node.func)
        if name is not None:
            cost = _asking_cost(name, node.args)
            if cost is None:
                return True
            spent += cost
    return spent > _ASKING_BUDGET


def _asking_cost(name: str, args: Any) -> int | None:
    """The cost of evaluating ``name(*args)``: the arguments' largest degree cubed,
    times the number of arguments with symbols, times the number of arguments
    (pairs compared); 0 without symbols (numbers compare quickly); None when past
    the per-call limits."""
    symbolic = [a for a in args if a.free_symbols]
    if not symbolic:
        return 0
    degree = max(degree_estimate(a) for a in symbolic)
    if degree > _ASKING_MAX_DEGREE or len(symbolic) > _ASKING_MAX_ARGS:
        return None
    return max(1, degree) ** 3 * len(symbolic) * len(args)


_OPT_NAME = re.compile(r"^OPT_[A-Za-z][A-Za-z0-9_]*$")
_MAX_NAME = 100


def _known_names() -> list[str]:
    return sorted([*SYMBOLS, *_CONSTANTS, *_FUNCTIONS, *_MARKERS])


def _named_symbol(name: str) -> sympy.Symbol | None:
    """The shared or per-step symbol called ``name`` (``eps``, ``eps_2``, ``k_3``),
    or None."""
    return SYMBOLS.get(name) or step_symbol(name)


_OTHER_NAMES = (" Per-step names (eps_2, delta_1, k_2) and OPT_<class> names "
                "(e.g. OPT_decision_tree) are allowed too.")


#: values sympy produces for undefined operations (d/0 is zoo*d, (d-d)/(d-d) is nan)
_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
_UNDEFINED_TYPES = tuple(type(u) for u in _UNDEFINED)


def _operand(expr: Any) -> str:
    """``expr`` printed as an operand: parenthesised unless it is an atom or a call."""
    text = sympy.sstr(expr)
    return text if expr.is_Atom or expr.is_Function else f"({text})"


def _show_op(op: str, tok: _Tok, args: list[_Val]) -> str:
    """The sub-expression an operation builds, for an error message (``d/0``)."""
    parts = [a.expr for a in args]
    typed = tok.text if tok.kind == "OP" else ""
    if typed == "-" and op == "*":  # a negation, built as (-1)*b
        return f"-{_operand(parts[-1])}"
    if typed == "-" and op == "+":  # a - b, built as a + (-b)
        return f"{_operand(parts[0])} - {_operand(-parts[1])}"
    if typed in ("+", "*", "/") and len(parts) == 2:
        sep = " + " if typed == "+" else typed
        return f"{_operand(parts[0])}{sep}{_operand(parts[1])}"
    name = tok.text if tok.kind == "NAME" else op
    return f"{name}({', '.join(sympy.sstr(p) for p in parts)})"


_WHY_UNDEFINED = {
    sympy.zoo: "complex infinity: a division by zero, or a pole such as log(0)",
    sympy.nan: "not a number: an indeterminate form such as 0/0",
    sympy.oo: "an infinity",
    -sympy.oo: "an infinity",
}


def _check_defined(result: Any) -> Any:
    """Refuse a parse result holding an undefined value anywhere (each operation is
    checked as it is built; this whole-result check is the guarantee)."""
    if result.has(*_UNDEFINED):
        found = [a for a in _UNDEFINED if result.has(a)]
        raise UnsafeExpressionError(
            f"The expression is undefined: sympy evaluates part of it to "
            f"{sympy.sstr(found[0])} ({_WHY_UNDEFINED[found[0]]}). Got {sympy.sstr(result)}."
        )
    return result


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.ctx = _numeric.real_context(_SHADOW_DPS)
        self.asking_spent = 0  # see _ASKING_BUDGET

    # token helpers
    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def advance(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def where(self, tok: _Tok | None = None) -> str:
        tok = tok or self.tok
        if tok.kind == "END":
            return "at the end of the text"
        return _where(self.text, tok.pos)

    def syntax(self, message: str, tok: _Tok | None = None) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(f"{message} {self.where(tok)}.")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise UnsafeExpressionError(
                f"The expression is nested more than {MAX_DEPTH} levels deep "
                f"{self.where()}; at most {MAX_DEPTH} are allowed."
            )

    # --- relations ---------------------------------------------------------

    def relation(self) -> Any:
        first = self.sum()
        parts = [first]
        ops: list[_Tok] = []
        while self.at("OP") and self.tok.text in _CMP:
            ops.append(self.advance())
            parts.append(self.sum())
        if not ops:
            if first.marker:
                raise self.syntax("An asymptotic marker must be the right side of "
                                  "'f = O(g)'", self.toks[0])
            return first.expr
        rels = []
        for j, op in enumerate(ops):
            lhs, rhs = parts[j], parts[j + 1]
            if lhs.marker or rhs.marker:
                if len(ops) != 1 or op.text not in ("=", "==") or lhs.marker:
                    raise self.syntax(
                        "O(...), o(...), Omega(...) and Theta(...) may appear only as the "
                        "whole right side of 'f = O(g)' (one relation, '=' or '==')", op)
            rels.append(_CMP[op.text](lhs.expr, rhs.expr, evaluate=False))
        return rels[0] if len(rels) == 1 else sympy.And(*rels, evaluate=False)

    # --- Pratt expression parser --------------------------------------------

    def sum(self) -> _Val:
        self.enter()
        left = self.product()
        while self.at("OP", "+") or self.at("OP", "-"):
            op = self.advance()
            right = self.product()
            left = self.combine(op, left, right)
        self.depth -= 1
        return left

    def product(self) -> _Val:
        left = self.unary()
        while self.at("OP", "*") or self.at("OP", "/"):
            op = self.advance()
            right = self.unary()
            left = self.combine(op, left, right)
        return left

    def unary(self) -> _Val:
        if self.at("OP", "-") or self.at("OP", "+"):
            op = self.advance()
            self.enter()
            operand = self.unary()
            self.depth -= 1
            self.no_marker(operand, op)
            if op.text == "+":
                return operand
            return self.build(lambda: -operand.expr, "*", [self.const(-1), operand], op)
        return self.power()

    def power(self) -> _Val:
        base = self.atom()
        if self.at("OP", "**") or self.at("OP", "^"):
            op = self.advance()
            self.enter()
            expo = self.unary()
            self.depth -= 1
            return self.make_pow(base, expo, op)
        return base

    def atom(self) -> _Val:
        tok = self.tok
        if tok.kind == "NUM":
            self.advance()
            return self.number(tok)
        if tok.kind == "NAME":
            self.advance()
            return self.name(tok)
        if tok.kind == "LPAR":
            self.advance()
            self.enter()
            inner = self.sum()
            self.depth -= 1
            self.expect_close(tok)
            return inner
        if tok.kind == "END":
            if self.i == 0:
                raise ExpressionSyntaxError("The expression is empty.")
            prev = self.toks[self.i - 1]
            raise self.syntax(f"The operator {prev.text!r} has no right operand", prev)
        if tok.kind == "RPAR":
            if self.i > 0 and self.toks[self.i - 1].kind == "LPAR":
                raise self.syntax("Empty parentheses '()'", tok)
            if self.i > 0 and self.toks[self.i - 1].kind == "OP":
                prev = self.toks[self.i - 1]
                raise self.syntax(f"The operator {prev.text!r} has no right operand", prev)
            raise self.syntax("Unbalanced parentheses: ')' without a matching '('", tok)
        if tok.kind == "OP" and tok.text in ("*", "/", "**", "^"):
            raise self.syntax(f"The operator {tok.text!r} has no left operand", tok)
        raise self.syntax(f"Unexpected {tok.text!r}", tok)

    def expect_close(self, open_tok: _Tok) -> None:
        if self.at("RPAR"):
            self.advance()
            return
        tok = self.tok
        if tok.kind == "END":
            raise ExpressionSyntaxError(
                f"Unbalanced parentheses: '(' {_where(self.text, open_tok.pos)} is never "
                "closed."
            )
        if tok.kind == "OP" and tok.text in _CMP:
            raise self.syntax("A comparison cannot stand inside parentheses or a function "
                              "argument", tok)
        if tok.kind in ("NUM", "NAME", "LPAR"):
            raise self.syntax(f"Missing operator before {tok.text!r} (write '*' for a "
                              "product)", tok)
        raise self.syntax(f"Expected ')' but found {tok.text!r}", tok)

    # --- leaves -------------------------------------------------------------

    def number(self, tok: _Tok) -> _Val:
        m = _NUMBER.fullmatch(tok.text)
        assert m is not None  # the tokenizer matched the same pattern
        mantissa, exp_part = m.group(1), m.group(2)
        whole, _, frac = mantissa.partition(".")
        expo = int(exp_part[1:]) if exp_part else 0
        if len(whole + frac) > 200 or abs(expo) > 10 * MAX_MAGNITUDE:
            raise UnsafeExpressionError(
                f"The number {tok.text!r} {self.where(tok)} is too long; numbers may have "
                f"at most 200 digits and a magnitude within 10**±{MAX_MAGNITUDE}."
            )
        significant = (whole + frac).lstrip("0")
        if significant:
            magnitude = len(significant) + expo - len(frac)
            if abs(magnitude) > MAX_MAGNITUDE + 1:
                raise UnsafeExpressionError(
                    f"The number {tok.text!r} {self.where(tok)} is too large or too small; "
                    f"constants must lie within 10**±{MAX_MAGNITUDE}."
                )
        scale = expo - len(frac)
        value = int(whole + frac) if (whole + frac) else 0
        if scale >= 0:
            expr = sympy.Integer(value * 10 ** scale)
        else:
            expr = sympy.Rational(value, 10 ** (-scale))
        return self.const_of(expr, tok)

    def const(self, value: int) -> _Val:
        return _Val(sympy.Integer(value), self.ctx.mpf(value))

    def const_of(self, expr: sympy.Rational, tok: _Tok) -> _Val:
        approx = _numeric.to_number(self.ctx, expr)
        self.check_size(approx, tok)
        return _Val(expr, approx)

    def name(self, tok: _Tok) -> _Val:
        name = tok.text
        if len(name) > _MAX_NAME:
            raise UnsafeExpressionError(f"The name {name[:20]!r}... is too long.")
        is_call = self.at("LPAR")
        if name in _FUNCTIONS or name in _MARKERS:
            if not is_call:
                raise self.syntax(f"{name!r} is a function; call it like {name}(x)", tok)
            return self.call(tok)
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            raise UnsafeExpressionError(
                f"The Python keyword {name!r} is not allowed {self.where(tok)}: the parser "
                "reads arithmetic expressions only."
            )
        symbol = _named_symbol(name)
        if symbol is not None or name in _CONSTANTS or _OPT_NAME.match(name):
            if is_call:
                raise self.syntax(
                    f"{name!r} is a symbol, not a function; write {name}*(...) for a product",
                    tok)
            if symbol is not None:
                return _Val(symbol)
            if name in _CONSTANTS:
                value = _CONSTANTS[name]
                approx = self.ctx.pi if name == "pi" else self.ctx.e
                return _Val(value, approx)
            return _Val(OPT(name[len("OPT_"):]))
        if name in ("oo", "inf"):
            raise UnsafeExpressionError(
                f"{name!r} {self.where(tok)} is allowed only as the point of a limit "
                "('as d -> oo')."
            )
        message = close_matches_message("name", name, _known_names())
        if name == "e":
            message += " Euler's number is written E (or exp(1))."
        message += _OTHER_NAMES
        if is_call:
            message = "Calls are allowed only to whitelisted functions. " + message
        raise UnsafeExpressionError(message)

    def call(self, tok: _Tok) -> _Val:
        name = tok.text
        open_tok = self.advance()  # '('
        self.enter()
        args: list[_Val] = []
        if not self.at("RPAR"):
            while True:
                if self.at("NAME") and self.toks[self.i + 1].kind == "OP" \
                        and self.toks[self.i + 1].text == "=":
                    raise UnsafeExpressionError(
                        f"Keyword arguments are not allowed {self.where()}; "
                        f"{name} takes positional arguments only."
                    )
                args.append(self.sum())
                if self.at("COMMA"):
                    self.advance()
                    continue
                break
        self.expect_close(open_tok)
        self.depth -= 1
        if name in _MARKERS:
            if len(args) != 1:
                raise self.syntax(f"{name}(...) takes exactly one argument", tok)
            self.no_marker(args[0], tok)
            return _Val(_MARKERS[name](args[0].expr), None, marker=True)
        op, lo, hi = _FUNCTIONS[name]
        if not lo <= len(args) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise self.syntax(f"{name}(...) takes {want} argument(s), got {len(args)}", tok)
        for a in args:
            self.no_marker(a, tok)
        if op == "log" and len(args) == 2:
            self.check_log_base(args[0], args[1], tok)
        if op == "log2":
            return self.build(lambda: sympy.log(args[0].expr, 2), "log",
                              [args[0], self.const(2)], tok)
        if op == "log10":
            return self.build(lambda: sympy.log(args[0].expr, 10), "log",
                              [args[0], self.const(10)], tok)
        if op in ("factorial", "binomial", "catalan"):
            for a in args:
                if a.is_const and abs(a.approx) > 10**6:
                    raise UnsafeExpressionError(
                        f"The argument of {name} {self.where(tok)} is larger than 10**6."
                    )
        if op == "sqrt":
            return self.make_pow(args[0], _Val(sympy.S.Half, self.ctx.mpf(0.5)), tok)
        builder = _SYMPY_BUILDERS[op]
        exprs = [a.expr for a in args]
        if op in _ASKING_FUNCTIONS:
            # evaluating them asks sympy's assumptions about the arguments (see
            # _ASKING_FUNCTIONS); past the limits they are kept as written
            cost = _asking_cost(op, exprs)
            if cost is None or self.asking_spent + cost > _ASKING_BUDGET:
                return self.build(lambda: builder(*exprs, evaluate=False), op, args, tok)
            self.asking_spent += cost
        return self.build(lambda: builder(*exprs), op, args, tok)

    # --- building with guards -------------------------------------------------

    def no_marker(self, val: _Val, tok: _Tok) -> None:
        if val.marker:
            raise self.syntax("O(...), o(...), Omega(...) and Theta(...) cannot be combined "
                              "with other terms; write 'f = O(g)'", tok)

    def check_size(self, approx: Any, tok: _Tok) -> None:
        if approx == 0:
            return
        magnitude = abs(float(self.ctx.log10(abs(approx))))
        if magnitude > MAX_MAGNITUDE:
            raise UnsafeExpressionError(
                f"A constant {self.where(tok)} has magnitude about 10**"
                f"{'-' if abs(approx) < 1 else ''}{magnitude:.0f}; constants must lie "
                f"within 10**±{MAX_MAGNITUDE}."
            )

    def check_log_base(self, arg: _Val, base: _Val, tok: _Tok) -> None:
        """A constant log base must be positive and not 1 (sympy turns log(d, 1) into
        log(d)*zoo and log(d, 0) into 0); a base with symbols is left to evaluation."""
        if not base.is_const:
            return
        b = base.expr
        # 1 exactly, or a form equal to 1 up to the shadow's 30 digits that sympy
        # cannot tell from 1 ((1 + sqrt(2))*(sqrt(2) - 1))
        near_one = abs(base.approx - 1) <= self.ctx.mpf(10) ** (5 - _SHADOW_DPS)
        one = b == 1 or (near_one and (b - 1).is_zero is not False)
        if one or not base.approx > 0:
            raise UnsafeExpressionError(
                f"The logarithm log({sympy.sstr(arg.expr)}, {sympy.sstr(b)}) "
                f"{self.where(tok)} has base "
                f"{sympy.sstr(b)}, where it is undefined: a log base must be a positive "
                "number other than 1."
            )

    def check_defined(self, expr: Any, shown: Callable[[], str], tok: _Tok) -> None:
        """Refuse a result sympy evaluated to an undefined value (zoo, nan or an
        infinity): ``d/0`` is ``zoo*d``. Every operand was checked when it was
        built, so a new undefined value is the result itself or a direct argument.
        ``shown()`` prints the sub-expression for the message."""
        bad = [a for a in (expr, *expr.args) if isinstance(a, _UNDEFINED_TYPES)]
        if bad:
            raise UnsafeExpressionError(
                f"The sub-expression {shown()} {self.where(tok)} is undefined: sympy "
                f"evaluates it to {sympy.sstr(expr)} ({_WHY_UNDEFINED[bad[0]]})."
            )

    def build(self, make: Callable[[], Any], op: str, args: list[_Val], tok: _Tok) -> _Val:
        """Build ``make()`` after checking that a constant result is small and real,
        and that the result is defined (:meth:`check_defined`)."""
        approx = None
        if all(a.is_const for a in args):
            try:
                approx = _numeric.apply(self.ctx, op, *[a.approx for a in args])
            except _numeric.NumericError as err:
                raise UnsafeExpressionError(
                    f"The constant sub-expression {self.where(tok)} cannot be used: {err}. "
                    "Constants must be finite real numbers of reasonable size."
                ) from None
            except (ValueError, ZeroDivisionError, OverflowError) as err:
                raise UnsafeExpressionError(
                    f"The constant sub-expression {self.where(tok)} cannot be used: {err}."
                ) from None
            self.check_size(approx, tok)
        try:
            expr = make()
        except (ValueError, TypeError, ArithmeticError) as err:  # e.g. Min of a complex number
            raise UnsafeExpressionError(
                f"The sub-expression {self.where(tok)} cannot be built: {err}."
            ) from None
        self.check_defined(expr, lambda: _show_op(op, tok, args), tok)
        return _Val(expr, approx)

    def combine(self, op: _Tok, left: _Val, right: _Val) -> _Val:
        self.no_marker(left, op)
        self.no_marker(right, op)
        a, b = left.expr, right.expr
        if op.text == "+":
            return self.build(lambda: a + b, "+", [left, right], op)
        if op.text == "-":
            neg = self.build(lambda: -b, "*", [self.const(-1), right], op)
            return self.build(lambda: a + neg.expr, "+", [left, neg], op)
        if op.text == "*":
            return self.check_product(self.build(lambda: a * b, "*", [left, right], op), op)
        return self.check_product(self.build(lambda: a / b, "/", [left, right], op), op)

    def check_product(self, val: _Val, op: _Tok) -> _Val:
        """Refuse a product whose factors combined into a power past
        :data:`MAX_SYMBOLIC_EXPONENT` (``d**999*d**999`` is ``d**1998``), the limit
        an explicit power has."""
        for node in (val.expr, *val.expr.args):
            if node.is_Pow and node.base.free_symbols and node.exp.is_Number \
                    and abs(node.exp) > MAX_SYMBOLIC_EXPONENT:
                raise UnsafeExpressionError(
                    f"The product {self.where(op)} raises an expression with symbols to the "
                    f"power {sympy.sstr(node.exp)} (its factors' exponents add up), past "
                    f"{MAX_SYMBOLIC_EXPONENT} in absolute value; that is past the parser's "
                    "limits."
                )
        return val

    def make_pow(self, base: _Val, expo: _Val, op: _Tok) -> _Val:
        self.no_marker(base, op)
        self.no_marker(expo, op)
        b, e = base.expr, expo.expr
        if base.is_const and expo.is_const and b.is_Rational:
            if e.is_Integer:
                bits = (int(b.p).bit_length() + int(b.q).bit_length()) * abs(int(e))
                if bits > MAX_EXACT_BITS:
                    shown = str(bits) if bits < 10**12 else \
                        f"10**{int(bits.bit_length() * 0.30103)}"
                    raise UnsafeExpressionError(
                        f"The power {self.where(op)} would be an exact number of about "
                        f"{shown} bits; at most {MAX_EXACT_BITS} are allowed."
                    )
            elif e.is_Rational and (abs(b.p) > 10**100 or b.q > 10**100 or e.q > 1000):
                raise UnsafeExpressionError(
                    f"The root {self.where(op)} is of a number with more than 100 digits "
                    "(or of index above 1000); that is past the parser's limits."
                )
        expo_int = int(e) if (expo.is_const and e.is_Integer) else None
        if base.is_const and expo.is_const:
            try:
                if expo_int is not None:
                    approx = _numeric.apply(self.ctx, "pow", base.approx, expo.approx, expo_int)
                else:
                    approx = _numeric.apply(self.ctx, "pow", base.approx, expo.approx)
            except _numeric.NumericError as err:
                raise UnsafeExpressionError(
                    f"The constant power {self.where(op)} cannot be used: {err}. Constants "
                    "must be finite real numbers within "
                    f"10**±{MAX_MAGNITUDE}."
                ) from None
            self.check_size(approx, op)
            return _Val(sympy.Pow(b, e), approx)
        if expo.is_const and abs(expo.approx) > MAX_SYMBOLIC_EXPONENT:
            # sympy may expand such a power into a dense polynomial of that degree
            # while building or comparing it (ceiling(d^(1e999)) never returns)
            raise UnsafeExpressionError(
                f"The power {self.where(op)} raises an expression with symbols to a constant "
                f"exponent past {MAX_SYMBOLIC_EXPONENT} in absolute value; that is past the "
                "parser's limits."
            )
        try:
            expr = sympy.Pow(b, e)
        except (ValueError, TypeError, ArithmeticError) as err:
            raise UnsafeExpressionError(
                f"The power {self.where(op)} cannot be built: {err}.") from None
        self.check_defined(expr, lambda: f"{_operand(b)}^{_operand(e)}", op)
        return _Val(expr)

    # --- limit clause ----------------------------------------------------------

    def limit_clause(self) -> Limit:
        as_tok = self.advance()  # 'as'
        sym = _named_symbol(self.tok.text) if self.at("NAME") else None
        if sym is None:
            raise self.syntax("Expected a symbol after 'as' (e.g. 'as d -> oo')", as_tok)
        self.advance()
        if not self.at("ARROW"):
            raise self.syntax("Expected '->' in the limit clause (e.g. 'as eps -> 0')")
        self.advance()
        sign = 1
        if self.at("OP", "-") or self.at("OP", "+"):
            sign = -1 if self.advance().text == "-" else 1
        tok = self.tok
        if tok.kind == "NAME" and tok.text in ("oo", "inf"):
            self.advance()
            point = sympy.oo if sign > 0 else -sympy.oo
            direction = "-" if sign > 0 else "+"
        elif tok.kind == "NUM":
            self.advance()
            point = self.number(tok).expr * sign
            direction = "+"
            if self.at("OP", "+") or self.at("OP", "-"):
                direction = self.advance().text
        else:
            raise self.syntax("Expected a number, oo or inf as the limit point", tok)
        if not self.at("END"):
            raise self.syntax(f"Unexpected {self.tok.text!r} after the limit clause")
        return Limit(sym, point, direction)

    def finish(self) -> None:
        tok = self.tok
        if tok.kind == "END":
            return
        if tok.kind == "RPAR":
            raise self.syntax("Unbalanced parentheses: ')' without a matching '('", tok)
        if tok.kind == "NAME" and tok.text == "as":
            raise self.syntax("A limit clause ('as d -> oo') is allowed only in a claim "
                              "given to pd.bounds.check", tok)
        if tok.kind == "COMMA":
            raise self.syntax("A ',' separates assumptions (pd.bounds.parse_assumptions); "
                              "an expression has none", tok)
        if tok.kind in ("NUM", "NAME", "LPAR"):
            raise self.syntax(f"Missing operator before {tok.text!r} (write '*' for a "
                              "product)", tok)
        raise self.syntax(f"Unexpected {tok.text!r}", tok)


def _check_text(text: Any, what: str) -> str:
    if not isinstance(text, str):
        raise UnsafeExpressionError(
            f"The {what} must be a string. Got an object of type {type(text).__name__} instead."
        )
    if len(text) > MAX_TEXT:
        raise UnsafeExpressionError(
            f"The {what} has {len(text)} characters; at most {MAX_TEXT} are allowed."
        )
    return text


def parse(text: str) -> Any:
    """Turn text into a sympy expression or relation, safely.

    Parameters
    ----------
    text : str
        An arithmetic expression (``"log(2/delta)/eps^2"``) or a relation,
        possibly chained (``"0 < eps < 1"``). See the module docstring for the
        grammar and the limits.

    Returns
    -------
    sympy.Expr, sympy.Rel or sympy.And
        An expression; an unevaluated relation; an ``And`` of relations for a
        chained comparison.

    Raises
    ------
    UnsafeExpressionError
        For anything off the whitelist or past a size limit.
    ExpressionSyntaxError
        For malformed text.

    Examples
    --------
    >>> pd.bounds.parse("2^10 * d")
    1024*d
    >>> pd.bounds.parse("log(d, 2) <= d")
    log(d)/log(2) <= d
    >>> pd.bounds.parse("10**10**10")
    Traceback (most recent call last):
    ...
    pacdistill.errors.UnsafeExpressionError: The power at position 2 (near '10**10**10') would ...
    """
    p = _Parser(_check_text(text, "expression"))
    out = p.relation()
    p.finish()
    return _check_defined(out)


def parse_assumptions(text: str) -> list[Any]:
    """Parse comma-separated (chained) relations into a flat list of relations.

    >>> pd.bounds.parse_assumptions("0 < eps < 1, d >= 1")
    [0 < eps, eps < 1, d >= 1]
    >>> pd.bounds.parse_assumptions("")
    []
    """
    text = _check_text(text, "assumptions text")
    if not text.strip():
        return []
    p = _Parser(text)
    out: list[Any] = []
    while True:
        start = p.tok
        item = p.relation()
        if isinstance(item, sympy.And):
            out.extend(item.args)
        elif isinstance(item, sympy.core.relational.Relational):
            if isinstance(item.rhs, Asymptotic):
                raise p.syntax("An assumption cannot be asymptotic", start)
            out.append(item)
        else:
            raise p.syntax("Each assumption must be a relation such as 'd >= 1'", start)
        if p.at("COMMA"):
            p.advance()
            continue
        p.finish()
        return [_check_defined(rel) for rel in out]


def parse_claim(text: str) -> tuple[Any, Limit | None]:
    """Parse a claim for :func:`pacdistill.bounds.check`: a relation and an
    optional limit clause ``as <symbol> -> <point>``.

    >>> rel, lim = pd.bounds.parser.parse_claim("d**2 = O(d**3) as d -> oo")
    >>> rel, str(lim)
    (Eq(d**2, O(d**3)), 'd -> oo')
    """
    p = _Parser(_check_text(text, "claim"))
    rel = p.relation()
    limit = None
    if p.at("NAME", "as"):
        limit = p.limit_clause()
    p.finish()
    return _check_defined(rel), limit


def parse_limit(spec: Any) -> Limit:
    """A limit given as a tuple ``(symbol, point)`` or ``(symbol, point, direction)``.

    ``symbol`` is a name of a shared symbol or the Symbol itself; ``point`` is a
    number, ``"oo"``/``"inf"`` or ``sympy.oo``; ``direction`` ``"+"`` (default) or
    ``"-"``.

    >>> str(pd.bounds.parser.parse_limit(("eps", 0)))
    'eps -> 0+'
    """
    if isinstance(spec, Limit):
        return spec
    if not isinstance(spec, tuple) or len(spec) not in (2, 3):
        raise UnsafeExpressionError(
            "A limit must be a tuple (symbol, point) or (symbol, point, direction), e.g. "
            f"('d', 'oo'). Got {spec!r} instead."
        )
    sym, point = spec[0], spec[1]
    direction = spec[2] if len(spec) == 3 else "+"
    if isinstance(sym, sympy.Symbol):
        symbol = sym
    elif isinstance(sym, str) and (named := _named_symbol(sym)) is not None:
        symbol = named
    else:
        raise UnsafeExpressionError(close_matches_message("limit symbol", str(sym),
                                                          sorted(SYMBOLS)))
    if direction not in ("+", "-"):
        raise UnsafeExpressionError(f"A limit direction is '+' or '-'. Got {direction!r}.")
    if isinstance(point, str):
        text = point.strip()
        neg = text.startswith("-")
        body = text.lstrip("+-").strip()
        if body in ("oo", "inf"):
            return Limit(symbol, -sympy.oo if neg else sympy.oo, "+" if neg else "-")
        value = parse(text)
        if not value.is_Number:
            raise UnsafeExpressionError(f"A limit point must be a number or oo. Got {point!r}.")
        return Limit(symbol, value, direction)
    if point in (sympy.oo, -sympy.oo):
        return Limit(symbol, point, "-" if point == sympy.oo else "+")
    if isinstance(point, bool) or not isinstance(point, (int, sympy.Rational)):
        raise UnsafeExpressionError(
            f"A limit point must be an int, a sympy Rational, oo or a string. Got {point!r}."
        )
    return Limit(symbol, sympy.Integer(point) if isinstance(point, int) else point, direction)
