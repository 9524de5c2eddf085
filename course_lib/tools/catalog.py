"""The plan of the course: every notebook, in order, whether written yet or not, and where
the course is published (its one-click launch links are made from that address).

The README's map and notebook 00's map are checked against this list by the tests. Whether a
notebook "exists" is asked of the folder it would sit in: the current directory, which in a
running notebook is the notebook's own folder (``notebooks/``, ``my-notebooks/`` or a copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import _validate as check
from . import _checks

#: Where the course is published: the one place that names it. The Colab cell of every
#: notebook (tools.colab), the launch links of the README and of notebook 00 are made from
#: it, and tests/unit/test_colab.py checks that none of them names another address.
REPOSITORY = "https://github.com/OWNER/optim-seq-course"
BRANCH = "main"


def colab_url(file: str) -> str:
    """Google Colab's page opening notebook ``file`` of the published course."""
    file = check.text("file", file)
    path = REPOSITORY.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{BRANCH}/notebooks/{file}"


def binder_url() -> str:
    """mybinder.org's link: JupyterLab on notebook 00 of the student's copies (binder/)."""
    path = REPOSITORY.removeprefix("https://github.com/")
    return (
        f"https://mybinder.org/v2/gh/{path}/{BRANCH}"
        "?urlpath=lab/tree/my-notebooks/00_orientation.ipynb"
    )


@dataclass(frozen=True)
class Entry:
    number: str
    file: str
    title: str
    notes_section: str
    #: Written and in the course (False: planned, listed without a link).
    ready: bool = True

    def __post_init__(self):
        for name in ("number", "file", "title", "notes_section"):
            check.text(name, getattr(self, name))
        check.flag("ready", self.ready)

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


def markdown_map(folder: Path | None = None) -> str:
    """The course map as a Markdown table, each ready notebook linked: to its file when the
    course's notebooks are in ``folder`` (default: the current one, beside notebook 00), else
    to its page on Colab (which opens one notebook at a time, without the others beside it).
    """
    folder = _checks.optional_path("folder", folder)
    folder = Path.cwd() if folder is None else folder
    local = (folder / COURSE[0].file).exists()
    rows = ["| | notebook | lecture notes | status |", "|---|---|---|---|"]
    for e in COURSE:
        target = e.file if local else colab_url(e.file)
        name = f"[{e.title}]({target})" if e.ready else e.title
        status = "✅ ready" if e.ready else "planned"
        rows.append(f"| {e.number} | {name} | {e.notes_section} | {status} |")
    return "\n".join(rows)
