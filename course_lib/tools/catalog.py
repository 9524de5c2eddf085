"""The plan of the course: every notebook, in order, whether written yet or not.

The README's map and notebook 00's map are checked against this list by the tests. Whether a
notebook "exists" is asked of the folder it would sit in: the current directory, which in a
running notebook is the notebook's own folder (``notebooks/``, ``my-notebooks/`` or a copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    number: str
    file: str
    title: str
    notes_section: str

    @property
    def exists(self) -> bool:
        """Whether this notebook is in the current directory (beside notebook 00)."""
        return self.path.exists()

    @property
    def path(self) -> Path:
        """This notebook in the current directory (beside notebook 00)."""
        return Path.cwd() / self.file


COURSE = [
    Entry("00", "00_orientation.ipynb", "Orientation", "how the course works, notation"),
    Entry(
        "01",
        "01_gradient_descent.ipynb",
        "Gradient descent and error surfaces",
        "Optimization Algorithms",
    ),
    Entry("02", "02_momentum_and_nesterov.ipynb", "Momentum and Nesterov", "Momentum; NAG"),
    Entry(
        "03",
        "03_batch_stochastic_minibatch.ipynb",
        "Batch, stochastic and mini-batch",
        "Stochastic & Mini Batch GD",
    ),
    Entry(
        "04",
        "04_learning_rate_schedules.ipynb",
        "Learning-rate tuning and schedules",
        "Tips for Adjusting Learning Rate & Momentum",
    ),
    Entry(
        "05",
        "05_adaptive_learning_rates.ipynb",
        "Adaptive learning rates: AdaGrad, RMSProp, Adam",
        "GD with Adaptive Learning Rate; bias correction",
    ),
    Entry(
        "06",
        "06_sequence_learning_problems.ipynb",
        "Sequence learning problems",
        "Sequence Learning Problems",
    ),
    Entry(
        "07",
        "07_rnn_and_bptt.ipynb",
        "Recurrent networks and backpropagation through time",
        "RNN; BPTT",
    ),
    Entry(
        "08",
        "08_vanishing_exploding_gradients.ipynb",
        "Vanishing and exploding gradients",
        "The Problem of Exploding & Vanishing",
    ),
    Entry("09", "09_lstm_and_gru.ipynb", "LSTM and GRU", "LSTM & GRU"),
    Entry(
        "10",
        "10_capstone_autocompletion.ipynb",
        "Capstone: character-level autocompletion",
        "the notes' motivating task",
    ),
]


def markdown_map() -> str:
    """The course map as a Markdown table, with links to the notebooks that exist."""
    rows = ["| | notebook | lecture notes | status |", "|---|---|---|---|"]
    for e in COURSE:
        name = f"[{e.title}]({e.file})" if e.exists else e.title
        rows.append(
            f"| {e.number} | {name} | {e.notes_section} | {'✅ ready' if e.exists else 'planned'} |"
        )
    return "\n".join(rows)
