"""Interactive explorers, one small class each, built on the maths modules and `plots`.

Notebooks construct and display them::

    from course_lib.widgets import GDExplorer
    GDExplorer()
"""

from .base import Explorer
from .batch import BatchExplorer
from .gd import GDExplorer, GuessExplorer
from .race import RaceExplorer

__all__ = ["BatchExplorer", "Explorer", "GDExplorer", "GuessExplorer", "RaceExplorer"]
