"""Interactive explorers, one small class each, built on the maths modules and `plots`.

Notebooks construct and display them::

    from course_lib.widgets import GDExplorer
    GDExplorer()
"""

from .adaptive import AdaptiveRaceExplorer
from .base import Explorer
from .batch import BatchExplorer
from .gd import GDExplorer, GuessExplorer
from .race import RaceExplorer
from .rnn import GradientFlowExplorer
from .schedules import ScheduleExplorer

__all__ = [
    "AdaptiveRaceExplorer",
    "BatchExplorer",
    "Explorer",
    "GDExplorer",
    "GradientFlowExplorer",
    "GuessExplorer",
    "RaceExplorer",
    "ScheduleExplorer",
]
