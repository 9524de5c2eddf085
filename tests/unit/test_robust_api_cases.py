"""The cases issue 15 names under "Public functions and explorers", one test each: the
generated suite (test_robust_api.py) covers their kinds; these pin the examples the issue
gives, with the message a student reads."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import (
    autocomplete,
    batching,
    checkpoint,
    functions,
    gradcheck,
    gru,
    lstm,
    neuron,
    optim,
    rnn,
    sequences,
    surfaces,
    train,
    wordmodels,
)

MODELS = {"rnn": rnn, "lstm": lstm, "gru": gru}


def test_a_schedule_outside_the_constructors_range_names_the_schedule_and_step():
    bowl = surfaces.get("quadratic bowl")
    with pytest.raises(ValueError, match=r"schedules\['gamma'\] at step 0: gamma must be in"):
        optim.run(optim.Momentum(0.1), bowl.grad_fn, bowl.params(), 50,
                  schedules={"gamma": lambda t: 1.5})  # fmt: skip


def test_a_schedule_that_is_a_number_says_it_must_be_a_function_of_the_step():
    params = rnn.init_params(4, 3, 4, rng=0)
    with pytest.raises(TypeError, match=r"schedules\['lr'\] must be a function of the step"):
        train.train_recurrent(rnn, params, sequences.deep_task(), optim.GD(0.1),
                              schedules={"lr": 0.1}, progress=False)  # fmt: skip


def test_a_reused_optimizer_gives_the_same_run_and_checks_its_arguments():
    bowl = surfaces.get("quadratic bowl")
    opt = optim.Momentum(0.05)
    first = optim.run(opt, bowl.grad_fn, bowl.params(), 20)
    second = optim.run(opt, bowl.grad_fn, bowl.params(), 20)
    assert np.array_equal(first.path, second.path)
    with pytest.raises(TypeError, match="grad_fn must be callable"):
        optim.run(opt, 3, bowl.params(), 5)


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
def test_every_model_refuses_another_models_parameters(model):
    other = "lstm" if model != "lstm" else "gru"
    params = MODELS[other].init_params(4, 3, 4, rng=0)
    with pytest.raises(ValueError, match="params (has unknown keys|is missing keys)"):
        MODELS[model].forward(params, sequences.deep_task().X)


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_every_model_function_refuses_non_finite_parameters(model, bad):
    module, data = MODELS[model], sequences.deep_task()
    params = module.init_params(4, 3, 4, rng=0)
    params["V"][0, 0] = bad
    calls = {
        "forward": lambda: module.forward(params, data.X),
        "loss_and_grads": lambda: module.loss_and_grads(params, data.X, data.targets),
        "state_grads": lambda: module.state_grads(params, data.X, data.targets),
        "sample": lambda: module.sample(params, [0], 3, rng=0),
        "evaluate": lambda: train.evaluate(model, params, data),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match=r"params\['V'\] holds NaN or infinite"):
            call()
        assert np.isnan(params["V"][0, 0]) or np.isinf(params["V"][0, 0]), name


def test_numerical_gradient_restores_the_parameters_when_the_loss_raises():
    params = {"w": np.array([1.0, 2.0])}

    def loss(p):
        if p["w"][0] > 1.0:
            raise RuntimeError("the student's loss failed")
        return 0.0

    with pytest.raises(RuntimeError):
        gradcheck.numerical_gradient(loss, params)
    assert params["w"].tolist() == [1.0, 2.0]


def test_train_recurrent_checks_validation_and_rng_before_the_first_step():
    data = sequences.deep_task()
    params = rnn.init_params(4, 3, 4, rng=0)
    before = {k: v.copy() for k, v in params.items()}
    with pytest.raises(TypeError, match="validation must be a sequences.SequenceData"):
        train.train_recurrent(rnn, params, data, optim.GD(0.1), validation=(data.X, data.targets),
                              progress=False)  # fmt: skip
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        train.train_recurrent(rnn, params, data, optim.GD(0.1), rng="x", progress=False)
    assert all(np.array_equal(params[k], before[k]) for k in params)
    with pytest.raises(ValueError, match="at least one sequence"):
        train.evaluate(rnn, params, data.subset([]))


def test_unknown_settings_and_wrong_containers_are_errors():
    with pytest.raises(TypeError, match=r"unknown settings \['epoch'\]"):
        wordmodels.train_word_model("lstm", epoch=2)
    with pytest.raises(TypeError, match="words must be a list of words"):
        sequences.word_task("hello")
    with pytest.raises(TypeError, match=r"sequences\[0\]\[0\] must be an int token id"):
        sequences.pad([[0.7, 1.9]])
    with pytest.raises(ValueError, match="word must hold at least one character"):
        sequences.next_char_pairs("", sequences.DEEP_VOCAB)


def test_checkpoint_save_to_a_directory_and_paths_of_the_wrong_type(tmp_path):
    params = rnn.init_params(4, 3, 4, rng=0)
    with pytest.raises(IsADirectoryError, match="is a directory"):
        checkpoint.save(tmp_path, params, model="rnn")
    for call in (lambda: checkpoint.save(None, params, model="rnn"), lambda: checkpoint.load(3)):
        with pytest.raises(TypeError, match="path must be a file path"):
            call()


def test_low_level_helpers_use_the_shared_checks():
    with pytest.raises(TypeError, match="z must hold real numbers"):
        neuron.sigmoid(None)
    with pytest.raises(ValueError, match="z must contain only finite"):
        functions.logistic([0.0, np.nan])
    assert np.allclose(rnn.softmax([0.0, np.log(3.0)]), [0.25, 0.75])  # a list is converted
    with pytest.raises(ValueError, match="o must have at least one entry"):
        functions.softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match="p must hold probabilities >= 0"):
        functions.safe_log([-0.5])
    with pytest.raises(ValueError, match=r"params must have the keys \['b', 'w'\]"):
        batching.mean_loss({"w": np.array(1.0)}, [0.5], [0.2])
    with pytest.raises(ValueError, match=r"params must have the keys \['b', 'w'\]"):
        batching.mean_gradient({"b": np.array(1.0)}, [0.5], [0.2])
    with pytest.raises(ValueError, match=r"params is missing keys"):
        lstm.stack({"U": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="symbols must contain '<stop>'"):
        autocomplete.next_char_probs("rnn", rnn.init_params(2, 3, 2, rng=0), ["a", "b"], "a")


def test_the_unchecked_forms_compute_the_same_values():
    z = np.linspace(-30, 30, 7)
    assert np.array_equal(functions.logistic.unchecked(z), functions.logistic(z))
    assert np.array_equal(functions.softmax.unchecked(z[None]), functions.softmax(z[None]))
    p = np.array([0.0, 0.5, 1.0])
    assert np.array_equal(functions.safe_log.unchecked(p), functions.safe_log(p))
    params = {"w": np.array(0.3), "b": np.array(-0.2)}
    X, Y = np.array([0.5, 2.5]), np.array([0.2, 0.9])
    assert batching.mean_loss.unchecked(params, X, Y) == batching.mean_loss(params, X, Y)
    # σ(z) against its definition 1 / (1 + e^(−z)), an independent expression (the tanh form
    # is exact to about 1e-17 in absolute terms where σ is tiny)
    assert np.allclose(functions.logistic(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-15)
