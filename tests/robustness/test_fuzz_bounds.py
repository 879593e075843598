"""Fuzzing the bounds entry points (issue 9): ``pd.bounds.parse`` and ``check``
with random text and grammar-aware random expressions (known and unknown
names, whitelisted and forbidden functions, huge constants, towers of powers,
unbalanced parentheses, payloads), ``parse_assumptions``, Guarantee JSON,
``Guarantee.at`` and the catalog's evaluators with hostile values.
"""

import json

import sympy
from _fuzzing import (
    HUGE_INTS,
    ODD_FLOATS,
    PAYLOADS,
    UNICODE,
    fuzz,
    hostile_scalars,
    hostile_values,
    mutated_documents,
    mutated_json_texts,
)
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.bounds.parser import MAX_TEXT

# -- expressions ---------------------------------------------------------------------------

KNOWN = ["d", "k", "r", "s", "l", "w", "m", "L", "n", "t", "v", "N", "eps", "delta", "tau",
         "B", "C", "gamma", "log_size", "OPT_decision_tree", "OPT_junta", "pi", "E", "oo"]
UNKNOWN = ["x", "e", "foo", "__import__", "os", "sys", "lambda", "import", "None", "True",
           "OPT_", "OPT_nonsense", "eps_1", "__class__", "Symbol", "sympify", "I", "zoo", "nan",
           "S", "Integer", "locals", "globals", "d" * 200]
FUNCTIONS = ["log", "ln", "log2", "log10", "exp", "sqrt", "ceiling", "ceil", "floor",
             "binomial", "factorial", "catalan", "Max", "max", "Min", "min", "Abs", "abs",
             "O", "o", "Omega", "Theta"]
FORBIDDEN_FUNCTIONS = ["eval", "exec", "open", "__import__", "getattr", "sympify", "Lambda",
                       "Function", "lambdify", "print", "Integral", "Sum", "gamma", "zeta"]
NUMBERS = ["0", "1", "2", "0.5", ".5", "1e-12", "1e999", "1e-999", "10", "3.14159",
           "99999999999999999999999999999999999", "1" + "0" * 1200, "0.0000001", "2.5e300"]


def _atoms():
    return st.one_of(st.sampled_from(KNOWN), st.sampled_from(NUMBERS),
                     st.sampled_from(UNKNOWN), st.integers(0, 10**6).map(str),
                     st.floats(allow_nan=False, allow_infinity=False).map(repr))


def _extend(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "^", "**"]), children)
    return st.one_of(
        binary.map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        binary.map(lambda t: f"({t[0]}){t[1]}({t[2]})"),
        st.tuples(st.sampled_from(["-", "+"]), children).map(lambda t: f"{t[0]}{t[1]}"),
        st.tuples(st.sampled_from(FUNCTIONS + FORBIDDEN_FUNCTIONS),
                  st.lists(children, min_size=0, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        children.map(lambda c: f"({c})"),
    )


def _clean_extend(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "^"]), children)
    return st.one_of(
        binary.map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(st.sampled_from(["log", "exp", "sqrt", "ceiling", "floor", "Max", "Min",
                                   "Abs"]), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["binomial", "Max", "Min", "log"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    )


expressions = st.recursive(_atoms(), _extend, max_leaves=12)
#: well-formed expressions over the known symbols and whitelisted functions
clean_expressions = st.recursive(
    st.one_of(st.sampled_from(KNOWN[:19]), st.sampled_from(NUMBERS[:10])), _clean_extend,
    max_leaves=8)
COMPARISONS = ["<", "<=", ">", ">=", "==", "=", "!="]


@st.composite
def claims(draw):
    """A relation (possibly chained, possibly asymptotic with a limit clause),
    sometimes damaged: a character dropped or inserted, a payload appended."""
    terms = draw(st.sampled_from([expressions, clean_expressions, clean_expressions]))
    parts = [draw(terms)]
    for _ in range(draw(st.integers(1, 2))):
        parts += [draw(st.sampled_from(COMPARISONS)), draw(terms)]
    text = " ".join(parts)
    if draw(st.booleans()):
        text += " as " + draw(st.sampled_from(["d", "eps", "x", "k"])) + " -> " + \
            draw(st.sampled_from(["oo", "0", "0+", "-oo", "inf", "1e999", "x"]))
    damage = draw(st.sampled_from(["none", "none", "none", "drop", "insert", "payload"]))
    if damage != "none" and text:
        pos = draw(st.integers(0, len(text) - 1))
        if damage == "drop":
            text = text[:pos] + text[pos + 1:]
        elif damage == "insert":
            junk = list("()[]{}.,'\";:@#$\\`") + [u for u in UNICODE if len(u) == 1]
            text = text[:pos] + draw(st.sampled_from(junk)) + text[pos:]
        else:
            text += draw(st.sampled_from(PAYLOADS))
    return text


_GRAMMAR_CHARS = st.sampled_from(list("()+-*/^<>=!,. _'\"[]{}0123456789edkoOsLn")
                                 + [u for u in UNICODE if len(u) == 1])
random_text = st.one_of(
    st.text(max_size=60),
    st.text(_GRAMMAR_CHARS, max_size=60),
    st.sampled_from(PAYLOADS),
    st.sampled_from(["", " ", "(" * 100, ")" * 100, "(" * 5000 + "d" + ")" * 5000,
                     "d" + "^d" * 500, "2**" * 300 + "2", "-" * 3000 + "d",
                     "x" * (MAX_TEXT + 1), "1" * 1500, "d" + "+d" * 999, "\x00", "\ufeffd",
                     "d <= d as d -> oo", "log(2/delta)/eps <= d/eps"]),
)


@fuzz("bounds.parse(random text)", random_text)
def test_parse_random_text(text):
    pd.bounds.parse(text)


@fuzz("bounds.parse(expressions)", st.one_of(expressions, claims()))
def test_parse_expressions(text):
    expr = pd.bounds.parse(text)
    assert isinstance(expr, sympy.Basic)


@fuzz("bounds.parse(non-text)", hostile_values())
def test_parse_non_text(value):
    pd.bounds.parse(value)


@fuzz("bounds.parse_assumptions", st.one_of(
    st.lists(claims(), min_size=1, max_size=3).map(", ".join), random_text, hostile_values()))
def test_parse_assumptions(text):
    pd.bounds.parse_assumptions(text)


ASSUMPTIONS = ["", "0 < eps < 1, 0 < delta < 1, d >= 1", "d >= 1", "k <= d, k >= 1",
               "0 < eps < 1, 0 < delta < 1, d >= 1, k >= 1, k <= d", "0 < tau < 1, B >= 1",
               "x > 0", "eps > 1", "0 < eps < 0", "d >= 10^10^10", "d >= 1e999"]


@fuzz("bounds.check(random text)", st.tuples(random_text, st.sampled_from(ASSUMPTIONS)))
def test_check_random_text(args):
    text, assume = args
    pd.bounds.check(text, assume=assume, points=50)


_points = st.integers(1, 60)
_seeds = st.integers(0, 3)


@fuzz("bounds.check(claims)", st.one_of(
    st.tuples(claims(), st.sampled_from(ASSUMPTIONS), _points, _seeds),
    st.tuples(claims(), st.sampled_from(ASSUMPTIONS), _points, _seeds),
    st.tuples(claims(), st.one_of(st.sampled_from(ASSUMPTIONS), claims()),
              st.one_of(_points, st.sampled_from([0, -1, 10**7]), hostile_scalars()),
              st.one_of(_seeds, hostile_scalars()))))
def test_check_claims(args):
    claim, assume, points, rng = args
    verdict = pd.bounds.check(claim, assume=assume, points=points, rng=rng)
    assert verdict.status in ("proved", "refuted", "undecided")


@fuzz("bounds.check(non-text)", st.tuples(hostile_values(), st.one_of(hostile_values(),
                                                                      st.just(None))))
def test_check_non_text(args):
    claim, assume = args
    pd.bounds.check(claim, assume=assume, points=20)


# -- guarantees -----------------------------------------------------------------------------

def _guarantee_docs():
    web_edges = pd.default_web().reductions
    names = ["junta_to_tree", "tree_to_dnf", "to_lookup_table[parity]",
             "learn_junta[decision_tree]", "erm_junta[dnf]"]
    docs = [web_edges[name].guarantee.to_dict() for name in names if name in web_edges]
    g1 = web_edges["junta_to_tree"].guarantee
    g2 = web_edges["tree_to_dnf"].guarantee
    docs.append(pd.bounds.compose(g1, g2).to_dict())
    return docs


GUARANTEE_DOCS = _guarantee_docs()


@fuzz("Guarantee.from_dict", st.one_of(mutated_documents(GUARANTEE_DOCS), hostile_values()))
def test_guarantee_from_dict(doc):
    g = pd.bounds.Guarantee.from_dict(doc)
    assert pd.bounds.Guarantee.from_dict(g.to_dict()) == g


@fuzz("Guarantee.from_dict(json text)", mutated_json_texts(GUARANTEE_DOCS))
def test_guarantee_from_json_text(text):
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # not JSON at all: nothing reaches the library
        return
    pd.bounds.Guarantee.from_dict(doc)


_values = st.one_of(st.integers(-3, 100), st.sampled_from(HUGE_INTS), st.sampled_from(ODD_FLOATS),
                    st.floats(0, 1), hostile_scalars())
_names = st.one_of(st.sampled_from(KNOWN + ["vc", "eps_1", "delta_2", "OPT_junta"]),
                   st.sampled_from(UNKNOWN), st.text(max_size=6)).filter(
    lambda name: name not in ("cls", "fields"))
# keyword names besides the ones samples_needed/eps_achievable take explicitly
_kw_names = _names.filter(lambda name: name not in ("eps", "delta", "n", "name"))


@fuzz("Guarantee.at", st.tuples(st.sampled_from(GUARANTEE_DOCS),
                                st.dictionaries(_names, _values, max_size=6),
                                st.one_of(st.none(), st.lists(st.sampled_from(
                                    ["samples", "time", "error", "size_map", "bogus"]),
                                    max_size=3), hostile_scalars())))
def test_guarantee_at(args):
    doc, values, fields = args
    pd.bounds.Guarantee.from_dict(doc).at(fields=fields, **values)


# -- the catalog ----------------------------------------------------------------------------

_entries = st.one_of(st.sampled_from(sorted(pd.bounds.catalog)), st.sampled_from(UNKNOWN),
                     hostile_scalars())
_classes = st.one_of(st.none(), st.sampled_from(sorted(pd.CLASSES)), hostile_scalars())


_CLASS_PARAMS = {name: [p.name for p in cls.params] for name, cls in pd.CLASSES.items()}


@st.composite
def catalog_calls(draw):
    """(entry name, eps, delta, cls, params): mostly a well-formed call (the entry's
    own parameters, or a class and its sizes), then 0 to 2 values made hostile."""
    name = draw(st.sampled_from(sorted(pd.bounds.catalog)))
    entry = pd.bounds.catalog[name]
    eps, delta = draw(st.floats(0.001, 0.5)), draw(st.floats(0.001, 0.5))
    cls, params = None, {}
    use_class = set(entry.params) & {"log_size", "v"} and draw(st.booleans())
    if use_class:
        cls = draw(st.sampled_from(sorted(pd.CLASSES)))
        for p in _CLASS_PARAMS[cls]:
            params[p] = draw(st.integers(1, 12))
    for p in entry.params:
        if use_class and p in ("log_size", "v"):
            continue
        params[p] = draw(st.integers(1, 50) if p != "log_size" else st.floats(0.1, 100))
    call = {"name": name, "eps": eps, "delta": delta, "cls": cls, **params}
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(sorted(call)))
        call[key] = draw(st.one_of(_values, st.sampled_from(UNKNOWN)))
    if draw(st.integers(0, 5)) == 0:
        call[draw(_kw_names)] = draw(_values)
    name, eps, delta, cls = (call.pop(k) for k in ("name", "eps", "delta", "cls"))
    return name, eps, delta, cls, call


@fuzz("bounds.samples_needed", st.one_of(
    catalog_calls(), catalog_calls(),
    st.tuples(_entries, _values, _values, _classes,
              st.dictionaries(_kw_names, _values, max_size=4))))
def test_samples_needed(args):
    name, eps, delta, cls, params = args
    n = pd.bounds.samples_needed(name, eps=eps, delta=delta, cls=cls, **params)
    assert isinstance(n, int) and n >= 0


@fuzz("bounds.eps_achievable", st.one_of(
    st.tuples(catalog_calls(), st.one_of(st.integers(1, 10**6), _values)).map(
        lambda t: (t[0][0], t[1], *t[0][2:])),
    st.tuples(_entries, _values, _values, _classes,
              st.dictionaries(_kw_names, _values, max_size=4))))
def test_eps_achievable(args):
    name, n, delta, cls, params = args
    pd.bounds.eps_achievable(name, n=n, delta=delta, cls=cls, **params)


@fuzz("CatalogEntry.evaluate", st.one_of(
    catalog_calls().map(lambda t: (t[0], t[3], {"eps": t[1], "delta": t[2], **t[4]})),
    st.tuples(st.sampled_from(sorted(pd.bounds.catalog)), _classes,
              st.dictionaries(_names, _values, max_size=5))))
def test_catalog_evaluate(args):
    name, cls, values = args
    entry = pd.bounds.catalog[name]
    if entry.resource == "samples" and "C" in entry.params:
        values.setdefault("C", 1)
    entry.evaluate(cls=cls, **values)


@fuzz("bounds.catalog[name]", st.one_of(_entries, hostile_values()))
def test_catalog_lookup(name):
    pd.bounds.catalog[name]
