"""Explorer of notebook 08: how gradients flow back through an RNN, and what clipping does."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import optim, plots, rnn, sequences, train
from .base import Explorer, int_slider, log_slider, slider

_FLOOR, _CEIL = 1e-16, 1e16  # fixed log axes: runs stay comparable, the background is reused


def slope_factors(slopes: np.ndarray, omega: float) -> tuple[np.ndarray, np.ndarray]:
    """Per step j, for W = ω·Q: ω max_i σ'(a_ji), the most one factor diag(σ'(a_j)) W can
    stretch a vector, and ω rms_i σ'(a_ji), what it does to a vector spread evenly over
    the units. ``slopes`` (T, d) from ``rnn.activation_slopes``."""
    return omega * slopes.max(axis=1), omega * np.sqrt(np.mean(slopes**2, axis=1))


class GradientFlowExplorer(Explorer):
    """ω = ‖W‖₂ (W = ω·Q, Q orthogonal, so ω is also the spectral radius ρ(W)), the
    activation, the sequence length T and a clipping threshold.

    Left: ‖∂s_t/∂s_0‖ along one random sequence against t, with the bound (rω)^t, the
    tighter bound of this run's own slopes σ'(a_j) (``rnn.activation_slopes``),
    ∏_j ω max_i σ'(a_ji), and their typical effect ∏_j ω rms_i σ'(a_ji), which the measured
    norm follows (notebook 08 §2); it moves with every slider. Right, after
    pressing "train": the gradient norm at every step of a short training run on the
    remember-the-first-symbol task of length T, without and with clipping at the threshold
    (a dashed line).
    """

    title = "Gradient-flow explorer"

    def __init__(
        self,
        omega: float = 4.0,
        activation: str = "tanh",
        T: int = 10,
        clip: float = 1.0,
        d: int = 32,
        train_steps: int = 60,
        seed: int = 0,
    ):
        self.d, self.train_steps, self.seed = d, train_steps, seed
        self.omega = slider("ω = ‖W‖₂", omega, 0.1, 4.0, 0.05)
        self.activation = widgets.Dropdown(
            options=list(rnn.ACTIVATIONS), value=activation, description="σ"
        )
        self.T = int_slider("length T", T, 2, 100)
        self.clip = log_slider("clip at", clip, 0.01, 100.0)
        self.button = widgets.Button(description="train", icon="play")
        self.button.on_click(self.run_training)
        self.bar = widgets.Output()
        self._x = np.eye(4)[np.random.default_rng(seed).integers(4, size=100)]

        fig, (self.ax_jac, self.ax_grad) = plots.new_figure(1, 2, figsize=(11, 3.8))
        self.jac_line = plots.norm_curve(self.ax_jac, [1.0], "measured", plots.COLORS["RNN"])
        self.bound_line = plots.norm_curve(
            self.ax_jac, [1.0], r"bound $(r\omega)^{t}$", plots.COLORS["accent"], "--"
        )
        self.slope_lines = [
            plots.norm_curve(self.ax_jac, [1.0], label, plots.COLORS["data"], style)
            for label, style in (("∏ ω·max σ′ (bound, this run)", ":"),
                                 ("∏ ω·rms σ′ (typical, this run)", "-."))
        ]  # fmt: skip
        self.ax_jac.set(
            xlim=(0, 100), ylim=(_FLOOR, _CEIL), xlabel="t (steps back to $s_0$)",
            title=r"$\|\partial s_t / \partial s_0\|$ along one sequence",
        )  # fmt: skip
        self.ax_jac.legend(loc="lower right", fontsize="small")
        # Empty until "train" is pressed (tests/widgets/test_rnn_explorer.py checks that no
        # artist ever holds NaN, the placeholder that readouts once printed as "nan").
        self.raw_line = plots.grad_norm_curve(self.ax_grad, [], "no clipping", plots.COLORS["RNN"])
        self.clip_line = plots.grad_norm_curve(self.ax_grad, [], "clipped", plots.COLORS["GRU"])
        self.threshold = self.ax_grad.axhline(clip, color=plots.COLORS["accent"], ls="--", lw=1)
        self.ax_grad.set(
            xlim=(0, train_steps), ylim=(1e-3, 1e8),
            title="gradient norm while training (press train)",
        )  # fmt: skip
        self.ax_grad.legend(loc="upper right")
        self.train_status = plots.status_text(self.ax_grad)
        self.trained: dict | None = None
        self.progress = True  # the train button's tqdm bar (tests and benchmarks turn it off)
        self.dynamic = [
            self.jac_line,
            self.bound_line,
            *self.slope_lines,
            self.raw_line,
            self.clip_line,
            self.threshold,
            self.train_status,
        ]
        controls = [self.omega, self.activation, self.T, self.clip, self.button]
        self._finish(controls, fig, extra=[self.bar])

    @staticmethod
    def _training_news(runs: dict) -> str | None:
        """A banner when a run went wrong ("diverged at step k", "the loss jumped"), or None."""
        news = []
        for name, label in (("raw", "without clipping"), ("clip", "with clipping")):
            h = runs[name]
            if h.diverged:
                news.append(f"{label}: diverged at step {h.diverged_at}")
            elif h.losses and max(h.losses) > 2 * h.losses[0]:
                jump = max(h.losses) / h.losses[0]
                news.append(f"{label}: the loss jumped to {jump:.1f}x its start")
        return " · ".join(news) or None

    def _params(self) -> dict:
        return rnn.init_params(4, self.d, 4, rng=self.seed, w_scale=float(self.omega.value))

    def update(self) -> None:
        omega, act, T = float(self.omega.value), self.activation.value, int(self.T.value)
        params = self._params()
        # rnn.state_jacobians in its two halves, so the forward pass runs once for both
        slopes = rnn.activation_slopes(params, self._x[:T], activation=act)
        norms = np.linalg.norm(rnn.jacobian_products(params["W"], slopes), ord=2, axis=(1, 2))
        bound = (rnn.R[act] * omega) ** np.arange(T + 1, dtype=float)
        most, typical = slope_factors(slopes, omega)
        for line, per_step in zip(self.slope_lines, (most, typical), strict=True):
            product = np.concatenate([[1.0], np.cumprod(per_step)])
            plots.set_curve(line, np.clip(product, _FLOOR, _CEIL), xlim=(0, 100))
        plots.set_curve(self.jac_line, np.clip(norms, _FLOOR, _CEIL), xlim=(0, 100))
        plots.set_curve(self.bound_line, np.clip(bound, _FLOOR, _CEIL), xlim=(0, 100))
        r_omega = rnn.R[act] * omega
        regime = "< 1: the bound vanishes" if r_omega < 1 else "≥ 1: gradients may explode"
        self.threshold.set_ydata([float(self.clip.value)] * 2)
        self.readout.value = (
            f"ω = {omega:.2f}, σ = {act}, T = {T}: rω = {r_omega:.3g} {regime} · "
            f"‖∂s_T/∂s_0‖ = <b>{norms[-1]:.3g}</b> ≤ bound {bound[-1]:.3g}; this run's slopes: "
            f"at most {np.prod(most):.3g}, typically {np.prod(typical):.3g} · clipping "
            f"threshold (dashed) {float(self.clip.value):.3g}" + self._trained_text()
        )

    @staticmethod
    def _run_text(h) -> str:
        """What one training run did: 'diverged at step k', or its largest gradient norm and
        final loss (a run that did not diverge has only finite, recorded steps)."""
        if h.diverged:
            return f"diverged at step {h.diverged_at}"
        if not h.losses:
            return "no steps taken"
        return f"largest gradient norm {max(h.grad_norms):.3g}, final loss {h.losses[-1]:.3g}"

    def _trained_text(self) -> str:
        if self.trained is None:
            return " · press <i>train</i> to see the gradient norms of a training run"
        t = self.trained
        return html.escape(
            f" · trained with ω = {t['omega']:.2f}, σ = {t['act']}, T = {t['T']}: without "
            f"clipping {t['raw']}; clipped at {t['clip']:.3g}: {t['clipped']}"
        )

    def run_training(self, _button=None) -> None:
        """Two short runs (plain GD, η = 0.5) without and with clipping; heavy, so on a button."""
        omega, act, T = float(self.omega.value), self.activation.value, int(self.T.value)
        clip = float(self.clip.value)
        data = sequences.remember_first_task(n=32 * self.train_steps, length=T, seed=self.seed)
        runs = {}
        with self.bar:
            self.bar.clear_output()
            for name, c in (("raw", None), ("clip", clip)):
                params = self._params()
                runs[name] = train.train_recurrent(
                    rnn, params, data, optim.GD(0.5), batch_size=32, clip=c,
                    max_steps=self.train_steps, model_options={"activation": act},
                    progress=self.progress,
                )  # fmt: skip
        for line, h in ((self.raw_line, runs["raw"]), (self.clip_line, runs["clip"])):
            plots.set_curve(line, np.clip(h.grad_norms, 1e-3, 1e8), xlim=(0, self.train_steps))
        plots.set_status(self.train_status, self._training_news(runs))
        self.trained = {
            "omega": omega, "act": act, "T": T, "clip": clip,
            "raw": self._run_text(runs["raw"]), "clipped": self._run_text(runs["clip"]),
        }  # fmt: skip
        self.runs = runs
        self._on_change(None)
