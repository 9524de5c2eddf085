r"""Two-parameter error surfaces 𝓛(w, b) with analytic gradients.

Each :class:`Surface` evaluates its loss and gradient on scalars or on whole grids
(NumPy broadcasting), knows the window in which it is worth plotting and a start point
that tells its story, and adapts itself to the optimizers' dict convention through
:meth:`Surface.loss_fn` and :meth:`Surface.grad_fn`.

``SURFACES`` maps a display name to a factory; explorers offer exactly these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check
from . import neuron

Array = np.ndarray


@dataclass(frozen=True)
class Surface:
    """A differentiable loss of two parameters (w, b).

    Attributes:
        name: short display name.
        loss: ``loss(w, b) -> array`` broadcasting over array inputs.
        grad: ``grad(w, b) -> (dL/dw, dL/db)``, broadcasting likewise.
        window: ``((w_min, w_max), (b_min, b_max))``, the region worth plotting.
        start: a start point ``(w0, b0)`` that shows the surface's character.
        minimum: the known minimiser ``(w*, b*)``, or ``None`` if it has no closed form.
        description: one sentence for figure titles and explorer help.
    """

    name: str
    loss: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], tuple[Array, Array]]
    window: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    minimum: tuple[float, float] | None = None
    description: str = ""
    extras: dict = field(default_factory=dict)

    def loss_fn(self, params: dict) -> float:
        """The loss at ``params = {"w": ..., "b": ...}`` as a float."""
        return float(self.loss(params["w"], params["b"]))

    def grad_fn(self, params: dict) -> dict:
        """The gradient at ``params`` as ``{"w": array(()), "b": array(())}``."""
        gw, gb = self.grad(params["w"], params["b"])
        return {"w": np.asarray(gw, dtype=np.float64), "b": np.asarray(gb, dtype=np.float64)}

    def params(self, w: float | None = None, b: float | None = None) -> dict:
        """A fresh parameter dict at (w, b), defaulting to :attr:`start`."""
        w0 = self.start[0] if w is None else check.real("w", w)
        b0 = self.start[1] if b is None else check.real("b", b)
        return {"w": np.array(float(w0)), "b": np.array(float(b0))}

    def grid(self, n: int = 256) -> tuple[Array, Array, Array]:
        """``(W, B, Z)`` meshgrids of shape (n, n) over :attr:`window` for contour plots."""
        n = check.integer("n", n, minimum=2)
        (w0, w1), (b0, b1) = self.window
        W, B = np.meshgrid(np.linspace(w0, w1, n), np.linspace(b0, b1, n))
        return W, B, np.asarray(self.loss(W, B), dtype=np.float64)


def sigmoid_neuron(X: object = neuron.X_TOY, Y: object = neuron.Y_TOY) -> Surface:
    """The lecture's surface: squared error of one sigmoid neuron on (X, Y).

    From (w, b) = (-2, -2) gradient descent creeps over a plateau, accelerates down the
    slope and creeps again near the minimum, the behaviour notebook 01 studies.
    """
    X, Y = neuron._data(X, Y)

    def loss(w, b):
        fx = neuron.sigmoid(np.multiply.outer(w, X) + np.asarray(b)[..., None])
        return 0.5 * np.sum((fx - Y) ** 2, axis=-1)

    def grad(w, b):
        fx = neuron.sigmoid(np.multiply.outer(w, X) + np.asarray(b)[..., None])
        common = (fx - Y) * fx * (1.0 - fx)
        return np.sum(common * X, axis=-1), np.sum(common, axis=-1)

    return Surface(
        name="sigmoid neuron",
        loss=loss,
        grad=grad,
        window=((-7.0, 5.0), (-7.0, 5.0)),
        start=(-2.0, -2.0),
        minimum=_exact_fit(X, Y),
        description="squared error of one sigmoid neuron on the lecture's two points",
        extras={"X": X, "Y": Y},
    )


def _exact_fit(X: Array, Y: Array) -> tuple[float, float] | None:
    """For two points with distinct x and 0 < y < 1 the neuron fits exactly:
    w x_i + b = logit(y_i) is a 2x2 linear system. Otherwise no closed form: None."""
    if X.size != 2 or X[0] == X[1] or not np.all((Y > 0) & (Y < 1)):
        return None
    logit = np.log(Y / (1 - Y))
    w = (logit[1] - logit[0]) / (X[1] - X[0])
    return float(w), float(logit[0] - w * X[0])


def plateau(width_w: float = 1.0, width_b: float = 0.6, tilt: float = 0.002) -> Surface:
    r"""A deep well in a wide, nearly flat plain.

    .. math:: \mathcal{L}(w, b) = 1 - e^{-\frac12 (w^2/s_w^2 + b^2/s_b^2)} + \epsilon (w^2 + b^2)

    Far from the origin only the gentle tilt :math:`\epsilon r^2` is felt (gradient
    :math:`2\epsilon r`, tiny), so gradient descent crawls; inside the well the slope is
    steep. The minimum is at (0, 0) with loss 0.
    """
    sw, sb = check.positive("width_w", width_w), check.positive("width_b", width_b)
    eps = check.real("tilt", tilt)
    if eps < 0:
        raise ValueError(f"tilt must be >= 0, got {eps}")

    def loss(w, b):
        w, b = np.asarray(w), np.asarray(b)
        return 1.0 - np.exp(-0.5 * ((w / sw) ** 2 + (b / sb) ** 2)) + eps * (w**2 + b**2)

    def grad(w, b):
        w, b = np.asarray(w), np.asarray(b)
        well = np.exp(-0.5 * ((w / sw) ** 2 + (b / sb) ** 2))
        return well * w / sw**2 + 2 * eps * w, well * b / sb**2 + 2 * eps * b

    return Surface(
        name="plateau",
        loss=loss,
        grad=grad,
        window=((-5.0, 5.0), (-5.0, 5.0)),
        start=(-4.0, 3.5),
        minimum=(0.0, 0.0),
        description="a narrow well in a wide, gently tilted plain",
    )


def quadratic_bowl(a: float = 1.0, c: float = 10.0) -> Surface:
    r"""An (ill-conditioned when c >> a) bowl :math:`\mathcal{L} = \tfrac12(a w^2 + c b^2)`.

    Gradient descent has a closed form here: :math:`w_t = (1-\eta a)^t w_0`,
    :math:`b_t = (1-\eta c)^t b_0`, and it diverges exactly when η > 2 / max(a, c).
    """
    a, c = check.positive("a", a), check.positive("c", c)
    return Surface(
        name="quadratic bowl",
        loss=lambda w, b: 0.5 * (a * np.asarray(w) ** 2 + c * np.asarray(b) ** 2),
        grad=lambda w, b: (a * np.asarray(w), c * np.asarray(b)),
        window=((-3.0, 3.0), (-3.0, 3.0)),
        start=(-2.5, 2.0),
        minimum=(0.0, 0.0),
        description=f"the bowl ½({a:g} w² + {c:g} b²)",
        extras={"a": a, "c": c},
    )


#: Display name -> factory with default arguments; explorers offer these surfaces.
SURFACES: dict[str, Callable[[], Surface]] = {
    "sigmoid neuron": sigmoid_neuron,
    "plateau": plateau,
    "quadratic bowl": quadratic_bowl,
}


def get(name: str) -> Surface:
    """The surface registered under ``name`` in :data:`SURFACES`."""
    if name not in SURFACES:
        raise ValueError(f"name must be one of {sorted(SURFACES)}, got {name!r}")
    return SURFACES[name]()
