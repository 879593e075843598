"""Hardness records of the reduction web (THEORY §8): edges of kind ``barrier``.

A barrier is a record, not an algorithm: it says that a task is hard under a
named assumption, with its source. Barriers never compose into routes (THEORY
§3); the web uses them in ``status``, ``separations`` and ``contradictions``
and derives more of them by THEORY §9 rule 3.

Convention
----------
Every barrier here is about **learning** (``access="examples"``): the
algorithm sees only labelled examples (x, f(x)), x ~ D. The record
``F -> G`` reads "learning from examples labelled by a member f of F,
under the promise that f is in G (realizable), with G as the hypothesis class,
is hard". Its ``source`` is the class of the labelling functions (the hard
instances live there) and its ``target`` the hypothesis class; all five records
below have F = G (the results are for the realizable problem on one class;
they are in fact *representation independent*, i.e. they hold for any
hypothesis, but the web states them only for the pair they were proved for and
derives the rest by its sound rules). By THEORY §9 rule 4 none of them makes
*distilling* F into G hard: a distiller holds f itself.

Fields of a barrier's Guarantee: ``kind="barrier"``; ``assumptions`` names the
assumption the hardness rests on; ``time`` holds the lower bound when the
source states one as a formula (``order=True``: it is an Omega(.) bound with
the unknown constant ``C``), and is 0 when the source proves only "no
polynomial-time algorithm" (then the record's ``doc`` says so); the other
fields are 0.

Decision trees: "no known polynomial-time algorithm" is *not* a hardness
result, and is not recorded as one. What is recorded is a genuine barrier:
statistical-query (SQ) algorithms need d^Omega(log s) queries for decision
trees with s leaves, because such trees compute every parity on log2(s)
variables [Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994]. For general
(non-SQ) algorithms the state of the art is an *anchor*, not a barrier: the best
known learner takes d^O(log s) time [Ehrenfeucht, Haussler 1989], and no
polynomial one is known or ruled out (``pd.bounds.LEARNING_TIME_ANCHORS``,
THEORY §4).

The records:

============================  ======================  ===================================
record                        pair                    assumption
============================  ======================  ===================================
``sq_learn_junta``            junta -> junta          SQ algorithms (d^Omega(k))
``sq_learn_decision_tree``    tree -> tree            SQ algorithms (d^Omega(log s))
``hard_learn_dnf``            dnf -> dnf              random K-SAT refutation is hard
``hard_learn_intersections``  relu -> relu            uSVP is hard (lattices)
``hard_learn_relu``           relu -> relu            local PRGs exist
============================  ======================  ===================================

>>> from pacdistill.reductions import REGISTRY
>>> REGISTRY["sq_learn_junta"]
<Reduction sq_learn_junta: junta -> junta (barrier)>
>>> REGISTRY["hard_learn_dnf"].guarantee.assumptions
('random-K-SAT',)
"""

from __future__ import annotations

import sympy

from ..bounds import symbols as S
from ..bounds.guarantee import Guarantee
from ._registry import Reduction, register_barrier

__all__ = ["BARRIERS", "ASSUMPTIONS", "RESTRICTIONS"]

#: the assumptions the barriers rest on: short name -> what it says
ASSUMPTIONS: dict[str, str] = {
    "SQ": "the learner is a statistical-query algorithm (it sees the examples only "
          "through estimates of expectations E[q(x, f(x))] within a tolerance 1/poly); "
          "a restriction on the algorithm, not a conjecture",
    "random-K-SAT": "refuting random K-SAT formulas with n^f(K) clauses is hard for every "
                    "K and some f(K) = omega(1) [Daniely, Shalev-Shwartz 2016, arXiv:1404.3378]",
    "uSVP": "O~(d^1.5)-uSVP (unique shortest vector problem) has no polynomial-time "
            "algorithm [Regev's cryptosystems; Klivans, Sherstov 2006]",
    "local-PRG": "local pseudorandom generators with polynomial stretch exist (Goldreich's "
                 "construction) [Daniely, Vardi 2021, arXiv:2101.08303]",
}

#: the assumptions that restrict the *algorithm* (its model of computation) rather
#: than conjecture something: a barrier under one of them is a theorem about that
#: model, so an efficient algorithm outside it contradicts nothing (Gaussian
#: elimination learns the parities that need 2^Omega(d) statistical queries).
#: The web never reports a route as contradicting such a barrier, since no route
#: is known to be in the restricted model (``ReductionWeb.contradictions``).
RESTRICTIONS: frozenset[str] = frozenset({"SQ"})

_BLUM_1994 = ("Blum, Furst, Jackson, Kearns, Mansour, Rudich 1994, 'Weakly learning DNF and "
              "characterizing statistical query learning using Fourier analysis', STOC, "
              "doi:10.1145/195058.195147")


def _barrier(name: str, cls: str, *, assumption: str, source: str, doc: str,
             time: sympy.Expr | int = 0) -> Reduction:
    return register_barrier(
        name=name, source=cls, target=cls, access="examples", doc=doc,
        guarantee=Guarantee("barrier", cls, cls, source=source, time=time,
                            assumptions=(assumption,), order=time != 0),
    )


#: the barrier records of THEORY §8, by name
BARRIERS: dict[str, Reduction] = {
    red.name: red for red in (
        _barrier(
            "sq_learn_junta", "junta", assumption="SQ", time=S.d ** (S.C * S.k),
            source=_BLUM_1994 + " (k-juntas contain the parities on k of the d variables, "
                   "whose SQ dimension is C(d, k))",
            doc="Learning k-juntas from examples needs d^Omega(k) statistical queries "
                "(SQ algorithms). Best known general algorithms: about d^(0.6 k) "
                "[G. Valiant 2012], exhaustive d^k.",
        ),
        _barrier(
            "sq_learn_decision_tree", "decision_tree", assumption="SQ",
            time=S.d ** (S.C * sympy.log(S.s, 2)),
            source=_BLUM_1994 + " (a decision tree with s leaves computes every parity on "
                   "log2(s) variables)",
            doc="Learning decision trees with s leaves needs d^Omega(log s) statistical "
                "queries (SQ algorithms). For general algorithms no polynomial-time "
                "learner is known and none is ruled out: best known d^O(log s) "
                "[Ehrenfeucht, Haussler 1989, doi:10.1016/0890-5401(89)90001-1].",
        ),
        _barrier(
            "hard_learn_dnf", "dnf", assumption="random-K-SAT",
            source="Daniely, Shalev-Shwartz 2016, 'Complexity theoretic limitations on "
                   "learning DNF's', COLT, arXiv:1404.3378",
            doc="Learning DNF formulas with s = omega(log d) terms has no polynomial-time "
                "algorithm (any hypothesis) if refuting random K-SAT is hard.",
        ),
        _barrier(
            "hard_learn_intersections", "relu_network", assumption="uSVP",
            source="Klivans, Sherstov 2006, 'Cryptographic hardness for learning "
                   "intersections of halfspaces', FOCS, doi:10.1109/FOCS.2006.24 (journal "
                   "version doi:10.1016/j.jcss.2008.07.008); the intersection of t "
                   "integer-weight halfspaces on the cube is a ReLU network with 2t hidden "
                   "units, 1[a.x >= b] = ReLU(a.x - b + 1) - ReLU(a.x - b) (derived here)",
            doc="Learning intersections of d^c halfspaces (constant c > 0), hence ReLU "
                "networks with one hidden layer of poly(d) units, has no polynomial-time "
                "algorithm (any hypothesis) if O~(d^1.5)-uSVP is hard.",
        ),
        _barrier(
            "hard_learn_relu", "relu_network", assumption="local-PRG",
            source="Daniely, Vardi 2021, 'From local pseudorandom generators to hardness "
                   "of learning', COLT, arXiv:2101.08303",
            doc="Learning ReLU networks with omega(1) hidden units (one hidden layer) has "
                "no polynomial-time algorithm (any hypothesis) if local pseudorandom "
                "generators exist.",
        ),
    )
}
