"""Interactive explorers, one small class each, built on the maths modules and `plots`.

Notebooks construct and display them::

    from course_lib.widgets import GDExplorer
    GDExplorer()
"""

from .adaptive import AdaptiveRaceExplorer
from .autocomplete import AutocompleteExplorer
from .base import Explorer
from .batch import BatchExplorer
from .gd import GDExplorer, GuessExplorer
from .lstm import GateExplorer
from .race import RaceExplorer
from .rnn import GradientFlowExplorer
from .schedules import ScheduleExplorer

__all__ = [
    "AdaptiveRaceExplorer",
    "AutocompleteExplorer",
    "BatchExplorer",
    "Explorer",
    "GDExplorer",
    "GateExplorer",
    "GradientFlowExplorer",
    "GuessExplorer",
    "RaceExplorer",
    "ScheduleExplorer",
]
