"""course_lib: the tested NumPy code behind the course on optimization and sequence models.

Maths modules (``neuron``, ``surfaces``, ``optim``, ``gradcheck``, ...) import only NumPy and
each other; ``plots`` draws what they return; ``widgets`` ties both to ipywidgets. The course's
tooling (showing code, the catalog, the environment check, the student's copies, presenting,
static export) is apart, in ``course_lib.tools``.
"""

from importlib.resources import files

__version__ = "0.1.0"

#: Data files shipped inside the package (word list, trained checkpoints, their licence),
#: found by importlib.resources wherever course_lib is installed (a wheel, or editable from a
#: checkout); provenance in the repository's data/README.md. pip installs packages as plain
#: files, so this is a pathlib.Path (tests/unit/test_package_data.py checks it).
DATA_DIR = files(__name__) / "data"
