"""Feedback shared by all check functions."""

from __future__ import annotations

import numpy as np


class Checker:
    """Collects the result of one exercise check and prints it as a short report.

    Usage inside a ``check_…`` function::

        c = Checker("gradient-descent step")
        got = c.call(student_fn, w, b)          # exceptions become feedback
        c.close_to("w after one step", got[0], expected_w)
        return c.report()
    """

    def __init__(self, title: str):
        self.title = title
        self.problems: list[str] = []
        self.crashed = False

    def call(self, fn, *args, **kwargs):
        """Call the student's function; an exception becomes a problem, not a crash."""
        if self.crashed:
            return None
        if not callable(fn):
            self.fail(f"expected a function, got {type(fn).__name__}")
            self.crashed = True
            return None
        try:
            return fn(*args, **kwargs)
        except NotImplementedError:
            self.fail("not implemented yet (the function raised NotImplementedError)")
        except Exception as exc:  # the student's code may raise anything
            self.fail(f"your function raised {type(exc).__name__}: {exc}")
        self.crashed = True
        return None

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def returned(self, got, what: str = "") -> bool:
        """False (and a problem noted) when the student's function returned None."""
        prefix = f"{what}: " if what else ""
        return self.require(
            got is not None, f"{prefix}your function returned None (missing return?)"
        )

    def require(self, condition: bool, message: str) -> bool:
        if not condition:
            self.fail(message)
        return bool(condition)

    def close_to(self, what: str, got, expected, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
        """Check that ``got`` matches ``expected`` (numbers or arrays of the same shape)."""
        if self.crashed:
            return False
        if not self.returned(got, what):
            return False
        try:
            got_arr = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return self.require(
                False, f"{what}: expected a number or array, got {type(got).__name__}"
            )
        expected = np.asarray(expected, dtype=float)
        if got_arr.shape != expected.shape:
            return self.require(
                False, f"{what}: expected shape {expected.shape}, got {got_arr.shape}"
            )
        ok = bool(np.allclose(got_arr, expected, rtol=rtol, atol=atol))
        return self.require(
            ok,
            f"{what}: expected {np.array2string(expected, precision=6)}, "
            f"got {np.array2string(got_arr, precision=6)}",
        )

    def report(self) -> bool:
        """Print the verdict and return True when every check passed."""
        if self.problems:
            print(f"❌ {self.title}: not yet.")
            for p in dict.fromkeys(self.problems):  # unique, in order
                print(f"   • {p}")
            return False
        print(f"✅ {self.title}: correct.")
        return True
