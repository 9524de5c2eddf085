r"""Measures of a trajectory: how often it turns back, how far it overshoots, how long it takes.

The momentum section of the notes makes claims such as "momentum oscillates in and out of
the valley", "it takes a lot of u-turns" and "it still converges faster than gradient
descent". These functions turn each claim into a number a notebook can assert.

Across a straight valley with unit normal :math:`n` through a point :math:`m` (for the
sharp-valley surface, ``surface.extras["normal"]`` and ``surface.minimum``), a path
:math:`p_0, p_1, \dots` has the across-valley coordinate

.. math:: u_t = (p_t - m) \cdot n,

the signed distance from the valley floor. The step's component across the valley is
:math:`\Delta u_t = u_{t+1} - u_t`, and a **u-turn** is a sign change of :math:`\Delta u`
between consecutive steps: the path was heading towards one wall and now heads towards the
other. Steps with :math:`|\Delta u| \le` ``tol`` are skipped (they neither make nor break a
u-turn), so that round-off in the final approach, where :math:`|u|` is ~1e-16, is not
counted as turning.

Paths have shape (k, 2): one (w, b) row per point, the start first (``optim.Run.path``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _validate as check


def _check_path(path: object) -> np.ndarray:
    arr = check.float_array("path", path, ndim=2)
    if arr.shape[1] != 2 or arr.shape[0] == 0:
        raise ValueError(f"path must have shape (k, 2) with k >= 1, got {arr.shape}")
    return arr


def across(path: object, normal: Sequence[float], point: Sequence[float]) -> np.ndarray:
    r"""Signed distance of each point from the line through ``point`` normal to ``normal``.

    :math:`u_t = (p_t - m) \cdot n / \|n\|`; path (k, 2), normal (2,), point (2,) -> (k,).
    """
    p = _check_path(path)
    n = check.float_array("normal", normal, ndim=1)
    m = check.float_array("point", point, ndim=1)
    if n.shape != (2,) or m.shape != (2,):
        raise ValueError(f"normal and point must have shape (2,), got {n.shape} and {m.shape}")
    length = float(np.hypot(*n))
    if length == 0:
        raise ValueError("normal must not be the zero vector")
    return (p - m) @ (n / length)


def u_turns(u: object, tol: float = 1e-6) -> int:
    r"""Number of sign changes of :math:`\Delta u_t` among the steps with |Δu| > ``tol``.

    ``u`` (k,) is the across-valley coordinate along a path (:func:`across`).
    """
    u = check.float_array("u", u, ndim=1)
    tol = check.real("tol", tol)
    if tol < 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    du = np.diff(u)
    du = du[np.abs(du) > tol]
    return int(np.count_nonzero(np.sign(du[1:]) != np.sign(du[:-1])))


def valley_exits(u: object, half_width: float) -> int:
    """How many times the path leaves the valley: |u| <= half_width, then |u| > half_width."""
    u = check.float_array("u", u, ndim=1)
    h = check.positive("half_width", half_width)
    inside = np.abs(u) <= h
    return int(np.count_nonzero(inside[:-1] & ~inside[1:]))


def overshoot(u: object, tol: float = 1e-6) -> float:
    r"""How far the path gets on the far side of the valley floor: :math:`\max_t(-s\,u_t)`, >= 0.

    s is the sign of the first :math:`u_t` with :math:`|u_t| >` ``tol`` (the side the path
    comes from). A path that never gets more than ``tol`` past the floor (round-off as it
    settles) has overshoot 0.
    """
    u = check.float_array("u", u, ndim=1)
    tol = check.in_range("tol", tol, 0.0, np.inf)
    off = np.flatnonzero(np.abs(u) > tol)
    if off.size == 0:
        return 0.0
    far_side = float(np.max(-np.sign(u[off[0]]) * u))
    return far_side if far_side > tol else 0.0


def steps_to_reach(losses: object, threshold: float, stay: bool = False) -> int | None:
    """The first step t with ``losses[t] <= threshold`` (0 = the start), or None if never.

    With ``stay=True``: the first step from which the loss stays at or below ``threshold``
    to the end of the run (a method that dips below and overshoots back out has not
    arrived yet). ``losses`` (k,) is the loss along a path, the start first
    (``optim.Run.losses``).
    """
    losses = check.float_array("losses", losses, ndim=1)
    threshold = check.real("threshold", threshold)
    stay = check.flag("stay", stay)
    above = losses > threshold
    if stay:
        if above.size == 0 or above[-1]:
            return None
        last_above = np.flatnonzero(above)
        return int(last_above[-1] + 1) if last_above.size else 0
    hits = np.flatnonzero(~above)
    return int(hits[0]) if hits.size else None


def valley_summary(surface, path: object, tol: float = 1e-6) -> dict[str, float]:
    """u-turns, valley exits and overshoot of a path on a surface that has a valley axis.

    ``surface`` must carry ``extras["normal"]`` and ``extras["half_width"]`` and a
    ``minimum`` on the valley floor (as :func:`course_lib.surfaces.sharp_valley` does).
    Returns ``{"u_turns": int, "exits": int, "overshoot": float}``.
    """
    extras = getattr(surface, "extras", {})
    if "normal" not in extras or getattr(surface, "minimum", None) is None:
        raise ValueError(
            f"surface must have a valley axis (extras['normal'] and a minimum), "
            f"got {getattr(surface, 'name', surface)!r}"
        )
    u = across(path, extras["normal"], surface.minimum)
    return {
        "u_turns": u_turns(u, tol),
        "exits": valley_exits(u, extras["half_width"]),
        "overshoot": overshoot(u, tol),
    }
