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
    X, Y = neuron.check_points(X, Y)

    def loss(w, b):
        fx = neuron.sigmoid.unchecked(np.multiply.outer(w, X) + np.asarray(b)[..., None])
        return 0.5 * np.sum((fx - Y) ** 2, axis=-1)

    def grad(w, b):
        fx = neuron.sigmoid.unchecked(np.multiply.outer(w, X) + np.asarray(b)[..., None])
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


def _soft_abs(x: Array, c: float) -> Array:
    r"""A smooth :math:`|x|`: :math:`c(\sqrt{1 + (x/c)^2} - 1)`, a parabola for |x| << c."""
    return c * (np.sqrt(1.0 + (x / c) ** 2) - 1.0)


def _soft_sign(x: Array, c: float) -> Array:
    r"""Derivative of :func:`_soft_abs`: :math:`(x/c)/\sqrt{1 + (x/c)^2}`, in (-1, 1)."""
    return (x / c) / np.sqrt(1.0 + (x / c) ** 2)


def sharp_valley(
    wall: float = 1.5,
    width: float = 0.1,
    slope: float = 0.08,
    angle: float = 10.0,
) -> Surface:
    r"""The notes' "peculiar" surface: error high on both sides of a very sharp valley.

    In coordinates across (u) and along (v) the valley, which runs through the minimum
    :math:`m = (2.5, 0.5)` at ``angle`` degrees to the w-axis
    (:math:`n = (-\sin\theta, \cos\theta)`, :math:`d = (\cos\theta, \sin\theta)`,
    :math:`u = (p - m)\cdot n`, :math:`v = (p - m)\cdot d` for p = (w, b)):

    .. math:: \mathcal{L}(w, b) = a\, c_u\Bigl(\sqrt{1 + u^2/c_u^2} - 1\Bigr)
              + s\, c_v\Bigl(\sqrt{1 + v^2/c_v^2} - 1\Bigr)

    with a = ``wall``, :math:`c_u` = ``width``, s = ``slope``, :math:`c_v = 0.5`.
    Across the valley the loss is a V: walls of constant steep slope a on both sides,
    rounded only within ``width`` of the floor, where the curvature is a / width (sharp).
    Along the floor the slope is the gentle s. So the gradient always points down a wall
    (momentum rushes in, overshoots and climbs the opposite wall: a u-turn), while the way
    to the minimum is a long gentle slope (gradient descent crawls). Because u and v
    separate and every optimizer of the course is linear in the gradient, what happens
    across the valley does not depend on where along it a run starts: the behaviour is a
    property of the surface and of (η, γ), not of one start point.

    ``extras`` holds ``normal`` (n, shape (2,)) and ``half_width`` (= ``width``, the band
    |u| <= width counted as "in the valley" by :mod:`course_lib.measures`).
    """
    a, cu = check.positive("wall", wall), check.positive("width", width)
    s, cv = check.positive("slope", slope), 0.5
    theta = np.deg2rad(check.in_range("angle", angle, -60.0, 60.0, hi_open=False))
    normal = np.array([-np.sin(theta), np.cos(theta)])
    along = np.array([np.cos(theta), np.sin(theta)])
    m = (2.5, 0.5)

    def coords(w, b):
        dw, db = np.asarray(w, dtype=np.float64) - m[0], np.asarray(b, dtype=np.float64) - m[1]
        return dw * normal[0] + db * normal[1], dw * along[0] + db * along[1]

    def loss(w, b):
        u, v = coords(w, b)
        return a * _soft_abs(u, cu) + s * _soft_abs(v, cv)

    def grad(w, b):
        u, v = coords(w, b)
        gu, gv = a * _soft_sign(u, cu), s * _soft_sign(v, cv)  # dL/du, dL/dv
        return gu * normal[0] + gv * along[0], gu * normal[1] + gv * along[1]

    return Surface(
        name="sharp valley",
        loss=loss,
        grad=grad,
        window=((-4.0, 4.0), (-2.0, 2.0)),
        start=(-3.5, 1.5),
        minimum=m,
        description="steep walls on both sides of a sharp valley whose floor slopes gently",
        extras={"normal": normal, "half_width": cu, "wall": a, "slope": s},
    )


def sparse_feature(n: int = 100, k: int = 2, w_true: float = 3.0, b_true: float = -1.0) -> Surface:
    r"""A sigmoid neuron whose input x is a *sparse* feature: zero for all but k of n points.

    x_i = 1 for i < k and 0 otherwise; y_i = σ(w* x_i + b*), so the minimum (w*, b*) has
    loss 0. The loss is the lecture's :math:`\sum_i \tfrac12 (f(x_i) - y_i)^2`, hence

    .. math:: \nabla w = \sum_{i:\,x_i \neq 0} (f_i - y_i) f_i (1 - f_i)\, x_i
              \quad (k \text{ terms}), \qquad
              \nabla b = \sum_{i} (f_i - y_i) f_i (1 - f_i) \quad (n \text{ terms}):

    w hears from k points, b from all n, so a single η that is safe for b moves w very
    little. Adaptive learning rates (AdaGrad, RMSProp, Adam) were made for this.

    The k points with x = 1 are identical, and so are the n − k with x = 0, so each sum is
    computed as k times one term plus (n − k) times the other: the same sums, without
    touching n points at every step of a six-optimizer race.
    """
    n = check.integer("n", n, minimum=2)
    k = check.integer("k", k, minimum=1)
    if k >= n:
        raise ValueError(f"k must be smaller than n (a sparse feature), got k={k}, n={n}")
    w_true, b_true = check.real("w_true", w_true), check.real("b_true", b_true)
    X = np.zeros(n)
    X[:k] = 1.0
    Y = neuron.sigmoid.unchecked(w_true * X + b_true)
    y1, y0 = Y[0], Y[-1]  # the target of the k points with x = 1, of the n − k with x = 0

    def loss(w, b):
        f1, f0 = neuron.sigmoid.unchecked(np.add(w, b)), neuron.sigmoid.unchecked(b)
        return 0.5 * (k * (f1 - y1) ** 2 + (n - k) * (f0 - y0) ** 2)

    def grad(w, b):
        f1, f0 = neuron.sigmoid.unchecked(np.add(w, b)), neuron.sigmoid.unchecked(b)
        from_x1 = k * (f1 - y1) * f1 * (1.0 - f1)  # only these points carry x (= 1)
        from_x0 = (n - k) * (f0 - y0) * f0 * (1.0 - f0)
        return from_x1, from_x1 + from_x0

    return Surface(
        name="sparse feature",
        loss=loss,
        grad=grad,
        window=((-6.0, 6.0), (-4.0, 4.0)),
        start=(-5.0, 1.0),
        minimum=(w_true, b_true),
        description=f"sigmoid neuron; x is non-zero for {k} of {n} points",
        extras={"X": X, "Y": Y, "k": k, "n": n},
    )


#: Display name -> factory with default arguments; explorers offer these surfaces.
SURFACES: dict[str, Callable[[], Surface]] = {
    "sigmoid neuron": sigmoid_neuron,
    "plateau": plateau,
    "quadratic bowl": quadratic_bowl,
    "sharp valley": sharp_valley,
    "sparse feature": sparse_feature,
}


def get(name: str) -> Surface:
    """The surface registered under ``name`` in :data:`SURFACES`."""
    if name not in SURFACES:
        raise ValueError(f"name must be one of {sorted(SURFACES)}, got {name!r}")
    return SURFACES[name]()
