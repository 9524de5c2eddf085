"""Check functions for the notebooks' exercises, one module per notebook (``nb01`` ...).

Every ``check_…`` function calls the student's code on cases whose answers are known
independently (closed forms, finite differences), prints specific feedback, and returns
``True`` or ``False``; it never raises, never hangs (a time limit) and never shows a
traceback, so a notebook with unfinished exercises still runs top to bottom. How to write
one: the docstring of ``_feedback`` (and DESIGN.md, "Exercise checkers").
"""

from ._feedback import Checker

__all__ = ["Checker"]
