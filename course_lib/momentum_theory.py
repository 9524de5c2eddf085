r"""Gradient descent, momentum and NAG on a quadratic bowl, solved exactly (notebook 02).

On :math:`\mathcal{L}(\theta) = \tfrac12\theta^\top A\theta` every eigen-direction of A, with
curvature λ, moves on its own, and one step of each method is a linear map of the state
:math:`(\xi_t, \text{update}_{t-1})` of that direction, ξ its coordinate (the course's form
of momentum, DESIGN.md: :math:`\text{update}_t = \gamma\,\text{update}_{t-1} + \eta\nabla_t`,
:math:`\xi_{t+1} = \xi_t - \text{update}_t`):

.. math:: M_\text{Momentum} = \begin{pmatrix} 1-\eta\lambda & -\gamma \\
          \eta\lambda & \gamma \end{pmatrix}, \qquad
          M_\text{NAG} = \begin{pmatrix} 1-\eta\lambda & -\gamma(1-\eta\lambda) \\
          \eta\lambda & \gamma(1-\eta\lambda) \end{pmatrix},

and gradient descent is momentum with γ = 0. The error shrinks by the spectral radius
ρ(M) = max |z| per step (the *rate*), where z solves
:math:`z^2 - (\operatorname{tr} M)\, z + \det M = 0`. Everything here follows from these
two numbers; the notebook derives them, and tests/unit/test_momentum_theory.py holds
them against ``numpy.linalg.eigvals`` of the matrices and against runs of ``course_lib.optim``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _validate as check

#: The methods this module knows, by their names in ``optim.OPTIMIZERS``.
METHODS = ("GD", "Momentum", "NAG")

#: Below this a run's distance to the minimum counts as reached: the squares in a norm of
#: smaller numbers underflow float64 (measured_rate).
_TINY = 1e-150


class Tuning(NamedTuple):
    """The best constant (η, γ) for a bowl of condition number κ, and the rate it gives."""

    eta: float
    gamma: float
    rate: float


def _method(method: object) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


def _positive(name: str, value: object) -> np.ndarray:
    """A finite float array (or scalar) whose entries are all > 0."""
    arr = check.float_array(name, value)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {arr.min():g}")
    return arr


def _gamma(method: str, gamma: object) -> np.ndarray:
    """γ in [0, 1); gradient descent has no momentum, so its γ must be 0."""
    arr = check.float_array("gamma", gamma)
    if np.any(arr < 0) or np.any(arr >= 1):
        raise ValueError(f"gamma must be in [0, 1), got values from {arr.min():g} to {arr.max():g}")
    if method == "GD" and np.any(arr != 0):
        raise ValueError(f"gradient descent has no momentum: gamma must be 0, got {arr.max():g}")
    return arr


def _scalar_or_array(x: np.ndarray) -> float | np.ndarray:
    return float(x) if x.ndim == 0 else x


def trace_and_det(method: str, eta_lam: object, gamma: object) -> tuple[np.ndarray, np.ndarray]:
    r"""tr M and det M of the step matrix, as functions of ηλ (``eta_lam``) and γ (arrays
    broadcast).

    .. math:: \text{GD: } \operatorname{tr} = 1-\eta\lambda,\ \det = 0 \qquad
              \text{Momentum: } \operatorname{tr} = 1+\gamma-\eta\lambda,\ \det = \gamma

              \text{NAG: } \operatorname{tr} = (1+\gamma)(1-\eta\lambda),\
              \det = \gamma(1-\eta\lambda)
    """
    method = _method(method)
    h, gamma = _positive("eta_lam", eta_lam), _gamma(method, gamma)
    if method == "NAG":
        return (1 + gamma) * (1 - h), gamma * (1 - h)
    return 1 + gamma - h, gamma + 0 * h  # GD is the case γ = 0


def iteration_matrix(method: str, eta: float, gamma: float, lam: float) -> np.ndarray:
    r"""The 2×2 matrix M with
    :math:`(\xi_{t+1}, \text{update}_t) = M\,(\xi_t, \text{update}_{t-1})` for one
    eigen-direction of curvature λ (scalars only; see the module docstring).

    Momentum: :math:`\text{update}_t = \gamma\,\text{update}_{t-1} + \eta\lambda\xi_t`.
    NAG takes the gradient at the look-ahead :math:`\xi_t - \gamma\,\text{update}_{t-1}`:
    :math:`\text{update}_t = \gamma(1-\eta\lambda)\,\text{update}_{t-1} + \eta\lambda\xi_t`.
    Both then step :math:`\xi_{t+1} = \xi_t - \text{update}_t`.
    """
    method = _method(method)
    eta, lam = check.positive("eta", eta), check.positive("lam", lam)
    gamma = float(_gamma(method, check.real("gamma", gamma)))
    h = eta * lam
    memory = gamma * (1 - h) if method == "NAG" else gamma  # weight of update_{t-1}
    update_row = [h, memory]  # update_t = ηλ ξ_t + memory * update_{t-1}
    xi_row = [1 - h, -memory]  # ξ_{t+1} = ξ_t - update_t
    return np.array([xi_row, update_row])


def eigenvalues(method: str, eta: object, gamma: object, lam: object) -> tuple:
    r"""The two roots of :math:`z^2 - (\operatorname{tr} M)\,z + \det M = 0` (complex
    arrays; η, γ, λ broadcast).

    .. math:: z_{1,2} = \tfrac12\Bigl(\operatorname{tr} M
              \pm \sqrt{(\operatorname{tr} M)^2 - 4\det M}\Bigr)
    """
    eta_lam = _positive("eta", eta) * _positive("lam", lam)
    trace, det = trace_and_det(method, eta_lam, gamma)
    root = np.sqrt((trace * trace - 4 * det).astype(complex))
    return (trace + root) / 2, (trace - root) / 2


def spectral_radius(method: str, eta: object, gamma: object, lam: object) -> float | np.ndarray:
    r"""The per-step rate of one eigen-direction: :math:`\max(|z_1|, |z_2|)`.

    The error of that direction shrinks like ρ^t when ρ < 1 and grows when ρ > 1.
    """
    z1, z2 = eigenvalues(method, eta, gamma, lam)
    return _scalar_or_array(np.maximum(np.abs(z1), np.abs(z2)))


def rate(method: str, eta: object, gamma: object, curvatures: object) -> float | np.ndarray:
    r"""The rate on a bowl with the given curvatures (eigenvalues of A): the slowest
    direction's spectral radius, :math:`\max_i \rho(\lambda_i)`. η and γ broadcast."""
    lams = _positive("curvatures", curvatures)
    if lams.ndim != 1 or lams.size == 0:
        raise ValueError(f"curvatures must be a non-empty 1-D list, got shape {lams.shape}")
    radii = [np.asarray(spectral_radius(method, eta, gamma, lam)) for lam in lams]
    return _scalar_or_array(np.max(radii, axis=0))


def stability_limit(method: str, gamma: object) -> float | np.ndarray:
    r"""The supremum of ηλ for which the method converges (at the limit it does not):

    .. math:: \text{GD: } 2 \qquad \text{Momentum: } 2(1+\gamma) \qquad
              \text{NAG: } \frac{2(1+\gamma)}{1+2\gamma}

    From Jury's test: both roots of :math:`z^2 - (\operatorname{tr} M)\,z + \det M` lie
    inside the unit circle exactly when :math:`|\det M| < 1` and
    :math:`|\operatorname{tr} M| < 1 + \det M`.
    """
    method = _method(method)
    gamma = _gamma(method, gamma)
    if method == "NAG":
        return _scalar_or_array(2 * (1 + gamma) / (1 + 2 * gamma))
    return _scalar_or_array(2 * (1 + gamma))


def optimal(method: str, kappa: float, lam_max: float = 1.0) -> Tuning:
    r"""The constant (η, γ) with the smallest rate on curvatures in [λ_max/κ, λ_max].

    With :math:`\lambda_\min = \lambda_\max/\kappa`:

    - GD: :math:`\eta = 2/(\lambda_\min + \lambda_\max)`, rate :math:`(\kappa-1)/(\kappa+1)`;
    - Momentum (Polyak): :math:`\eta = 4/(\sqrt{\lambda_\max} + \sqrt{\lambda_\min})^2`,
      :math:`\gamma = \bigl(\tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}\bigr)^2`,
      rate :math:`\sqrt\gamma = (\sqrt\kappa-1)/(\sqrt\kappa+1)`;
    - NAG (Lessard, Recht & Packard 2016): :math:`\eta = 4/(3\lambda_\max + \lambda_\min)`,
      :math:`\gamma = \frac{\sqrt{3\kappa+1}-2}{\sqrt{3\kappa+1}+2}`,
      rate :math:`1 - 2/\sqrt{3\kappa+1}`.
    """
    method = _method(method)
    kappa = check.real("kappa", kappa)
    if kappa < 1:
        raise ValueError(f"kappa = λ_max/λ_min must be >= 1, got {kappa}")
    lam_max = check.positive("lam_max", lam_max)
    lam_min = lam_max / kappa
    if method == "GD":
        return Tuning(2 / (lam_min + lam_max), 0.0, (kappa - 1) / (kappa + 1))
    if method == "Momentum":
        root = (kappa**0.5 - 1) / (kappa**0.5 + 1)
        return Tuning(4 / (lam_max**0.5 + lam_min**0.5) ** 2, root**2, root)
    q = (3 * kappa + 1) ** 0.5
    return Tuning(4 / (3 * lam_max + lam_min), (q - 2) / (q + 2), 1 - 2 / q)


def measured_rate(path: object, minimum: object) -> float:
    r"""The per-step contraction of a run, measured: the geometric mean of
    :math:`N_{t+1}/N_t` over the second half of the run, where

    .. math:: N_t = \sqrt{\lVert\theta_t - \theta^*\rVert^2
              + \lVert\theta_{t-1} - \theta^*\rVert^2}.

    Why two points: each direction's state is :math:`(x_t, \text{update}_{t-1})`, and
    :math:`\text{update}_{t-1} = \theta_{t-1} - \theta_t`, so :math:`N_t` measures the whole
    state. The distance alone can pass close to 0 as an oscillating direction swings through
    the minimum, and a ratio of two such distances says little. The first half is left out
    so that faster directions have died away; so are points within 1e-150 of the minimum
    (the squares in the norm would underflow), and a run that gets there within two steps
    has rate 0. A run that diverges has a rate above 1.

    Args:
        path: (k + 1, p) points of a run (``Run.path``, or a trajectory's rows), k >= 4.
        minimum: (p,) the minimiser θ*.
    """
    path = check.float_array("path", path, ndim=2)
    if path.shape[0] < 5:
        raise ValueError(f"path must have at least 5 points (4 steps), got {path.shape[0]}")
    minimum = check.float_array("minimum", minimum, ndim=1)
    if minimum.shape != path.shape[1:]:
        raise ValueError(f"minimum must have shape {path.shape[1:]}, got {minimum.shape}")
    d = np.linalg.norm(path - minimum, axis=1)
    state = np.hypot(d[1:], d[:-1])  # N_1 ... N_k
    below = np.flatnonzero(state <= _TINY)  # the minimum reached: measure what came before
    state = state[: below[0]] if below.size else state
    if state.size < 2:
        return 0.0
    first = (state.size - 1) // 2
    return float((state[-1] / state[first]) ** (1 / (state.size - 1 - first)))
