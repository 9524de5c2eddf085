"""Reruns of shipped training results are compared only under the NumPy that made them.

Training amplifies rounding: another NumPy (CI's oldest and newest corners) sums in another
order, and a borderline run can then end a few points of accuracy away. The shipped files
record the NumPy they were made with; a rerun under a different major.minor version is
skipped with that reason instead of compared with a tolerance that would have to hide it.
"""

from __future__ import annotations

import numpy as np
import pytest


def same_numpy_as(recorded: str) -> None:
    """Skip the calling test unless this NumPy's major.minor is ``recorded``'s."""
    ours, theirs = np.__version__.split(".")[:2], str(recorded).split(".")[:2]
    if ours != theirs:
        pytest.skip(f"shipped results were made with NumPy {recorded}; this is {np.__version__}")
