r"""Convergence rates over the (η, γ) plane and the stability boundaries (notebook 02).

A rate ρ is the factor by which the error shrinks per step; the interesting ones crowd
near 1 (0.98 against 0.82 is ten times fewer steps), so the colour shows
:math:`-\log_{10}(1-\rho)`, with the colour bar labelled in ρ. Rates of 1 and above (no
convergence) are grey.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.patheffects as pe
import numpy as np
from matplotlib.artist import ArtistInspector
from matplotlib.axes import Axes
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from .. import _validate as check
from .. import momentum_theory
from . import _args
from .theme import COLORS

#: Colour-bar ticks: rates whose error shrinks by a digit in about 1, 10, 100, 1000 steps.
RATE_TICKS = (0.0, 0.9, 0.99, 0.999, 0.9999)
#: Grey for rates >= 1 (the method does not converge there).
DIVERGES = "#bdbdbd"


def rate_colour_values(rates: np.ndarray) -> np.ma.MaskedArray:
    r""":math:`-\log_{10}(1-\rho)` for ρ < 1, masked (drawn grey) for ρ >= 1."""
    rates = check.float_array("rates", rates)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = -np.log10(1.0 - np.minimum(rates, 1.0))
    return np.ma.masked_where(rates >= 1.0, values)


def rate_map(
    ax: Axes, etas: np.ndarray, gammas: np.ndarray, rates: np.ndarray, colorbar: bool = True
) -> AxesImage:
    """Heat map of ``rates`` (shape (len(gammas), len(etas))) over η (x) and γ (y), evenly
    spaced grids; returns the image (update it with :func:`set_rate_map`)."""
    ax, colorbar = _args.axes("ax", ax), check.flag("colorbar", colorbar)
    etas, gammas = _grid("etas", etas), _grid("gammas", gammas)
    rates = check.float_array("rates", rates, ndim=2)
    if rates.shape != (len(gammas), len(etas)):
        raise ValueError(f"rates must have shape (len(gammas), len(etas)) = "
                         f"{(len(gammas), len(etas))}, got {rates.shape}")  # fmt: skip
    cmap = mpl.colormaps["viridis_r"].with_extremes(bad=DIVERGES)
    half_eta, half_gamma = (etas[1] - etas[0]) / 2, (gammas[1] - gammas[0]) / 2
    extent = (
        etas[0] - half_eta,
        etas[-1] + half_eta,
        gammas[0] - half_gamma,
        gammas[-1] + half_gamma,
    )
    image = ax.imshow(
        rate_colour_values(rates),
        origin="lower",
        extent=extent,
        aspect="auto",
        cmap=cmap,
        vmin=0.0,
        vmax=-np.log10(1 - RATE_TICKS[-1]),
        interpolation="nearest",
    )
    ax.set(xlabel=r"learning rate $\eta$ (in units of $1/\lambda_{\max}$)", ylabel=r"$\gamma$")
    ax.grid(False)
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, label=r"rate $\rho$ (grey: $\rho \geq 1$)")
        bar.set_ticks([-np.log10(1 - r) if r < 1 else 0 for r in RATE_TICKS])
        bar.set_ticklabels([f"{r:g}" for r in RATE_TICKS])
    return image


def set_rate_map(image: AxesImage, rates: np.ndarray) -> None:
    """Replace the rates a :func:`rate_map` shows (same grid)."""
    _args.instance("image", image, AxesImage, "the image plots.rate_map returns")
    rates = check.float_array("rates", rates, ndim=2)
    if rates.shape != image.get_array().shape:
        raise ValueError(
            f"rates must have the map's shape {image.get_array().shape}, got {rates.shape}"
        )
    image.set_data(rate_colour_values(rates))


def stability_boundary(ax: Axes, method: str, gammas: np.ndarray, **style) -> Line2D:
    r"""The line η·λ_max = the method's stability limit, for γ in ``gammas`` (GD: γ = 0
    only, drawn as a vertical line at 2 over the whole γ range). ``style`` goes to
    ``ax.plot`` (Line2D properties such as ``lw``, ``ls``)."""
    ax, gammas = _args.axes("ax", ax), check.float_array("gammas", gammas, ndim=1)
    if not isinstance(method, str) or method not in ("GD", "Momentum", "NAG"):
        raise ValueError(f"method must be one of ('GD', 'Momentum', 'NAG'), got {method!r}")
    if not len(gammas):
        raise ValueError("gammas must not be empty")
    unknown = sorted(set(style) - _LINE_PROPERTIES)
    if unknown:
        raise TypeError(f"stability_boundary got unknown keyword(s) {unknown}: style takes "
                        f"matplotlib Line2D properties such as lw, ls, alpha")  # fmt: skip
    if method == "GD":
        x = np.full_like(gammas, momentum_theory.stability_limit("GD", 0.0))
    else:
        x = momentum_theory.stability_limit(method, gammas)
    style = {"color": COLORS[method], "lw": 2, "label": method} | style
    (line,) = ax.plot(x, gammas, **style)
    # a white edge keeps the line visible on every colour of the map
    line.set_path_effects(
        [pe.Stroke(linewidth=line.get_linewidth() + 2, foreground="white"), pe.Normal()]
    )
    ax.annotate(
        method,
        (x[-1], gammas[-1]),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize="small",
        fontweight="bold",
        color=COLORS[method],
        annotation_clip=False,
    )
    return line


#: What ``stability_boundary(..., **style)`` may set: the properties of a Line2D.
_LINE_PROPERTIES = set(ArtistInspector(Line2D).get_setters()).union(
    *ArtistInspector(Line2D).aliasd.values()
)


def _grid(name: str, values: object) -> np.ndarray:
    """An evenly spaced grid of at least two values (the map's cells are centred on them)."""
    values = check.float_array(name, values, ndim=1)
    if len(values) < 2:
        raise ValueError(f"{name} must hold at least 2 values, got {len(values)}")
    return values
