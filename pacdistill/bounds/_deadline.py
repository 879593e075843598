"""A time budget for the bound checker (private).

sympy offers no way to stop a simplification or a limit that runs for minutes,
so :func:`deadline` uses the one interruption Python has: on POSIX, in the main
thread, with no other interval timer armed, it arms ``ITIMER_REAL`` and the
SIGALRM handler raises :class:`TimedOut` wherever the computation is. Anywhere
else (Windows, a worker thread, a caller that owns SIGALRM, e.g. pytest-timeout)
it is cooperative: :meth:`Deadline.expired` is polled between the checker's steps
and between batches of the numeric search, so a step already running finishes.

:class:`TimedOut` derives from BaseException, not Exception, so that sympy's own
``except Exception`` clauses cannot swallow it. Python cannot propagate an
exception out of a finalizer, a garbage-collection callback or a weakref
callback; the handler lets an alarm pass in the first two, an alarm swallowed in
a weakref callback is kept off stderr, and the alarm repeats every 0.5 s until
the budgeted work stops.

Examples
--------
>>> from pacdistill.bounds._deadline import deadline, TimedOut
>>> with deadline(None) as budget:
...     budget.expired()
False
"""

from __future__ import annotations

import contextlib
import gc
import math
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

__all__ = ["Deadline", "TimedOut", "deadline"]

#: seconds between repeated alarms once the budget is spent
_REPEAT = 0.5


class TimedOut(BaseException):
    """The checker's time budget ran out (caught inside the checker only)."""


class Deadline:
    """The end of a time budget; ``seconds=None`` never expires."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = math.inf if seconds is None else time.monotonic() + seconds
        #: whether SIGALRM interrupts running work (else only polling stops it)
        self.preemptive = False

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def check(self) -> None:
        """Raise :class:`TimedOut` once the budget is spent."""
        if self.expired():
            raise TimedOut


def _can_preempt() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        return False
    if signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return False                        # someone else's timer: leave it alone
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def _in_finalizer(frame: Any) -> bool:
    """Whether ``frame`` runs inside a ``__del__`` (a finalizer cannot raise)."""
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[Deadline]:
    """Run the ``with`` block under a budget of ``seconds`` (None: unlimited)."""
    budget = Deadline(seconds)
    if seconds is None or not _can_preempt():
        yield budget
        return

    collecting = [False]  # a garbage collection is running (its callbacks cannot raise)

    def _gc_started(phase: str, info: Any) -> None:
        if phase == "start":
            collecting[0] = True

    def _gc_stopped(phase: str, info: Any) -> None:
        if phase == "stop":
            collecting[0] = False

    def _alarm(signum: int, frame: Any) -> None:
        if collecting[0] or _in_finalizer(frame):
            return  # Python would swallow it (and report it as unraisable): wait for the next
        raise TimedOut

    previous_hook = sys.unraisablehook

    def _quiet(unraisable: Any) -> None:
        # an alarm raised where Python cannot propagate it and _alarm does not see it
        # coming (a weakref callback) is reported as unraisable: it is ours and
        # harmless (the next alarm, _REPEAT later, stops the work), so not printed
        if not isinstance(unraisable.exc_value, TimedOut):
            previous_hook(unraisable)

    gc.callbacks.insert(0, _gc_started)     # first at the start of a collection
    gc.callbacks.append(_gc_stopped)        # last at its end
    previous = signal.signal(signal.SIGALRM, _alarm)
    sys.unraisablehook = _quiet
    budget.preemptive = True
    try:
        # then again every 0.5 s: an alarm landing in a garbage-collection callback
        # or a __del__ is swallowed by Python, and the next one must still stop sympy
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6), _REPEAT)
        yield budget
    finally:
        while True:                         # an alarm already pending may still land
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except TimedOut:
                continue
        if sys.unraisablehook is _quiet:    # unless someone replaced it meanwhile
            sys.unraisablehook = previous_hook
        for callback in (_gc_started, _gc_stopped):
            with contextlib.suppress(ValueError):
                gc.callbacks.remove(callback)
