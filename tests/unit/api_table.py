"""The robustness table: for every public function of ``course_lib``, valid arguments and
the kind of each (``api_kinds``), from which ``test_robust_api.py`` makes the bad inputs.

Adding a function (the conventions; the lead adds entries after merging):

- one entry per function, keyed ``"module.name"`` (``"optim.run"``, ``"plots.curves.loss"``
  for subpackages), in :data:`ENTRIES`, in the module's block;
- the value is ``call(arg=Kind(valid value), ...)``: every argument the test should vary,
  by its name as in the signature (they are passed as keywords), each as the kind that
  says which bad values to try (``Real(1.0, lo=0, lo_open=True)`` for η > 0, ``Int(3, lo=1)``,
  ``Array(x, ndim=1)``, ``Params(...)``, ``Func(f)``, ``Rng(0)``, ``Choice("tanh")``,
  ``Typed(obj)``, ``Flag(True)``, ``Text("abc")``, ``Kind(v)`` for a valid value only);
  values that take time to build go in a ``Lazy`` shared below;
- ``mutates=("params",)`` names arguments the function documents that it changes in place
  (they are not checked for mutation); ``kwargs=False`` when the function takes
  ``**options`` (an unknown keyword is then its model's to refuse);
- a function that cannot be called this way goes in :data:`EXCLUDED` with the reason;
- classes count as functions (their constructor), and so do public functions of the tools,
  plots, widgets and exercises packages, unless their module is in :data:`EXCLUDED_MODULES`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import api_table_plots
import api_table_tools
import numpy as np
from api_kinds import (
    Array,
    Choice,
    Dict,
    Flag,
    Func,
    Int,
    Kind,
    Lazy,
    NeuronParams,
    OptInt,
    OptReal,
    Params,
    PathArg,
    Real,
    Rng,
    Text,
    Typed,
    call,
)

from course_lib import (
    checkpoint,
    gated,
    gru,
    longrange,
    lstm,
    optim,
    recall,
    rnn,
    schedules,
    sequences,
    surfaces,
    task_views,
    wordmodels,
    wordtuning,
)

# --- shared valid values ----------------------------------------------------------------------
X2, Y2 = [0.5, 2.5], [0.2, 0.9]
NEURON = {"w": np.array(0.5), "b": np.array(-0.5)}
BOWL = Lazy(lambda: surfaces.get("quadratic bowl"))
DEEP = Lazy(sequences.deep_task)  # 1 sequence, T = 4, n = K = 4
DEEP_VOCAB = sequences.DEEP_VOCAB
SEQ_X = Lazy(lambda: DEEP().X)
SEQ_T = Lazy(lambda: DEEP().targets)
PARAMS = {
    m.__name__.rsplit(".")[-1]: Lazy(lambda m=m: m.init_params(4, 3, 4, rng=0))
    for m in (rnn, lstm, gru)
}
GRADS = {"w": np.array([0.3, -0.4]), "b": np.array(1.2)}
VALLEY = Lazy(lambda: surfaces.get("sharp valley"))
DATA10 = (np.linspace(-2, 2, 10), np.linspace(0.1, 0.9, 10))
ECHO = Lazy(lambda: sequences.delayed_echo_task(n=4, length=8, delay=2, n_symbols=4))
WORD_CKPT = Lazy(lambda: wordmodels.shipped("lstm"))
WORD_LSTM = Lazy(lambda: WORD_CKPT().params)
WORD_SYMBOLS = Lazy(lambda: WORD_CKPT().vocab)


GATED_LSTM = Lazy(lambda: gated.start("LSTM, chrono", 0)[1])  # (4, 16, 4), chrono biases
RECALL_LSTM = Lazy(lambda: lstm.init_params(len(recall.VOCAB), 3, len(recall.VOCAB), rng=0))
RECALL_DATA = Lazy(lambda: recall.recall_task(n=4, gap=3, seed=0))  # T = 2 * KEY_LEN + 3
TAGGED = Lazy(lambda: task_views.task_view("tagging", "we watch the watch"))


def _new_npz() -> Path:
    return Path(tempfile.mkdtemp()) / "r.npz"


def _saved_checkpoint() -> Path:
    path = Path(tempfile.mkdtemp()) / "saved.npz"
    return checkpoint.save(path, PARAMS["gru"](), model="gru")


def _quadratic(p):
    return float(np.sum(p["w"] ** 2) + p["b"] ** 2)


def _model_entries(name, module):
    """The entries shared by rnn, lstm and gru (their common functions)."""
    P = Params(PARAMS[name])
    X, T = Array(SEQ_X, ndim=3), Kind(SEQ_T)
    return {
        f"{name}.init_params": call(
            n_in=Int(4, lo=1), d=Int(3, lo=1), n_out=Int(4, lo=1), rng=Rng(0), kwargs=False
        ),  # fmt: skip
        f"{name}.check_params": call(params=P),
        f"{name}.forward": call(params=P, X=X),
        f"{name}.cell_step": call(params=P, x_t=Array(np.eye(4)[:1], ndim=2)),
        f"{name}.loss_and_grads": call(params=P, X=X, targets=T, truncate=OptInt(None, lo=1)),
        f"{name}.loss_grads_and_state": call(params=P, X=X, targets=T),
        f"{name}.state_grads": call(params=P, X=X, targets=T),
        f"{name}.sample": call(
            params=P,
            prefix=Kind([0, 1]),
            length=Int(3, lo=0),
            rng=Rng(0),
            temperature=Real(1.0, lo=0, lo_open=True),
        ),  # fmt: skip
    }


ENTRIES: dict[str, dict] = {
    # functions
    "functions.logistic": call(z=Array([0.0, 1.0])),
    "functions.softmax": call(o=Array([[0.0, 1.0, 2.0]])),
    "functions.safe_log": call(p=Array([0.0, 0.5])),
    # neuron
    "neuron.check_points": call(X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "neuron.predict": call(x=Array(X2), w=Real(1.0), b=Real(0.0)),
    "neuron.loss": call(w=Real(1.0), b=Real(0.0), X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "neuron.gradient": call(w=Real(1.0), b=Real(0.0), X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "neuron.loss_fn": call(X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "neuron.grad_fn": call(X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "neuron.loss_grid": call(
        ws=Array([0.0, 1.0], ndim=1), bs=Array([0.0, 1.0], ndim=1), chunk=Int(2, lo=1)
    ),  # fmt: skip
    "neuron.make_dataset": call(
        n=Int(10, lo=1), w_true=Real(1.5), b_true=Real(-1.0), noise=Real(0.05, lo=0), seed=Rng(0)
    ),  # fmt: skip
    # surfaces
    "surfaces.sigmoid_neuron": call(X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "surfaces.plateau": call(
        width_w=Real(1.0, lo=0, lo_open=True), width_b=Real(0.6, lo=0, lo_open=True)
    ),  # fmt: skip
    "surfaces.quadratic_bowl": call(
        a=Real(1.0, lo=0, lo_open=True), c=Real(10.0, lo=0, lo_open=True)
    ),  # fmt: skip
    "surfaces.sharp_valley": call(
        wall=Real(1.5, lo=0, lo_open=True), width=Real(0.1, lo=0, lo_open=True)
    ),  # fmt: skip
    "surfaces.sparse_feature": call(n=Int(20, lo=1), k=Int(2, lo=1)),
    "surfaces.get": call(name=Choice("plateau")),
    # optim
    "optim.GD": call(lr=Real(0.1, lo=0, lo_open=True)),
    "optim.Momentum": call(
        lr=Real(0.1, lo=0, lo_open=True), gamma=Real(0.9, lo=0, hi=1, hi_open=True)
    ),  # fmt: skip
    "optim.NAG": call(
        lr=Real(0.1, lo=0, lo_open=True), gamma=Real(0.9, lo=0, hi=1, hi_open=True)
    ),  # fmt: skip
    "optim.AdaGrad": call(lr=Real(0.1, lo=0, lo_open=True), eps=Real(1e-8, lo=0, lo_open=True)),
    "optim.RMSProp": call(
        lr=Real(0.1, lo=0, lo_open=True), beta=Real(0.9, lo=0, hi=1, hi_open=True)
    ),  # fmt: skip
    "optim.Adam": call(
        lr=Real(0.1, lo=0, lo_open=True),
        beta1=Real(0.9, lo=0, hi=1, hi_open=True),
        beta2=Real(0.999, lo=0, hi=1, hi_open=True),
        amsgrad=Flag(False),
    ),  # fmt: skip
    "optim.check_optimizer": call(optimizer=Typed(optim.GD(0.1))),
    "optim.start_point": call(params0=Dict(NEURON)),
    "optim.run": call(
        optimizer=Typed(optim.GD(0.1)),
        grad_fn=Func(lambda p: {"w": 2 * p["w"], "b": 2 * p["b"]}),
        params0=Dict(NEURON),
        steps=Int(3, lo=0),
        max_abs=Real(1e6, lo=0, lo_open=True),
    ),  # fmt: skip
    "optim.check_run": call(
        optimizer=Typed(optim.GD(0.1)),
        grad_fn=Func(lambda p: p),
        params0=Dict(NEURON),
        steps=Int(3, lo=0),
        max_abs=Real(1e6, lo=0, lo_open=True),
    ),  # fmt: skip
    # gradcheck
    "gradcheck.numerical_gradient": call(
        loss=Func(_quadratic), params=Dict(GRADS), h=Real(1e-5, lo=0, lo_open=True)
    ),  # fmt: skip
    "gradcheck.relative_error": call(a=Array([1.0, 2.0]), b=Array([1.0, 2.5])),
    "gradcheck.check_gradients": call(
        loss=Func(_quadratic),
        grads=Dict({"w": np.array([0.6, -0.8]), "b": np.array(2.4)}),
        params=Dict(GRADS),
    ),  # fmt: skip
    # batching
    "batching.batches": call(n=Int(10, lo=1), batch_size=Int(3, lo=1), rng=Rng(0)),
    "batching.updates_per_epoch": call(
        n=Int(10, lo=1), batch_size=Int(3, lo=1), drop_last=Flag(False)
    ),  # fmt: skip
    "batching.mean_loss": call(
        params=NeuronParams(NEURON), X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)
    ),
    "batching.mean_gradient": call(
        params=NeuronParams(NEURON), X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)
    ),  # fmt: skip
    "batching.point_gradients": call(
        params=NeuronParams(NEURON), X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)
    ),  # fmt: skip
    "batching.error_surface": call(X=Array(X2, ndim=1), Y=Array(Y2, ndim=1)),
    "batching.gradient_variance": call(
        point_grads=Array(np.arange(12.0).reshape(6, 2), ndim=2), batch_size=Int(2, lo=1, hi=6)
    ),  # fmt: skip
    "batching.sampled_gradient_variance": call(
        point_grads=Array(np.arange(12.0).reshape(6, 2), ndim=2),
        batch_size=Int(2, lo=1, hi=6),
        draws=Int(10, lo=1),
        rng=Rng(0),
    ),  # fmt: skip
    "batching.minibatch_run": call(
        optimizer=Typed(optim.GD(0.1)),
        X=Array(X2),
        Y=Array(Y2),
        batch_size=Int(1, lo=1),
        epochs=Int(2, lo=0),
        params0=Dict(NEURON),
        rng=Rng(0),
    ),  # fmt: skip
    "batching_fused.neuron_minibatch_run": call(
        method=Choice("NAG"),
        lr=Real(1.0, lo=0, lo_open=True),
        gamma=Real(0.9, lo=0, hi=1, hi_open=True),
        X=Array(X2, ndim=1),
        Y=Array(Y2, ndim=1),
        batch_size=Int(1, lo=1),
        epochs=Int(2, lo=0),
        params0=NeuronParams(NEURON),
        rng=Rng(0),
        max_abs=Real(1e6, lo=0, lo_open=True),
    ),  # fmt: skip
    # schedules
    "schedules.constant": call(lr0=Real(0.1, lo=0, lo_open=True)),
    "schedules.step_decay": call(
        lr0=Real(0.1, lo=0, lo_open=True),
        drop=Real(0.5, lo=0, hi=1, lo_open=True),
        every=Int(5, lo=1),
    ),  # fmt: skip
    "schedules.exponential_decay": call(lr0=Real(0.1, lo=0, lo_open=True), k=Real(0.1, lo=0)),
    "schedules.inverse_time_decay": call(lr0=Real(0.1, lo=0, lo_open=True), k=Real(0.1, lo=0)),
    "schedules.momentum_schedule": call(
        t=Array([0.0, 5.0]), gamma_max=Real(0.9, lo=0, hi=1, hi_open=True)
    ),  # fmt: skip
    "schedules.HalveOnValidationRise": call(
        factor=Real(0.5, lo=0, hi=1, lo_open=True, hi_open=True)
    ),  # fmt: skip
    "schedules.ReduceLROnPlateau": call(
        factor=Real(0.1, lo=0, hi=1, lo_open=True, hi_open=True),
        patience=Int(10, lo=0),
        cooldown=Int(0, lo=0),
        threshold_mode=Choice("rel"),
    ),  # fmt: skip
    "schedules.halve_on_rise": call(
        lr0=Real(0.1, lo=0, lo_open=True), val_losses=Array([1.0, 0.9, 1.1], ndim=1)
    ),  # fmt: skip
    # measures
    "measures.across": call(
        path=Array([[0.0, 0.0], [1.0, 1.0]], ndim=2),
        normal=Array([0.0, 1.0], ndim=1),
        point=Array([0.0, 0.0], ndim=1),
    ),  # fmt: skip
    "measures.u_turns": call(u=Array([1.0, -1.0, 0.5], ndim=1), tol=Real(1e-6, lo=0)),
    "measures.valley_exits": call(
        u=Array([1.0, -1.0, 0.5], ndim=1), half_width=Real(0.5, lo=0, lo_open=True)
    ),  # fmt: skip
    "measures.overshoot": call(u=Array([1.0, -1.0, 0.5], ndim=1), tol=Real(1e-6, lo=0)),
    "measures.steps_to_reach": call(
        losses=Array([3.0, 2.0, 1.0], ndim=1), threshold=Real(1.5), stay=Flag(False)
    ),  # fmt: skip
    # momentum_theory
    "momentum_theory.trace_and_det": call(
        method=Choice("Momentum"), eta_lam=Array([0.5]), gamma=Array([0.5])
    ),  # fmt: skip
    "momentum_theory.iteration_matrix": call(
        method=Choice("NAG"),
        eta=Real(0.1, lo=0, lo_open=True),
        gamma=Real(0.5, lo=0, hi=1, hi_open=True),
        lam=Real(1.0, lo=0, lo_open=True),
    ),  # fmt: skip
    "momentum_theory.eigenvalues": call(
        method=Choice("Momentum"), eta=Array(0.1), gamma=Array(0.5), lam=Array(1.0)
    ),  # fmt: skip
    "momentum_theory.spectral_radius": call(
        method=Choice("Momentum"), eta=Array(0.1), gamma=Array(0.5), lam=Array(1.0)
    ),  # fmt: skip
    "momentum_theory.rate": call(
        method=Choice("Momentum"), eta=Array(0.1), gamma=Array(0.5), curvatures=Array([1.0, 10.0])
    ),  # fmt: skip
    "momentum_theory.stability_limit": call(method=Choice("NAG"), gamma=Array(0.5)),
    "momentum_theory.optimal": call(
        method=Choice("Momentum"), kappa=Real(10.0, lo=1), lam_max=Real(1.0, lo=0, lo_open=True)
    ),  # fmt: skip
    "momentum_theory.measured_rate": call(
        path=Array([[2.0**-k, 2.0**-k] for k in range(6)], ndim=2),
        minimum=Array([0.0, 0.0], ndim=1),
    ),  # fmt: skip
    # adaptive
    "adaptive.ema": call(
        values=Array([1.0, 2.0, 3.0]),
        beta=Real(0.9, lo=0, hi=1, hi_open=True),
        bias_correction=Flag(False),
    ),  # fmt: skip
    "adaptive.rotated_bowl": call(angle=Real(0.0)),
    "adaptive.reddi_gradient": call(t=Int(3, lo=1), C=Real(3.0, lo=0, lo_open=True)),
    "adaptive.effective_lr": call(optimizer=Typed(optim.Adam(0.1)), params=Dict(NEURON)),
    "adaptive.traced_run": call(
        optimizer=Typed(optim.Adam(0.1)),
        grad_fn=Func(lambda p: {"w": 2 * p["w"], "b": 2 * p["b"]}),
        params0=Dict(NEURON),
        steps=Int(3, lo=0),
        max_abs=Real(1e6, lo=0, lo_open=True),
    ),  # fmt: skip
    "adaptive.projected_online_run": call(
        optimizer=Typed(optim.Adam(0.1)),
        gradient_at=Func(lambda t: 1.0),
        x0=Real(0.5, lo=-1, hi=1),
        steps=Int(3, lo=0),
        lr_decay=Flag(True),
    ),  # fmt: skip
    "adaptive.approach_u_turns": call(
        surface=Typed(VALLEY),
        trajectory=Kind(
            Lazy(
                lambda: (
                    optim.run(
                        optim.Momentum(0.01), VALLEY().grad_fn, VALLEY().params(), 20
                    ).trajectory
                )
            )
        ),
        frac=Real(1e-3, lo=0, hi=1, lo_open=True),
    ),  # fmt: skip
    "measures.valley_summary": call(
        surface=Typed(VALLEY),
        path=Array([[0.0, 0.0], [0.5, 0.1], [1.0, -0.1]], ndim=2),
        tol=Real(1e-6, lo=0),
    ),  # fmt: skip
    "schedules.lrs_under": call(
        rule=Typed(Lazy(lambda: schedules.HalveOnValidationRise())),
        lr0=Real(0.1, lo=0, lo_open=True),
        val_losses=Array([1.0, 0.9, 1.1], ndim=1),
    ),  # fmt: skip
    # tuning
    "tuning.train_neuron": call(
        optimizer=Typed(optim.GD(0.5)),
        data=Kind(DATA10),
        params0=NeuronParams(NEURON),
        epochs=Int(2, lo=0),
        batch_size=Int(5, lo=1),
        seed=Rng(0),
        unit=Choice("epoch"),
    ),  # fmt: skip
    "tuning.lr_search": call(
        make_optimizer=Func(optim.GD),
        data=Kind(DATA10),
        val=Kind(DATA10),
        params0=NeuronParams(NEURON),
        epochs=Int(1, lo=1),
        batch_size=Int(5, lo=1),
        coarse=Array([0.1, 1.0], ndim=1),
        fine=Array([0.5, 2.0], ndim=1),
    ),  # fmt: skip
    "tuning.random_search": call(
        make_optimizer=Func(optim.GD),
        data=Kind(DATA10),
        val=Kind(DATA10),
        params0=NeuronParams(NEURON),
        trials=Int(2, lo=1),
        low=Real(0.01, lo=0, lo_open=True),
        high=Real(10.0, lo=0, lo_open=True),
        epochs=Int(1, lo=1),
        batch_size=Int(5, lo=1),
        rng=Rng(0),
    ),  # fmt: skip
    "tuning.split": call(
        X=Array(np.arange(10.0), ndim=1),
        Y=Array(np.arange(10.0) / 10, ndim=1),
        val_fraction=Real(0.2, lo=0, hi=1, lo_open=True, hi_open=True),
        seed=Rng(0),
    ),  # fmt: skip
    "tuning.loss": call(params=NeuronParams(NEURON), data=Kind((np.array(X2), np.array(Y2)))),
    # sequences
    "sequences.Vocab": call(symbols=Kind(["a", "b"]), stop=Flag(True)),
    "sequences.check_ids": call(name=Text("ids"), ids=Kind([0, 1]), size=Int(3, lo=1)),
    "sequences.one_hot": call(ids=Kind([0, 2]), size=Int(3, lo=1)),
    "sequences.pad": call(sequences=Kind([[1, 2], [3]]), value=Int(0)),
    "sequences.next_char_pairs": call(
        word=Text("deep"), vocab=Typed(DEEP_VOCAB), boundary=Flag(False)
    ),  # fmt: skip
    "sequences.deep_task": call(),
    "sequences.load_words": call(min_len=Int(3, lo=1), max_len=Int(8, lo=3)),
    "sequences.word_task": call(words=Kind(["deep", "peed"]), boundary=Flag(True)),
    "sequences.pos_task": call(
        n=Int(5, lo=1), seed=Rng(0), p_second_adj=Real(0.05, lo=0, hi=1)
    ),  # fmt: skip
    "sequences.sentiment_task": call(n=Int(5, lo=1), seed=Rng(0)),
    "sequences.best_bag_of_words_accuracy": call(
        data=Typed(Lazy(lambda: sequences.sentiment_task(20)))
    ),  # fmt: skip
    "sequences.remember_first_task": call(
        n=Int(4, lo=1), length=Int(5, lo=1), n_symbols=Int(3, lo=2), seed=Rng(0)
    ),  # fmt: skip
    "sequences.delayed_echo_task": call(
        n=Int(4, lo=1), length=Int(8, lo=2), delay=Int(2, lo=1), n_symbols=Int(3, lo=2), seed=Rng(0)
    ),  # fmt: skip
    "sequences.echo_accuracy": call(
        probs=Array(Lazy(lambda: np.full((4, 8, 4), 0.25)), ndim=3),
        data=Typed(ECHO),
        delay=Int(2, lo=0),
    ),  # fmt: skip
    "sequences.activity_clips": call(
        n=Int(2, lo=1), frames=Int(3, lo=1), size=Int(4, lo=1), seed=Rng(0)
    ),  # fmt: skip
    # models, the three recurrent models
    "models.get": call(model=Choice("lstm")),
    "models.available": call(),
    "models.name": call(module=Typed(rnn)),
    **_model_entries("rnn", rnn),
    **_model_entries("lstm", lstm),
    **_model_entries("gru", gru),
    "rnn.backward_products": call(T=Int(5, lo=1), truncate=OptInt(None, lo=1)),
    "rnn.activation_slopes": call(params=Params(PARAMS["rnn"]), x=Array(np.eye(4), ndim=2)),
    "rnn.state_jacobians": call(
        params=Params(PARAMS["rnn"]), x=Array(np.eye(4), ndim=2), k=Int(0, lo=0)
    ),  # fmt: skip
    "lstm.stack": call(params=Params(PARAMS["lstm"])),
    "lstm.unstack": call(
        U4=Array(np.zeros((8, 4)), ndim=2),
        W4=Array(np.zeros((8, 2)), ndim=2),
        b4=Array(np.zeros(8), ndim=1),
    ),  # fmt: skip
    "gru.stack": call(params=Params(PARAMS["gru"])),
    "gru.unstack": call(
        U3=Array(np.zeros((6, 4)), ndim=2),
        W3=Array(np.zeros((6, 2)), ndim=2),
        b3=Array(np.zeros(6), ndim=1),
    ),  # fmt: skip
    # train
    "train.evaluate": call(
        model=Choice("rnn"), params=Params(PARAMS["rnn"]), data=Typed(DEEP), batch_size=Int(4, lo=1)
    ),  # fmt: skip
    "train.predict": call(
        model=Choice("rnn"), params=Params(PARAMS["rnn"]), data=Typed(DEEP), batch_size=Int(4, lo=1)
    ),  # fmt: skip
    "train.train_recurrent": call(
        model=Choice("rnn"),
        params=Params(PARAMS["rnn"]),
        data=Typed(DEEP),
        optimizer=Typed(optim.GD(0.1)),
        epochs=Int(1, lo=1),
        batch_size=Int(1, lo=1),
        clip=OptReal(1.0, lo=0, lo_open=True),
        rng=Rng(0),
        progress=Flag(False),
        mutates=("params",),
    ),  # fmt: skip
    "train.chunks": call(
        batch=Kind(Lazy(lambda: next(DEEP().batches(1, shuffle=False)))), k=OptInt(2, lo=1)
    ),  # fmt: skip
    # longrange (the measurement itself is excluded: it takes minutes)
    "longrange.echo_forms": call(),
    "longrange.echo_data": call(delay=Int(2, lo=1), seed=Rng(0)),
    "longrange.start_params": call(start=Choice("orthogonal ω=1"), d=Int(4, lo=1), seed=Rng(0)),
    "longrange.fit_readout": call(
        params=Params(Lazy(lambda: rnn.init_params(4, 3, 4, rng=0))),
        data=Typed(ECHO),
        steps=OptInt(3, lo=1),
        lr=OptReal(0.5, lo=0, lo_open=True),
    ),  # fmt: skip
    "longrange.echo_run": call(
        form=Choice("full"), delay=Int(2, lo=1), k=OptInt(None, lo=1), seed=Rng(0), slow=True
    ),  # fmt: skip
    "longrange.first_run": call(
        start=Choice("orthogonal ω=1"), length=Int(5, lo=1), seed=Rng(0), slow=True
    ),  # fmt: skip
    "longrange.shipped": call(),
    "longrange.save": call(
        path=PathArg(Lazy(lambda: Path(tempfile.mkdtemp()) / "r.npz")),
        results=Typed(Lazy(longrange.shipped)),
    ),  # fmt: skip
    # checkpoint, autocomplete, gradflow
    "checkpoint.model_module": call(model=Choice("gru")),
    "checkpoint.shipped": call(name=Text("words_rnn")),
    "checkpoint.save": call(
        path=PathArg(Lazy(lambda: Path(tempfile.mkdtemp()) / "m.npz")),
        params=Params(PARAMS["lstm"]),
        model=Choice("lstm"),
        vocab=Kind(list("abcd")),
    ),  # fmt: skip
    "checkpoint.load": call(path=PathArg(Lazy(_saved_checkpoint))),
    "autocomplete.clean_prefix": call(text=Text("the de"), symbols=Kind(WORD_SYMBOLS)),
    "autocomplete.next_char_probs": call(
        model=Choice("lstm"), params=Params(WORD_LSTM), symbols=Kind(WORD_SYMBOLS), text=Text("de")
    ),  # fmt: skip
    "autocomplete.most_likely": call(
        model=Choice("lstm"),
        params=Params(WORD_LSTM),
        symbols=Kind(WORD_SYMBOLS),
        text=Text("de"),
        max_len=Int(3, lo=0),
        max_nodes=Int(200_000, lo=1),
    ),  # fmt: skip
    "autocomplete.complete": call(
        model=Choice("lstm"),
        params=Params(WORD_LSTM),
        symbols=Kind(WORD_SYMBOLS),
        text=Text("de"),
        k=Int(2, lo=1),
        max_len=Int(3, lo=1),
        beam=Int(4, lo=1),
    ),  # fmt: skip
    "wordmodels.shipped": call(name=Choice("lstm")),
    "wordmodels.split_words": call(seed=Rng(0)),
    "wordmodels.train_word_model": call(
        name=Choice("rnn"), epochs=OptInt(1, lo=1), progress=Flag(False), slow=True, kwargs=False
    ),  # fmt: skip
    "gradflow.state_gradient_norms": call(
        model=Choice("rnn"),
        params=Params(PARAMS["rnn"]),
        X=Array(SEQ_X, ndim=3),
        targets=Kind(Lazy(lambda: DEEP().targets[:, -1])),
        kwargs=False,
    ),  # fmt: skip
    # gated (notebook 09; the measurement itself is excluded: it takes minutes)
    "gated.task": call(seed=Int(0, lo=0), length=Int(5, lo=1)),
    "gated.start": call(name=Choice("LSTM, chrono"), seed=Int(0, lo=0)),
    "gated.run": call(name=Choice("GRU, chrono"), seed=Int(0, lo=0), steps=Kind((8,))),
    "gated.with_readback": call(
        results=Typed(Lazy(gated.shipped)), mutates=("results",), slow=True
    ),  # fmt: skip
    "gated.save": call(path=PathArg(Lazy(_new_npz)), results=Typed(Lazy(gated.shipped))),
    "gated.shipped": call(),
    "gated.states": call(model=Choice("lstm"), params=Params(GATED_LSTM), X=Array(SEQ_X, ndim=3)),
    "gated.readback": call(
        model=Choice("lstm"), params=Params(GATED_LSTM), seed=Int(0, lo=0), n=Int(64, lo=16)
    ),  # fmt: skip
    # recall (notebook 10; training runs are slow, the measurement is excluded)
    "recall.recall_task": call(n=Int(4, lo=1), gap=Int(3, lo=0), seed=Int(0, lo=0)),
    "recall.recall_scores": call(
        probs=Array(
            Lazy(lambda: np.full((4, 7, len(recall.VOCAB)), 1 / len(recall.VOCAB))), ndim=3
        ),
        data=Typed(RECALL_DATA),
    ),  # fmt: skip
    "recall.train_model": call(
        name=Choice("gru"), gap=Int(10, lo=0), seed=Int(0, lo=0), slow=True
    ),  # fmt: skip
    "recall.recall_run": call(
        name=Choice("gru"), gap=Int(10, lo=0), seed=Int(0, lo=0), slow=True
    ),  # fmt: skip
    "recall.sequence_probs": call(
        name=Choice("lstm"), params=Params(RECALL_LSTM), key=Text("ab"), fillers=Text("stu")
    ),  # fmt: skip
    "recall.checkpoint_name": call(name=Choice("lstm"), gap=Int(10, lo=0)),
    "recall.save_checkpoints": call(folder=PathArg(Lazy(tempfile.mkdtemp)), slow=True),
    "recall.shipped_model": call(name=Choice("lstm"), gap=Int(10)),
    "recall.save": call(path=PathArg(Lazy(_new_npz)), results=Typed(Lazy(recall.shipped))),
    "recall.shipped": call(),
    # wordtuning (notebook 10; the search itself is excluded: it takes minutes)
    "wordtuning.run": call(
        name=Choice("Adam"),
        lr=Real(0.01, lo=0, lo_open=True),
        seed=Int(0, lo=0),
        progress=Flag(False),
        slow=True,
    ),  # fmt: skip
    "wordtuning.score": call(name=Choice("Adam"), lr=Real(0.01, lo=0, lo_open=True), slow=True),
    "wordtuning.save": call(path=PathArg(Lazy(_new_npz)), table=Typed(Lazy(wordtuning.shipped))),
    "wordtuning.shipped": call(),
    # task_views (notebook 06)
    "task_views.check_task": call(task=Choice("tagging")),
    "task_views.tokens": call(task=Choice("tagging"), text=Text("we watch the watch")),
    "task_views.task_view": call(task=Choice("sentiment"), text=Text("dull but fun")),
    "task_views.tag_sentence": call(words=Kind(["we", "watch", "the", "watch"])),
    "task_views.review_label": call(words=Kind(["dull", "but", "fun"])),
    "task_views.ambiguous_steps": call(view=Typed(TAGGED)),
    # the step Jacobians (notebooks 08, 09) and their finite-difference check
    "gradcheck.numerical_jacobian": call(
        f=Func(np.sin), x=Array([0.5, 1.0], ndim=1), h=Real(1e-5, lo=0, lo_open=True)
    ),  # fmt: skip
    "rnn.bptt_terms": call(
        params=Params(PARAMS["rnn"]),
        x=Array(np.eye(4)[:3], ndim=2),
        y=Kind(np.array([0, 1, 2])),
        t=Int(2, lo=1, hi=3),
        key=Choice("W"),
        s0=Kind(None),
        activation=Choice("tanh"),
    ),  # fmt: skip
    "lstm.step_jacobian": call(
        params=Params(PARAMS["lstm"]),
        x=Array(np.eye(4)[0], ndim=1),
        h_prev=Array(np.full(3, 0.1), ndim=1),
        s_prev=Array(np.full(3, -0.2), ndim=1),
    ),  # fmt: skip
    "lstm.step_jacobians": call(
        params=Params(PARAMS["lstm"]), x=Array(np.eye(4)[:3], ndim=2), s0=Kind(None)
    ),  # fmt: skip
    "gru.step_jacobian": call(
        params=Params(PARAMS["gru"]),
        x=Array(np.eye(4)[0], ndim=1),
        s_prev=Array(np.full(3, 0.1), ndim=1),
        reset_after=Flag(False),
    ),  # fmt: skip
    "gru.step_jacobians": call(
        params=Params(PARAMS["gru"]),
        x=Array(np.eye(4)[:3], ndim=2),
        s0=Kind(None),
        reset_after=Flag(True),
    ),  # fmt: skip
}

#: Functions that are not called with generated arguments here, and why.
EXCLUDED: dict[str, str] = {
    "longrange.measure": "the shipped measurement itself: minutes of training (data/)",
    "gated.measure": "the shipped measurement itself: minutes of training (data/)",
    "recall.measure": "the shipped measurement itself: minutes of training (data/)",
    "wordtuning.search": "the shipped search itself: minutes of training (data/)",
    # result records: built by the course's own functions, never by a student
    **{
        name: "a result record built by the course itself"
        for name in (
            "optim.Run",
            "optim.Recorder",
            "optim.Optimizer",
            "optim.Scheduler",
            "batching.BatchRun",
            "batching.BatchRecorder",
            "adaptive.TracedRun",
            "tuning.NeuronHistory",
            "tuning.Trial",
            "tuning.Search",
            "train.RecurrentHistory",
            "train.Step",
            "train.CarriedState",
            "checkpoint.Checkpoint",
            "autocomplete.Completion",
            "autocomplete.Result",
            "longrange.Results",
            "gated.Results",
            "recall.Results",
            "task_views.TaskView",
            "momentum_theory.Tuning",
            "sequences.SequenceData",
            "surfaces.Surface",
            "schedules.ValidationRule",
        )
    },  # fmt: skip
    # inner steps the public entry points call with arrays they checked (documented so)
    **{
        name: "an inner step of a checked entry point; it trusts its inputs"
        for name in (
            "batching.run_epoch",
            "train.train_step",
            "train.train_epoch",
            "rnn.step_forward",
            "rnn.step_backward",
            "lstm.step_forward",
            "lstm.step_backward",
            "gru.step_forward",
            "gru.step_backward",
            "rnn.outer_sum",
            "rnn.jacobian_products",
            "optim.global_norm",
            "optim.clip_grad_norm",
            "optim.out_of_bounds",
        )
    },  # fmt: skip
}

# the plots and tools packages have tables of their own, in the same form
ENTRIES.update(api_table_plots.ENTRIES | api_table_tools.ENTRIES)
EXCLUDED.update(api_table_plots.EXCLUDED | api_table_tools.EXCLUDED)

#: Whole modules left out, and why (their functions are tested by their own suites).
EXCLUDED_MODULES: dict[str, str] = {
    "course_lib.exercises.nb": "exercise checkers: tests/unit/test_robust_checkers.py",
    "course_lib.exercises.progress": "the progress file: tests/unit/test_progress.py",
    "course_lib.widgets.": "explorers: every constructor argument is checked from its type "
    "hint in tests/widgets/test_explorer_arguments.py",
}

#: Public functions whose entry is not written yet: each is a known gap, to be moved to
#: ENTRIES; never add a new function here.
NOT_YET: tuple[str, ...] = ()
