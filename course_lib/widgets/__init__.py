"""Interactive explorers, one small class each, built on the maths modules and `plots`.

Notebooks construct and display them::

    from course_lib.widgets import GDExplorer
    GDExplorer()
"""

from .autocomplete import AutocompleteExplorer
from .base import Explorer
from .gd import GDExplorer, GuessExplorer
from .lstm import GateExplorer

__all__ = ["AutocompleteExplorer", "Explorer", "GDExplorer", "GateExplorer", "GuessExplorer"]
