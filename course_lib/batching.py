r"""Batch, stochastic and mini-batch gradient descent: which points each update looks at.

One **epoch** is one pass over the N training points. The notes compare three ways of
spending it:

===========================  ==========================  ==========================
algorithm                    points per update           updates per epoch
===========================  ==========================  ==========================
(vanilla) batch GD           all N                       1
stochastic GD                1                           N
mini-batch GD                B                           ⌈N / B⌉
===========================  ==========================  ==========================

All three are :func:`batches` with ``batch_size`` N, 1 and B, and all of them drive the
*same* optimizers of :mod:`course_lib.optim`: :func:`minibatch_run` hands each optimizer a
gradient function that sees one batch per call, so stochastic and mini-batch momentum and
NAG need no code of their own.

Convention: the loss of a batch is the **mean** over its points,
:math:`\mathcal{L}_\mathcal{B}(w, b) = \frac{1}{|\mathcal{B}|}\sum_{i\in\mathcal{B}}
\tfrac12 (f(x_i) - y_i)^2`, and so is its gradient. The notes sum instead; the mean is
the sum divided by the number of points, the same direction, and it lets one η serve
every batch size (with the sum, η would have to shrink as B grows).

The **last partial batch**: when B does not divide N, the last batch of an epoch holds
the N mod B points left over. It is kept by default (every point is used once per epoch,
⌈N/B⌉ updates); with ``drop_last=True`` it is skipped (⌊N/B⌋ updates, each exactly B
points; the skipped points differ from epoch to epoch because of the shuffle).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np

from . import _validate as check
from . import neuron, optim
from .surfaces import Surface

Params = dict[str, np.ndarray]


def _check_batch_size(n: int, batch_size: object) -> tuple[int, int]:
    n = check.integer("n", n, minimum=1)
    batch_size = check.integer("batch_size", batch_size)
    if not 1 <= batch_size <= n:
        raise ValueError(
            f"batch_size must be between 1 and n = {n} (1 = stochastic, n = batch), "
            f"got {batch_size}"
        )
    return n, batch_size


def batches(
    n: int,
    batch_size: int,
    rng: np.random.Generator | int | None = None,
    *,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[np.ndarray]:
    """The index arrays of one epoch over points 0 … n−1, ``batch_size`` at a time.

    With ``shuffle`` the points are visited in a fresh random order drawn from ``rng``
    (a ``np.random.Generator``, an int seed, or None for seed 0); pass the same Generator
    every epoch to get a new order each time. Every point appears exactly once per epoch,
    except the n mod batch_size left over when ``drop_last=True``. Yields int arrays of
    shape (batch_size,), the last one shorter when batch_size does not divide n.
    """
    n, batch_size = _check_batch_size(n, batch_size)
    order = check.generator("rng", rng).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start : start + batch_size]


def updates_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """⌈n / B⌉ (or ⌊n / B⌋ with ``drop_last``): 1 for batch GD, n for stochastic GD."""
    n, batch_size = _check_batch_size(n, batch_size)
    return n // batch_size if check.flag("drop_last", drop_last) else -(-n // batch_size)


def _check_points(X: object, Y: object) -> tuple[np.ndarray, np.ndarray]:
    X = check.float_array("X", X)
    Y = check.float_array("Y", Y)
    if X.ndim == 0 or Y.ndim == 0 or X.shape[0] != Y.shape[0]:
        raise ValueError(
            f"X and Y must hold the same number of points along their first axis, "
            f"got shapes {X.shape} and {Y.shape}"
        )
    if X.shape[0] == 0:
        raise ValueError("X must hold at least one point, got 0")
    return X, Y


# The sigmoid neuron's batch loss and gradients. They trust their inputs (shapes checked
# once by the public entry points) because they run at every update of every run.


def _residual_terms(w, b, X, Y) -> tuple[np.ndarray, np.ndarray]:
    """f(x_i) and the shared factor dℓ_i/dz_i = (f(x_i) − y_i) f(x_i)(1 − f(x_i))."""
    fx = neuron.sigmoid.unchecked(np.multiply.outer(w, X) + np.asarray(b)[..., None])
    return fx, (fx - Y) * fx * (1.0 - fx)


def _neuron_params(name: str, params: object) -> Params:
    """The sigmoid neuron's {"w", "b"}: finite real numbers (0-d arrays or numbers), as 0-d
    arrays; anything else is an error naming ``name``."""
    if not isinstance(params, Mapping):
        raise TypeError(f"{name} must be a dict {{'w': w, 'b': b}}, got {type(params).__name__}")
    if set(params) != {"w", "b"}:
        raise ValueError(f"{name} must have the keys ['b', 'w'] (the sigmoid neuron's), "
                         f"got {sorted(map(str, params))}")  # fmt: skip
    return {k: np.array(check.real(f"{name}[{k!r}]", v)) for k, v in params.items()}


def _batch_arguments(params: object, X: object, Y: object) -> tuple:
    """The sigmoid neuron's (params, X, Y), checked: :func:`_neuron_params` and two 1-D
    arrays of one length >= 1."""
    params = _neuron_params("params", params)
    X, Y = check.float_array("X", X, ndim=1), check.float_array("Y", Y, ndim=1)
    if X.shape != Y.shape or X.size == 0:
        raise ValueError(f"X and Y must have one length >= 1, got shapes {X.shape} and {Y.shape}")
    return params, X, Y


@check.checked_by(_batch_arguments)
def mean_loss(params: Params, X: np.ndarray, Y: np.ndarray) -> float:
    r"""The sigmoid neuron's loss on a batch: :math:`\frac{1}{B}\sum_i \tfrac12 (f(x_i)-y_i)^2`.

    params {"w": (), "b": ()}; X, Y shape (B,).
    """
    fx = neuron.sigmoid.unchecked(params["w"] * X + params["b"])
    return float(0.5 * np.mean((fx - Y) ** 2))


@check.checked_by(_batch_arguments)
def mean_gradient(params: Params, X: np.ndarray, Y: np.ndarray) -> Params:
    r"""The gradient of :func:`mean_loss`: the mean of the points' own gradients.

    .. math:: \nabla w = \frac1B \sum_i (f(x_i) - y_i) f(x_i)(1 - f(x_i))\, x_i, \qquad
              \nabla b = \frac1B \sum_i (f(x_i) - y_i) f(x_i)(1 - f(x_i))

    Returns {"w": (), "b": ()} like ``params``.
    """
    fx = neuron.sigmoid.unchecked(params["w"] * X + params["b"])
    common = (fx - Y) * fx * (1.0 - fx)  # dℓ_i/dz_i, the factor both gradients share
    B = X.size  # Σ_i common_i x_i is the dot product common @ X (cheaper than np.mean)
    return {"w": np.array(common @ X / B), "b": np.array(common.sum() / B)}


def point_gradients(params: Params, X: object, Y: object) -> np.ndarray:
    r"""Each point's own gradient, shape (N, 2): row i is (∇w_i, ∇b_i) of ½(f(x_i) − y_i)².

    The batch gradient is the mean of a batch's rows; "the true gradient" is the mean of
    all N rows.
    """
    params, X, Y = _batch_arguments(params, X, Y)
    _, common = _residual_terms(float(params["w"]), float(params["b"]), X, Y)
    return np.column_stack([common * X, common])


def error_surface(
    X: object, Y: object, window=((-3.0, 5.0), (-5.0, 3.0)), start=(-2.0, 2.0)
) -> Surface:
    """The mean loss over the data set (X, Y) as a :class:`~course_lib.surfaces.Surface`.

    Loss and gradient broadcast over arrays of (w, b) and sum the data 64 points at a
    time, so a 200 x 200 grid over 1,000 points needs a few MB of scratch space, not 300.
    """
    _, X, Y = _batch_arguments({"w": 0.0, "b": 0.0}, X, Y)
    if X.ndim != 1:
        raise ValueError(f"X must be 1-D (one input per point), got shape {X.shape}")
    n = X.shape[0]

    def chunked(w, b, term):
        w, b = np.broadcast_arrays(np.asarray(w, np.float64), np.asarray(b, np.float64))
        outs = None
        for i in range(0, n, 64):
            parts = term(w, b, X[i : i + 64], Y[i : i + 64])
            outs = parts if outs is None else [o + p for o, p in zip(outs, parts, strict=True)]
        return [o / n for o in outs]

    def loss_terms(w, b, x, y):
        fx, _ = _residual_terms(w, b, x, y)
        return [0.5 * np.sum((fx - y) ** 2, axis=-1)]

    def grad_terms(w, b, x, y):
        _, common = _residual_terms(w, b, x, y)
        return [np.sum(common * x, axis=-1), np.sum(common, axis=-1)]

    loss = lambda w, b: chunked(w, b, loss_terms)[0]  # noqa: E731
    grad = lambda w, b: tuple(chunked(w, b, grad_terms))  # noqa: E731
    return Surface(
        name=f"sigmoid neuron, {n} points",
        loss=loss,
        grad=grad,
        window=window,
        start=start,
        minimum=_minimiser(loss, grad, window),
        description=f"mean squared error of one sigmoid neuron on {n} points",
        extras={"X": X, "Y": Y},
    )


def _minimiser(loss, grad, window, iterations: int = 30) -> tuple[float, float] | None:
    """The minimum inside ``window``: the best point of a coarse grid, refined by Newton's
    method (Hessian by centred differences of the analytic gradient). None if it fails."""
    (w0, w1), (b0, b1) = window
    W, B = np.meshgrid(np.linspace(w0, w1, 41), np.linspace(b0, b1, 41))
    Z = loss(W, B)
    i = np.unravel_index(np.argmin(Z), Z.shape)
    p, h = np.array([W[i], B[i]]), 1e-5
    for _ in range(iterations):
        g = np.array(grad(*p))
        if np.hypot(*g) < 1e-12:
            break
        H = np.column_stack(
            [
                (np.array(grad(*(p + h * e))) - np.array(grad(*(p - h * e)))) / (2 * h)
                for e in np.eye(2)
            ]
        )
        try:
            p = p - np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return None
    inside = w0 < p[0] < w1 and b0 < p[1] < b1
    return (float(p[0]), float(p[1])) if inside and np.hypot(*grad(*p)) < 1e-9 else None


def gradient_variance(point_grads: object, batch_size: int) -> float:
    r"""The exact variance of a mini-batch's mean gradient, batches drawn without replacement.

    With :math:`g_i` the N rows of ``point_grads`` (N, P), :math:`\bar g` their mean and
    :math:`\sigma^2 = \frac1N\sum_i \|g_i - \bar g\|^2` the spread of single points,

    .. math:: \mathbb{E}\,\|\hat g_B - \bar g\|^2 = \frac{\sigma^2}{B}\cdot\frac{N-B}{N-1}

    (the finite-population correction (N−B)/(N−1) makes it 0 at B = N: the full batch is
    the true gradient). For B << N it is σ²/B: the noise falls as 1/B.
    """
    G = check.float_array("point_grads", point_grads, ndim=2)
    n, batch_size = _check_batch_size(G.shape[0], batch_size)
    if n == 1:
        return 0.0
    spread = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    return float(spread / batch_size * (n - batch_size) / (n - 1))


def sampled_gradient_variance(
    point_grads: object, batch_size: int, draws: int = 2000, rng: object = 0
) -> float:
    r"""The variance :math:`\mathbb{E}\|\hat g_B - \bar g\|^2` measured over shuffled epochs.

    Draws at least ``draws`` full batches of size B from :func:`batches` (as many epochs
    as needed, ``drop_last=True``) and averages their squared distance from the true
    gradient. An independent check on :func:`gradient_variance`.
    """
    G = check.float_array("point_grads", point_grads, ndim=2)
    n, batch_size = _check_batch_size(G.shape[0], batch_size)
    draws = check.integer("draws", draws, minimum=1)
    rng = check.generator("rng", rng)
    true = G.mean(axis=0)
    squares = []
    while sum(len(sq) for sq in squares) < draws:
        epoch = np.stack(list(batches(n, batch_size, rng, drop_last=True)))  # (n // B, B)
        squares.append(np.sum((G[epoch].mean(axis=1) - true) ** 2, axis=1))
    return float(np.mean(np.concatenate(squares)))


class BatchRun(optim.Run):
    """What :func:`minibatch_run` returns: an :class:`optim.Run` (one row per *update*) plus
    the bookkeeping of epochs.

    Extra attributes:
        batch_sizes: shape (k,), how many points update t looked at.
        epoch_ends: shape (E,), the update count at the end of each completed epoch, so
            ``losses[epoch_ends]`` is the loss after each epoch.
        points_seen: shape (k + 1,), points processed before each recorded point (0 first):
            the cost axis on which batch, stochastic and mini-batch GD are compared fairly.
    """

    def __init__(self, run: optim.Run, batch_sizes, epoch_ends):
        super().__init__(
            run.trajectory, run.losses, run.grad_norms, run.lrs, run.diverged_at, run.reason
        )
        self.batch_sizes = np.asarray(batch_sizes, dtype=int)
        self.epoch_ends = np.asarray(epoch_ends, dtype=int)
        self.points_seen = np.concatenate([[0], np.cumsum(self.batch_sizes)])

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.epoch_ends)

    @property
    def epoch_losses(self) -> np.ndarray | None:
        """Shape (E + 1,): the loss at the start and after each completed epoch."""
        if self.losses is None:
            return None
        return self.losses[np.concatenate([[0], self.epoch_ends])]

    def __repr__(self) -> str:
        end = f"diverged at update {self.diverged_at}" if self.diverged else "finished"
        return f"BatchRun({self.steps} updates, {self.epochs} epochs, {end})"


class BatchRecorder(optim.Recorder):
    """An :class:`optim.Recorder` that also notes each update's batch size and the update
    count at the end of each epoch; :meth:`run` gives a :class:`BatchRun`."""

    def __init__(self, params: Params, loss_fn=None, max_abs: float = 1e6):
        super().__init__(params, loss_fn, max_abs)
        self.batch_sizes: list[int] = []
        self.epoch_ends: list[int] = []

    def record_batch(self, params: Params, grads: Params, lr: float, batch_size: int) -> bool:
        """:meth:`optim.Recorder.record`, and the batch size of the step if it was kept."""
        kept = self.record(params, grads, lr)
        if kept:
            self.batch_sizes.append(batch_size)
        return kept

    def end_epoch(self) -> None:
        self.epoch_ends.append(self.steps)

    def run(self) -> BatchRun:
        return BatchRun(super().run(), self.batch_sizes, self.epoch_ends)


def run_epoch(
    optimizer: optim.Optimizer,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    order: Iterator[np.ndarray],
    recorder: BatchRecorder,
    scheduler: optim.Scheduler,
    grad: Callable[[Params, np.ndarray, np.ndarray], Params] = mean_gradient.unchecked,
) -> bool:
    """One epoch: for each index array ``idx`` of ``order`` (from :func:`batches`), one
    optimizer step on the batch's gradient ``grad(p, X[idx], Y[idx])``, ``params`` updated
    in place and the step recorded. Returns False if a step diverged (the epoch ends there).

    The gradient is a function of the point p because NAG asks for it at its look-ahead.
    """
    for idx in order:
        scheduler.before_step(recorder.steps)
        grads = optimizer.step(params, lambda p, idx=idx: grad(p, X[idx], Y[idx]))
        if not recorder.record_batch(params, grads, optimizer.lr, len(idx)):
            return False
    recorder.end_epoch()
    return True


def _check_callables(**functions: object) -> None:
    for name, fn in functions.items():
        if fn is not None and not callable(fn):
            raise TypeError(f"{name} must be callable, got {type(fn).__name__}")


def minibatch_run(
    optimizer: optim.Optimizer,
    X: object,
    Y: object,
    batch_size: int,
    epochs: int,
    params0: Mapping[str, np.ndarray],
    *,
    rng: np.random.Generator | int | None = 0,
    shuffle: bool = True,
    drop_last: bool = False,
    grad: Callable[[Params, np.ndarray, np.ndarray], Params] = mean_gradient.unchecked,
    loss: Callable[[Params, np.ndarray, np.ndarray], float] | None = mean_loss.unchecked,
    schedules: Mapping[str, Callable[[int], float]] | None = None,
    on_epoch_end: Callable[[int, Params, optim.Optimizer], object] | None = None,
    max_abs: float = 1e6,
) -> BatchRun:
    r"""Train for ``epochs`` passes over (X, Y), one optimizer step per batch of ``batch_size``.

    Each epoch is :func:`run_epoch` over a fresh shuffle of :func:`batches` from ``rng``:
    batch_size = N is batch GD, 1 is stochastic GD, anything between is mini-batch GD, with
    any optimizer (``optim.GD``, ``optim.Momentum``, ``optim.NAG``, …). The optimizer is
    reset first, as in :func:`optim.run`. ``loss(params, X, Y)`` on all the data is
    recorded after every update (pass ``loss=None`` to skip it when only the path matters).

    ``schedules`` maps an optimizer attribute to a function of the update number
    t = 0, 1, … (as in :func:`optim.run`); ``on_epoch_end(epoch, params, optimizer)`` is
    called after each epoch (epoch = 0, 1, …; ``params`` a copy) and may change the
    optimizer (an η that halves when a validation loss rises) or return True to stop. A run
    that diverges stops with ``diverged_at`` (the update number) and ``reason`` set, as in
    :func:`optim.run`.

    X (N, …) and Y (N, …): the points along the first axis; params0 is not modified.
    """
    X, Y = _check_points(X, Y)
    n, batch_size = _check_batch_size(X.shape[0], batch_size)
    epochs = check.integer("epochs", epochs, minimum=0)
    _check_callables(grad=grad, loss=loss, on_epoch_end=on_epoch_end)
    rng = check.generator("rng", rng)
    scheduler = optim.Scheduler(optimizer, schedules)
    params = optim.start_point(params0)
    loss_fn = None if loss is None else (lambda p: loss(p, X, Y))
    recorder = BatchRecorder(params, loss_fn, check.positive("max_abs", max_abs))
    optimizer.reset()
    with np.errstate(all="ignore"):  # divergence is reported in the run instead
        for epoch in range(epochs):
            order = batches(n, batch_size, rng, shuffle=shuffle, drop_last=drop_last)
            if not run_epoch(optimizer, params, X, Y, order, recorder, scheduler, grad):
                break
            if on_epoch_end is not None and on_epoch_end(epoch, _copy(params), optimizer):
                break
    return recorder.run()


def _copy(params: Params) -> Params:
    return {k: v.copy() for k, v in params.items()}
