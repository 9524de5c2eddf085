"""Interactive explorers, one small class each, built on the maths modules and `plots`.

Notebooks construct and display them::

    from course_lib.widgets import GDExplorer
    GDExplorer()
"""

from .adaptive import AdaptiveRaceExplorer
from .base import Explorer
from .gd import GDExplorer, GuessExplorer
from .rnn import GradientFlowExplorer
from .schedules import ScheduleExplorer

__all__ = [
    "AdaptiveRaceExplorer",
    "Explorer",
    "GDExplorer",
    "GradientFlowExplorer",
    "GuessExplorer",
    "ScheduleExplorer",
]
