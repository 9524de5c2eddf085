"""course_lib: the tested NumPy code behind the course on optimization and sequence models.

Maths modules (``neuron``, ``surfaces``, ``optim``, ``gradcheck``, ...) import only NumPy and
each other; ``plots`` draws what they return; ``widgets`` ties both to ipywidgets.
"""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root (course_lib is installed in editable mode by `make lab`).
ROOT = Path(__file__).resolve().parent.parent
#: Data files shipped with the course; see data/README.md.
DATA_DIR = ROOT / "data"
