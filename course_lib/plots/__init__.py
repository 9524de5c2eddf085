"""Every figure of the course, drawn one way.

One look for all notebooks (:func:`use_style`), a larger presentation look for lecture
halls (``use_style(presentation=True)``), one colour per optimizer (:data:`COLORS`), and
helpers that return the artists they create so explorers can update them in place.
Use them as ``from course_lib import plots; plots.contour(ax, surface)``.

The map, in course order:

============================  =========================================================
module                        holds
============================  =========================================================
``plots.theme``               the look (:func:`use_style`, :func:`style_context`), colours,
                              :func:`new_figure` for explorers, :func:`full_width` (all)
``plots.accessible``          every figure's text description: alt text, screen readers (all)
``plots.banner``              the "diverged at step k" banner of the explorers (01-05, 08-10)
``plots.paths``               contours, paths, 3-D surface (01), NAG's look-ahead (02),
                              per-point gradient directions (03)
``plots.curves``              loss and gradient-norm curves (01 on), distance across the
                              valley (02), learning-rate search and per-epoch curves (04),
                              effective learning rates (05)
``plots.animation``           the race replayed step by step (02)
``plots.rates``               convergence rates over (η, γ), stability boundaries (02)
``plots.sequence_models``     clip frames (06), unrolled RNN, probability table (07), norms
                              against the lag (08), gate heatmaps (09), completion bars (10)
``plots.sequence_tasks``      a task's inputs, targets and scored outputs (06); BPTT's
                              path terms against k, full and truncated gradient (07)
``plots.cells``               the LSTM and GRU cells drawn as diagrams (09)
``plots.capstone``            recall accuracy against the gap, learning-rate searches (10)
============================  =========================================================

Imports go one way: ``plots`` draws what the maths modules return and never imports
``widgets`` or ipywidgets (tests/unit/test_import_direction.py).
"""

from .accessible import describe, description
from .animation import animate_race, animation_html
from .banner import set_status, status_message, status_text
from .capstone import lr_curves, recall_curves
from .cells import gated_cell
from .curves import (
    across_valley,
    curve,
    effective_lr_curve,
    epoch_curves,
    grad_norm_curve,
    loss_curve,
    search_plot,
    set_curve,
)
from .paths import contour, draw_look_ahead, draw_path, gradient_fan, set_path, surface_3d
from .rates import rate_map, set_rate_map, stability_boundary
from .sequence_models import (
    completion_bars,
    frame_strip,
    gate_heatmaps,
    heatmap,
    norm_curve,
    prob_table,
    probability_sticks,
    set_completions,
    set_sticks,
    unrolled_rnn,
)
from .sequence_tasks import (
    gradient_images,
    path_terms,
    set_gradient_images,
    set_path_terms,
    set_task_diagram,
    task_diagram,
)
from .theme import (
    COLORS,
    DARK_BACKGROUND,
    GATE_CMAP,
    MAX_WIDTH_PX,
    PRESENTATION_WIDTH_PX,
    SCHEDULE_COLORS,
    STATE_CMAP,
    SURFACE_CMAP,
    full_width,
    new_figure,
    style,
    style_context,
    use_style,
)

__all__ = [
    "lr_curves",
    "recall_curves",
    "task_diagram",
    "set_task_diagram",
    "set_path_terms",
    "set_gradient_images",
    "path_terms",
    "gradient_images",
    "COLORS",
    "DARK_BACKGROUND",
    "GATE_CMAP",
    "MAX_WIDTH_PX",
    "PRESENTATION_WIDTH_PX",
    "SCHEDULE_COLORS",
    "STATE_CMAP",
    "SURFACE_CMAP",
    "across_valley",
    "animate_race",
    "animation_html",
    "completion_bars",
    "contour",
    "curve",
    "describe",
    "description",
    "draw_look_ahead",
    "draw_path",
    "effective_lr_curve",
    "epoch_curves",
    "frame_strip",
    "full_width",
    "gated_cell",
    "gate_heatmaps",
    "grad_norm_curve",
    "gradient_fan",
    "heatmap",
    "loss_curve",
    "new_figure",
    "norm_curve",
    "prob_table",
    "probability_sticks",
    "rate_map",
    "search_plot",
    "set_completions",
    "set_curve",
    "set_path",
    "set_rate_map",
    "set_status",
    "set_sticks",
    "stability_boundary",
    "status_message",
    "status_text",
    "style",
    "style_context",
    "surface_3d",
    "unrolled_rnn",
    "use_style",
]
