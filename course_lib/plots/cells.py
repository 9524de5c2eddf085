"""The LSTM and GRU cells drawn as data-flow diagrams (notebook 09): :func:`gated_cell`.

Each diagram is a table of nodes (position, label, kind) and arrows, so the two cells are
drawn by the same code and a test can read what is drawn.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from . import _args
from .theme import COLORS

#: Face colour of each kind of node: states, gates (σ), tanh blocks, elementwise operations.
_FACES = {"state": "#fdebd9", "gate": "#e8f1fa", "tanh": "#e3f4ec", "op": "white", "in": "#f2f2f2"}

#: node -> (x, y, label, kind); arrows (from, to, label); the cell state runs along the top.
CELLS = {
    "lstm": {
        "nodes": {
            "s_prev": (0.0, 3.0, "$s_{t-1}$", "state"),
            "keep": (2.0, 3.0, "×", "op"),
            "add": (4.0, 3.0, "+", "op"),
            "s": (7.2, 3.0, "$s_t$", "state"),
            "in": (0.6, 0.0, "$h_{t-1},\\ x_t$", "in"),
            "f": (2.0, 1.2, "σ\nforget $f_t$", "gate"),
            "i": (3.3, 1.2, "σ\ninput $i_t$", "gate"),
            "cand": (4.6, 1.2, "tanh\n$\\tilde s_t$", "tanh"),
            "read": (4.0, 2.1, "×", "op"),
            "o": (5.9, 1.2, "σ\noutput $o_t$", "gate"),
            "squash": (5.6, 2.3, "tanh", "tanh"),
            "write": (6.6, 1.8, "×", "op"),
            "h": (7.2, 0.3, "$h_t$", "state"),
        },
        "arrows": [
            ("s_prev", "keep", ""),
            ("keep", "add", ""),
            ("add", "s", "the board"),
            ("in", "f", ""),
            ("in", "i", ""),
            ("in", "cand", ""),
            ("in", "o", ""),
            ("f", "keep", "forget"),
            ("i", "read", ""),
            ("cand", "read", ""),
            ("read", "add", "read"),
            ("add", "squash", ""),
            ("squash", "write", ""),
            ("o", "write", ""),
            ("write", "h", "write"),
        ],  # fmt: skip
    },
    "gru": {
        "nodes": {
            "s_prev": (0.0, 3.0, "$s_{t-1}$", "state"),
            "keep": (2.6, 3.0, "×", "op"),
            "add": (5.2, 3.0, "+", "op"),
            "s": (7.2, 3.0, "$s_t$", "state"),
            "in": (0.6, 0.0, "$s_{t-1},\\ x_t$", "in"),
            "o": (1.6, 1.2, "σ\nreset $o_t$", "gate"),
            "i": (3.4, 1.2, "σ\nupdate $i_t$", "gate"),
            "minus": (2.6, 2.1, "1 −", "op"),
            "reset": (4.6, 0.3, "×", "op"),
            "cand": (5.6, 1.2, "tanh\n$\\tilde s_t$", "tanh"),
            "read": (5.2, 2.1, "×", "op"),
        },
        "arrows": [
            ("s_prev", "keep", ""),
            ("keep", "add", ""),
            ("add", "s", "the board"),
            ("in", "o", ""),
            ("in", "i", ""),
            ("o", "reset", ""),
            ("in", "reset", "$s_{t-1}$"),
            ("reset", "cand", "$W(o_t \\odot s_{t-1})$"),
            ("i", "minus", ""),
            ("minus", "keep", "forget"),
            ("i", "read", ""),
            ("cand", "read", ""),
            ("read", "add", "read"),
        ],  # fmt: skip
    },
}


def gated_cell(ax: Axes, kind: str) -> dict:
    """Draw the ``kind`` ("lstm" or "gru") cell on ``ax``: the cell state s along the top
    (what the forget path keeps, ×, plus what the input path reads, +), the gates (σ) and
    the tanh blocks below, fed by the step's inputs. Returns the drawn text artists by node.
    """
    _args.axes("ax", ax)
    if not isinstance(kind, str) or kind not in CELLS:
        raise ValueError(f"kind must be one of {tuple(CELLS)}, got {kind!r}")
    spec = CELLS[kind]
    nodes = spec["nodes"]
    texts = {}
    for name, (x, y, label, style) in nodes.items():
        pad = "circle,pad=0.15" if style == "op" else "round,pad=0.35"
        box = {"boxstyle": pad, "fc": _FACES[style], "ec": COLORS["data"], "lw": 1.1}
        texts[name] = ax.text(x, y, label, ha="center", va="center", fontsize="small", bbox=box)
    for start, end, label in spec["arrows"]:
        (x0, y0), (x1, y1) = nodes[start][:2], nodes[end][:2]
        top = y0 == y1 == 3.0  # the cell state's path: drawn thicker
        ax.annotate(
            "", (x1, y1), (x0, y0),
            arrowprops={"arrowstyle": "-|>", "color": COLORS["LSTM"] if top else COLORS["data"],
                        "lw": 2.2 if top else 1.0, "shrinkA": 13, "shrinkB": 13},
        )  # fmt: skip
        if label:
            upright = x0 == x1  # a vertical arrow: its label beside it, not on it
            ax.text((x0 + x1) / 2 + (0.12 if upright else 0), (y0 + y1) / 2 + 0.15, label,
                    fontsize="x-small", ha="left" if upright else "center",
                    color=COLORS["GD"])  # fmt: skip
    ax.set(xlim=(-0.6, 7.8), ylim=(-0.6, 3.5))
    ax.set_title({"lstm": "LSTM cell", "gru": "GRU cell"}[kind])
    ax.axis("off")
    return texts
