"""Interactive explorers, one small class each, built on the maths modules and `plots`.

Notebooks construct and display them::

    from course_lib.widgets import GDExplorer
    GDExplorer()

The map, in course order:

==================  ===========================================  ========
module              explorers                                    notebook
==================  ===========================================  ========
``base``            ``Explorer``: controls, figure, readout;     all
                    the background reused between moves
``_common``         what the optimizer explorers share: start    01-05
                    sliders, status of a run, race panels
``gd``              ``GDExplorer``, ``GuessExplorer``            00, 01
``race``            ``RaceExplorer``                             02
``rates``           ``RateMapExplorer``                          02
``batch``           ``BatchExplorer``                            03
``schedules``       ``ScheduleExplorer``                         04
``adaptive``        ``AdaptiveRaceExplorer``                     05
``sequence_tasks``  ``SequenceTaskExplorer``                     06
``bptt``            ``BPTTExplorer``                             07
``rnn``             ``GradientFlowExplorer``                     08
``lstm``            ``GateExplorer``                             09
``reach``           ``GradientReachExplorer``                    09
``autocomplete``    ``AutocompleteExplorer``                     10
``recall``          ``RecallExplorer``                           10
==================  ===========================================  ========

Imports go one way: widgets use the maths modules and ``plots``, and no other module of
``course_lib`` imports ``widgets`` (tests/unit/test_import_direction.py).
"""

from .adaptive import AdaptiveRaceExplorer
from .autocomplete import AutocompleteExplorer
from .base import Explorer
from .batch import BatchExplorer
from .bptt import BPTTExplorer
from .gd import GDExplorer, GuessExplorer
from .lstm import GateExplorer
from .race import RaceExplorer
from .rates import RateMapExplorer
from .reach import GradientReachExplorer
from .recall import RecallExplorer
from .rnn import GradientFlowExplorer
from .schedules import ScheduleExplorer
from .sequence_tasks import SequenceTaskExplorer

__all__ = [
    "AdaptiveRaceExplorer",
    "AutocompleteExplorer",
    "BatchExplorer",
    "BPTTExplorer",
    "Explorer",
    "GDExplorer",
    "GateExplorer",
    "GradientFlowExplorer",
    "GradientReachExplorer",
    "GuessExplorer",
    "RaceExplorer",
    "RateMapExplorer",
    "RecallExplorer",
    "ScheduleExplorer",
    "SequenceTaskExplorer",
]
