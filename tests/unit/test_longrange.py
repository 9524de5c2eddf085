"""Notebook 08's long-range runs: the delayed-echo task, the control (the output layer alone),
the starts of W, and the shipped table of every run."""

import numpy as np
import pytest
from made_with import same_numpy_as

from course_lib import gradcheck, longrange, rnn
from course_lib import sequences as sq


def test_delayed_echo_targets_are_the_inputs_delay_steps_back():
    data = sq.delayed_echo_task(n=5, length=9, delay=3, n_symbols=4, seed=2)
    ids = data.X.argmax(-1)
    assert data.X.shape == (5, 9, 4) and not data.many_to_one and np.all(data.mask == 1)
    assert np.array_equal(data.targets[:, 3:], ids[:, :-3])
    assert np.all((data.targets >= 0) & (data.targets < 4))
    assert data.tokens == ids.tolist()
    again = sq.delayed_echo_task(n=5, length=9, delay=3, n_symbols=4, seed=2)
    assert np.array_equal(again.targets, data.targets)  # seeded


def test_echo_accuracy_counts_only_the_steps_whose_target_was_shown():
    data = sq.delayed_echo_task(n=2, length=5, delay=2, seed=0)
    probs = np.eye(4)[data.targets] * 0.9 + 0.025  # right everywhere ...
    probs[0, 0] = np.roll(probs[0, 0], 1)  # ... but at a step before the delay: not counted
    probs[1, 4] = np.roll(probs[1, 4], 1)  # ... and at one scored step (of 2 x 3)
    assert sq.echo_accuracy(probs, data, 2) == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="probs must have shape"):
        sq.echo_accuracy(probs[:, :4], data, 2)
    with pytest.raises(ValueError, match="delay must be < length"):
        sq.delayed_echo_task(length=5, delay=5)


def test_the_readout_alone_reaches_the_minimum_of_its_convex_loss_and_keeps_the_rest():
    data = sq.delayed_echo_task(n=64, length=12, delay=2, seed=1)
    params = rnn.init_params(4, 8, 4, rng=1)
    before = {k: v.copy() for k, v in params.items()}
    fitted = longrange.fit_readout(params, data, steps=400, lr=0.1)
    assert all(np.array_equal(params[k], before[k]) for k in params)  # input unchanged
    for key in ("U", "W", "b"):
        assert np.array_equal(fitted[key], params[key])
    loss0, g0 = rnn.loss_and_grads(params, data.X, data.targets)
    loss1, g1 = rnn.loss_and_grads(fitted, data.X, data.targets)
    # rnn's own gradient (finite-difference tested) of V and c vanishes at the result
    assert loss1 < loss0
    for key in ("V", "c"):
        assert np.linalg.norm(g1[key]) < 1e-3 * np.linalg.norm(g0[key])


def test_the_readout_works_for_one_label_per_sequence():
    data = sq.remember_first_task(n=64, length=3, seed=0)
    params = rnn.init_params(4, 8, 4, rng=0)
    fitted = longrange.fit_readout(params, data, steps=300)
    _, g = rnn.loss_and_grads(fitted, data.X, data.targets, many_to_one=True)
    assert np.linalg.norm(g["V"]) < 1e-2
    # the gradient it follows is the loss's: check it at the start by finite differences
    _, g0 = rnn.loss_and_grads(params, data.X, data.targets, many_to_one=True)
    head = {"V": params["V"].copy(), "c": params["c"].copy()}

    def loss(h):
        return rnn.loss_and_grads(params | h, data.X, data.targets, many_to_one=True)[0]

    errors = gradcheck.check_gradients(loss, {"V": g0["V"], "c": g0["c"]}, head)
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("start", longrange.STARTS)
def test_starts_have_the_norms_they_say(start):
    W = longrange.start_params(start, 32, seed=3)["W"]
    norm, radius = np.linalg.norm(W, 2), np.max(np.abs(np.linalg.eigvals(W)))
    assert radius <= norm * (1 + 1e-12)
    if start.startswith("orthogonal"):
        omega = float(start.rpartition("=")[2])
        assert norm == pytest.approx(omega) and radius == pytest.approx(omega)
    elif start == "Gaussian ‖W‖₂=1":
        assert norm == pytest.approx(1.0) and radius < 0.7
    else:  # entries N(0, 1/d): ρ near 1, ‖W‖₂ near 2
        assert 0.8 < radius < 1.2 and 1.7 < norm < 2.3


def test_bad_arguments():
    with pytest.raises(ValueError, match="form must be one of"):
        longrange.echo_run("tbptt", 3)
    with pytest.raises(ValueError, match="k must be given for truncate and chunk only"):
        longrange.echo_run("chunk", 3)
    with pytest.raises(ValueError, match="k must be given"):
        longrange.echo_run("full", 3, k=4)
    with pytest.raises(ValueError, match="start must be one of"):
        longrange.start_params("xavier", 4, 0)
    with pytest.raises(TypeError, match="data must be a sequences.SequenceData"):
        longrange.fit_readout(rnn.init_params(4, 4, 4), (np.zeros((1, 2, 4)), [0]))


def test_the_shipped_table_covers_the_grid():
    r = longrange.shipped()
    assert r.delays == longrange.GRID["delays"] and r.lengths == longrange.GRID["lengths"]
    assert r.seeds == longrange.SEEDS
    assert set(r.echo) == set(longrange.echo_forms()) and set(r.first) == set(longrange.STARTS)
    for table in [*r.echo.values(), *r.first.values()]:
        assert table.shape[1] == len(r.seeds) and np.all((table >= 0) & (table <= 1))
    assert r.info["echo"] == longrange.ECHO and r.info["first"] == longrange.FIRST


@pytest.mark.parametrize(
    "form, k, delay", [("chunk", 4, 12), ("truncate", 4, 3), ("readout", None, 9)]
)
def test_the_shipped_table_is_what_the_runs_give(form, k, delay):
    """Seed 0 rerun here; another BLAS may round differently, hence the tolerance."""
    r = longrange.shipped()
    same_numpy_as(r.info["numpy"])
    shipped = r.echo[form, k][r.delays.index(delay), 0]
    assert longrange.echo_run(form, delay, k, seed=0) == pytest.approx(shipped, abs=0.02)


def test_the_shipped_starts_are_what_the_runs_give():
    r = longrange.shipped()
    same_numpy_as(r.info["numpy"])
    shipped = r.first["orthogonal ω=1.5"][r.lengths.index(30), 4]
    assert longrange.first_run("orthogonal ω=1.5", 30, seed=4) == pytest.approx(shipped, abs=0.02)
