"""course_lib: the tested NumPy code behind the course on optimization and sequence models.

A map, in course order (the notebook that introduces each module first):

======================  ===================================================================
notebook                modules
======================  ===================================================================
01 gradient descent     ``neuron`` (the sigmoid neuron, its loss and gradients),
                        ``surfaces`` (error surfaces 𝓛(w, b)), ``optim`` (every optimizer
                        and the loop that runs it), ``gradcheck`` (finite differences)
02 momentum, NAG        ``momentum_theory`` (GD, momentum and NAG on a bowl, solved
                        exactly), ``measures`` (u-turns, overshoot, time to converge)
03 batch sizes          ``batching`` (which points each update looks at),
                        ``batching_fused`` (the explorer's fast path of the same runs)
04 schedules            ``schedules`` (η and γ as functions of the step), ``tuning`` (η
                        tuned on a validation split)
05 adaptive rates       ``adaptive`` (effective learning rates, moving averages)
06 sequence problems    ``sequences`` (vocabularies, one-hot, padding, the course's tasks),
                        ``task_views`` (a task's inputs, targets and scored steps)
07 RNN and BPTT         ``rnn`` (one readable step, the forward pass, BPTT), ``train`` (one
                        training loop for every model), ``functions`` (logistic, softmax,
                        safe log: shared by every model)
08 vanishing gradients  ``gradflow`` (‖∂𝓛/∂s_k‖ for every k), ``longrange`` (what a plain
                        RNN learns of a long-range dependency; shipped results)
09 LSTM and GRU         ``lstm``, ``gru`` (readable steps beside fused kernels, step
                        Jacobians), ``models`` (the three models by name), ``gated`` (the
                        gated models on the long-range task; shipped runs, read-back of x_1)
10 capstone             ``wordmodels`` (the shipped word models' recipe), ``autocomplete``
                        (the most likely completions), ``checkpoint`` (saving and loading),
                        ``recall`` (a task where memory matters), ``wordtuning`` (η tuned
                        for the optimizer comparison)
======================  ===================================================================

Private plumbing, used by the modules above and never by a notebook: ``_validate``
(argument checks), ``_recurrent`` (what the three recurrent models share; imports no model),
``_kernels`` (speed helpers of the fused LSTM and GRU kernels), ``_npz`` (reading an archive
without trusting it).

Imports go one way: the maths modules import only NumPy and each other; ``plots`` (a
package, one module per topic) draws what they return; ``widgets`` (one module per
explorer) ties both to ipywidgets; ``exercises`` holds each notebook's checks.
``tests/unit/test_import_direction.py`` and ``test_import_graph.py`` keep it so.

The course's tooling is apart, in the subpackage ``tools``: ``show`` (showing code in a
notebook), ``catalog`` (the list of notebooks), ``envcheck`` (the environment check),
``workspace``, ``checkout`` and ``merge`` (the student's own copies and their updates),
``release`` (the student release without solutions), ``present`` (slides), ``export``
(static HTML), ``colab`` (running on Colab), and ``_checks`` (their checks of paths,
command lines and notebooks). The design document is DESIGN.md in the
repository.
"""

from importlib.resources import files

__version__ = "0.1.0"

#: Data files shipped inside the package (word list, trained checkpoints, their licence),
#: found by importlib.resources wherever course_lib is installed (a wheel, or editable from a
#: checkout); provenance in the repository's data/README.md. pip installs packages as plain
#: files, so this is a pathlib.Path (tests/unit/test_package_data.py checks it).
DATA_DIR = files(__name__) / "data"
