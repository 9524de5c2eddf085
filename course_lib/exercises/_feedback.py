"""The guard every exercise check runs in, and the feedback it prints.

Writing a check (the contract every ``check_…`` follows)::

    def check_gd_step(gd_step) -> bool:
        \"\"\"``gd_step(w, b, eta, X, Y)`` must return (w − η∇w, b − η∇b).\"\"\"
        with Checker("one gradient-descent step") as c:
            for w, b, eta, X, Y in _CASES:
                got = c.call(gd_step, w, b, eta, X, Y)
                gw, gb = neuron.gradient(w, b, X, Y)
                c.close(f"(w, b) after a step from ({w}, {b})", got, (w - eta * gw, b - eta * gb),
                        slips={"you moved along the gradient": (w + eta * gw, b + eta * gb)})
        return c.report()

What the guard gives every check for free:

- ``c.call`` copies the arguments (deep copies) before the student's function sees them,
  so the reference answers, computed from the checker's own originals, stay right even
  when the student's function changes its inputs in place;
- the student's function gets :data:`TIME_LIMIT` seconds in all per check; a function
  that runs longer is stopped with a message saying so (see ``_timelimit`` for where that
  is possible, and what happens where it is not);
- an exception in the student's code, ``None`` returned, a function that is not a function:
  each becomes one line of feedback and ends the check;
- ``c.close``/``c.equal``/``c.number``/``c.parts`` accept an answer only in the forms
  ``_forms`` lists (a number given as text or as True is not a number) and say what is
  wrong with any other form, then compare; after them a value has the checker's form
  (floats, float arrays of the expected shape), so code that follows is safe to write
  with plain NumPy;
- ``slips`` name the typical mistakes: each maps a message to the answer that mistake
  gives (a value of the same form) or to a test ``lambda got: …`` of the conformed
  answer; the first that matches is added to the feedback. Slips are compared inside the
  guard: one that raises simply does not match;
- the first failed comparison (or ``c.fail``) ends the check;
- anything else that raises inside the ``with`` block becomes feedback too ("the checker
  could not finish"), is kept in ``c.internal_error`` for the tests (the robustness suite
  fails on it), and is never shown as a traceback;
- ``c.report()`` records the verdict in the student's progress file when the notebook runs
  in their own copies (``progress``), so ``return c.report()`` must stay in the check itself.

Checks of an answer that is a value, not a function, start with ``value = c.number(answer)``
(or their own type test) and then use plain Python on ``value``.
"""

from __future__ import annotations

import copy
import sys
import sysconfig
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from . import _forms, _timelimit, progress
from ._forms import Mismatch, same

#: Seconds the student's code may run in one check (all its calls together). The tests set
#: it lower (tests/unit/test_robust_checkers.py) so that stopping a loop stays quick.
TIME_LIMIT = 3.0

# Frames in these folders are not the student's code (course_lib, the standard library,
# installed packages), so an error is located in the student's own line.
_NOT_THEIRS = (
    str(Path(__file__).resolve().parent.parent),
    sysconfig.get_paths()["stdlib"],
    sysconfig.get_paths()["purelib"],
)


class _Stop(Exception):
    """Ends a check early; the problem has been noted."""


def _where(exc: BaseException) -> str:
    """' (line 4: `return w - g`)' for the deepest frame of the student's own code."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith(_NOT_THEIRS) and "site-packages" not in f.filename
    ]
    if not frames or not frames[-1].line:
        return ""
    return f" (line {frames[-1].lineno}: `{frames[-1].line.strip()}`)"


class Checker:
    """Collects the result of one exercise check and prints it as a short report.

    Use it as a context manager around the check's body; see the module docstring.
    """

    def __init__(self, title: str):
        self.title = title
        self.problems: list[str] = []
        self.failed = False
        self.seconds = 0.0  # time spent in the student's code so far
        self.internal_error: BaseException | None = None

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None or issubclass(kind, _Stop):
            return True
        if issubclass(kind, Exception):  # a checker that did not expect this answer
            self.internal_error = exc
            self.failed = True
            self.problems.append(
                f"the checker could not finish with this answer ({type(exc).__name__}: {exc}); "
                "please show this message to your instructor"
            )
            return True
        return False  # KeyboardInterrupt in the checker's own code: let it through

    # -- ending a check ---------------------------------------------------------------
    def fail(self, *messages: str | None) -> None:
        """Note the problem (one line per message, empty ones left out) and end the check."""
        self.failed = True
        self.problems.extend(m for m in messages if m)
        raise _Stop

    def require(self, condition: bool, message: str) -> None:
        """End the check with ``message`` unless ``condition`` holds."""
        if not condition:
            self.fail(message)

    # -- calling the student's code -----------------------------------------------------
    def call(self, fn: Callable, *args, **kwargs):
        """``fn(*args, **kwargs)`` on copies of the arguments, within the time limit.

        Returns what it returned; a crash, a timeout or ``None`` ends the check.
        """
        if not callable(fn):
            self.fail(f"expected a function, got {_forms.describe(fn)}")
        args, kwargs = copy.deepcopy((args, kwargs))
        limit = TIME_LIMIT
        start = time.perf_counter()
        try:
            got = _timelimit.run(fn, args, kwargs, max(limit - self.seconds, 0.0))
        except _timelimit.OutOfTime:
            self.fail(
                f"your function was stopped: it ran for more than {limit:g} s, the time "
                "limit of a check. Does a loop never end?"
            )
        except NotImplementedError:
            self.fail("not implemented yet (the function raised NotImplementedError)")
        except KeyboardInterrupt:
            self.fail("your function was interrupted")
        except (Exception, SystemExit) as exc:  # the student's code may raise anything
            message = str(exc) if len(str(exc)) <= 200 else str(exc)[:197] + "..."
            self.fail(f"your function raised {type(exc).__name__}{_where(exc)}: {message}")
        finally:
            self.seconds += time.perf_counter() - start
        if self.seconds > limit:
            self.fail(
                f"your function took {self.seconds:.1f} s, more than the time limit of "
                f"{limit:g} s: look for a loop that runs far more often than it needs to"
            )
        self.require(got is not None, "your function returned None (missing return?)")
        return got

    # -- comparing answers ----------------------------------------------------------------
    def _conform(self, got, expected, what: str):
        try:
            return _forms.conform(got, expected, what)
        except Mismatch as m:
            self.fail(str(m))

    def slip(self, got, slips: Mapping | None, rtol: float = 1e-6, atol: float = 1e-9):
        """The message of the first slip that ``got`` matches, or None; never raises."""
        for message, mistake in (slips or {}).items():
            try:
                if callable(mistake):
                    hit = bool(mistake(got))
                else:
                    hit = same(got, mistake, max(rtol, 1e-6), max(atol, 1e-9))
            except Exception:  # a test written for other answers: it does not match
                hit = False
            if hit:
                return message
        return None

    def close(
        self,
        what: str,
        got,
        expected,
        *,
        rtol: float = 1e-6,
        atol: float = 1e-9,
        slips: Mapping | None = None,
    ):
        """``got`` in the form of ``expected`` and numerically close to it, else the check
        ends with "what: expected …, got …" and the first slip that matches."""
        answer = self._conform(got, expected, what)
        reference = _forms.conform(expected, expected, what)
        if _forms.allclose(answer, reference, rtol, atol):
            return answer
        mismatch = f"{what}: expected {_forms.show(reference)}, got {_forms.show(answer)}"
        self.fail(mismatch, self.slip(answer, slips, rtol, atol))

    def equal(self, what: str, got, expected, *, slips: Mapping | None = None):
        """A whole number, or a list of them, equal to ``expected``; slips as in close."""
        try:
            if isinstance(expected, list):
                if not isinstance(got, list | tuple) and getattr(got, "ndim", 0) != 1:
                    raise Mismatch(f"{what}: expected a list of whole numbers, got "
                                   f"{_forms.describe(got)}")  # fmt: skip
                answer = [_forms.whole(g, f"{what}, value {i + 1}") for i, g in enumerate(got)]
            else:
                answer = _forms.whole(got, what)
        except Mismatch as m:
            self.fail(str(m))
        if answer == expected:
            return answer
        self.fail(f"{what}: expected {expected}, got {answer}", self.slip(answer, slips))

    def number(self, answer, what: str = "your answer") -> float:
        """A value answer as a float; None, text, a truth value, NaN... end the check."""
        if answer is None:
            self.fail(f"{what} is still None: replace None with your answer")
        try:
            return _forms.number(answer, what)
        except Mismatch as m:
            self.fail(str(m))

    def parts(self, got, n: int, what: str) -> tuple:
        """``got`` as a tuple of ``n`` values (from a tuple, list or 1-D array)."""
        if isinstance(got, np.ndarray) and got.shape == (n,):
            return tuple(got)
        if not isinstance(got, tuple | list) or len(got) != n:
            size = f"{len(got)} values" if isinstance(got, tuple | list) else None
            self.fail(f"expected a tuple {what}, got {size or _forms.describe(got)}")
        return tuple(got)

    # -- the verdict --------------------------------------------------------------------
    def report(self) -> bool:
        """Print the verdict and return True when every check passed.

        In a student's own copies the verdict is also recorded (``progress``: only for a
        ``check_…`` of an exercise module, which calls this) and the notebook's tally printed.
        """
        passed = not (self.failed or self.problems)
        if passed:
            print(f"✅ {self.title}: correct.")
        else:
            print(f"❌ {self.title}: not yet.")
            for p in dict.fromkeys(self.problems):  # unique, in order
                print(f"   • {p}")
        tally = progress.record_check(sys._getframe(1), self.title, passed)
        if tally:
            print(f"   {tally}")
        return passed
