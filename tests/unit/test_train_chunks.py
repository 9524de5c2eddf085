"""train_recurrent(..., chunk=k): truncated BPTT in chunks with the state carried, against a
brute-force reference written here (its own forward pass and loss, finite differences)."""

import numpy as np
import pytest

from course_lib import gradcheck, optim, rnn, train
from course_lib import sequences as sq


def softmax_rows(o):
    e = np.exp(o - o.max())
    return e / e.sum()


def run_chunk(params, X, y, mask, s0):
    """The reference for one chunk of B sequences, one step at a time in column vectors:
    the chunk's loss (mean over sequences of the summed −log ŷ of real steps) and the
    state after it (a padded step passes the state through)."""
    B, T, _ = X.shape
    loss, states = 0.0, []
    for i in range(B):
        s = s0[i].copy()
        for t in range(T):
            if mask[i, t]:
                s = np.tanh(params["U"] @ X[i, t] + params["W"] @ s + params["b"])
                loss -= np.log(softmax_rows(params["V"] @ s + params["c"])[y[i, t]])
        states.append(s)
    return loss / B, np.array(states)


def small_data(seed=0, lengths=(7, 5, 2), n=3, K=3):
    rng = np.random.default_rng(seed)
    B, T = len(lengths), max(lengths)
    mask = (np.arange(T) < np.array(lengths)[:, None]).astype(float)
    X = rng.standard_normal((B, T, n)) * mask[..., None]
    y = rng.integers(K, size=(B, T))
    return sq.SequenceData(X, y, mask)


def trained(params0, data, steps, **kwargs):
    params = {k: v.copy() for k, v in params0.items()}
    history = train.train_recurrent(
        rnn, params, data, optim.GD(0.1), progress=False, max_steps=steps, **kwargs
    )
    return params, history


def test_each_chunk_step_is_the_gradient_of_its_chunk_with_the_carried_state_held_constant():
    """Steps j = 1..6 of GD (2 epochs of one batch, chunks [0:3], [3:6], [6:7]) recovered from
    the parameters (g = Δθ / η) and compared with finite differences of the reference loss
    of chunk j, started from the state the reference forward pass carried to it (zeros at
    each new batch): the cut stops the gradient, the state crosses it."""
    data = small_data()
    params0 = rnn.init_params(3, 4, 3, rng=1)
    params0["b"] += 0.1
    cuts = [slice(0, 3), slice(3, 6), slice(6, 7)] * 2
    ref = {k: v.copy() for k, v in params0.items()}
    before = params0
    state = np.zeros((3, 4))
    for j, cut in enumerate(cuts, start=1):
        if j == 4:
            state = np.zeros((3, 4))  # a new epoch, so a new batch: the state starts again
        X, y, m = data.X[:, cut], data.targets[:, cut], data.mask[:, cut]
        after, history = trained(params0, data, j, batch_size=3, chunk=3, epochs=2)
        applied = {k: (before[k] - after[k]) / 0.1 for k in after}
        s0 = state.copy()
        loss, state = run_chunk(ref, X, y, m, s0)
        errors = gradcheck.check_gradients(
            lambda p, X=X, y=y, m=m, s0=s0: run_chunk(p, X, y, m, s0)[0], applied, ref
        )
        assert max(errors.values()) < 1e-7, (j, errors)
        assert history.steps == j and history.losses[-1] == pytest.approx(loss, rel=1e-12)
        ref = {k: ref[k] - 0.1 * applied[k] for k in ref}  # follow the same path
        before = after


def test_a_chunk_as_long_as_the_sequences_is_training_without_chunks():
    data = sq.word_task().subset(np.arange(64))
    results = []
    for kwargs in ({}, {"chunk": data.X.shape[1]}, {"chunk": 100}):
        params = rnn.init_params(27, 8, 27, rng=0)
        h = train.train_recurrent(
            rnn, params, data, optim.Adam(0.01), epochs=2, batch_size=16, rng=3,
            progress=False, **kwargs,
        )  # fmt: skip
        results.append((params, h))
    (p0, h0), *others = results
    for p, h in others:
        assert h.losses == h0.losses and h.epoch_losses == h0.epoch_losses
        assert all(np.array_equal(p[k], p0[k]) for k in p0)


def test_chunks_cut_the_batch_and_leave_out_chunks_of_padding_only():
    X = np.arange(2 * 7 * 1, dtype=float).reshape(2, 7, 1)
    y = np.arange(14).reshape(2, 7)
    mask = np.ones((2, 7))
    mask[:, 2:4] = 0.0  # steps 2 and 3 are padding in both sequences: the chunk [2:4] goes
    pieces = list(train.chunks((X, y, mask), 3))
    assert [p[1][0].tolist() for p in pieces] == [[0, 1, 2], [3, 4, 5], [6]]
    pieces = list(train.chunks((X, y, mask), 2))
    assert [p[1][0].tolist() for p in pieces] == [[0, 1], [4, 5], [6]]
    assert all(p[0].shape[:2] == p[2].shape == p[1].shape for p in pieces)
    (whole,) = train.chunks((X, y, mask), None)
    assert whole[0] is X and whole[1] is y and whole[2] is mask


def test_steps_max_steps_and_schedules_count_chunks():
    data = small_data(lengths=(7, 7, 7, 7, 2))
    params = rnn.init_params(3, 4, 3, rng=0)
    h = train.train_recurrent(
        rnn, params, data, optim.GD(1.0), batch_size=5, chunk=3, epochs=2, progress=False,
        schedules={"lr": lambda t: 0.1 / (1 + t)},
    )  # fmt: skip
    assert h.steps == 6 and np.allclose(h.lrs, [0.1 / (1 + t) for t in range(6)])
    assert h.epoch_losses == pytest.approx([np.mean(h.losses[:3]), np.mean(h.losses[3:])])
    _, h = trained(rnn.init_params(3, 4, 3, rng=0), data, 4, batch_size=5, chunk=3, epochs=5)
    assert h.steps == 4 and len(h.epoch_losses) == 2


def test_the_carried_state_is_reset_for_every_batch():
    """Two batches of the same sequences give the same chunk losses: each starts at 0."""
    one = small_data(lengths=(6,))
    data = sq.SequenceData(np.repeat(one.X, 4, 0), np.repeat(one.targets, 4, 0), np.ones((4, 6)))
    params = rnn.init_params(3, 4, 3, rng=0)
    h = train.train_recurrent(
        rnn, params, data, optim.GD(1e-12), batch_size=2, chunk=3, rng=0, progress=False
    )
    assert h.steps == 4
    assert h.losses[0] == pytest.approx(h.losses[2], rel=1e-9)
    assert h.losses[1] == pytest.approx(h.losses[3], rel=1e-9)


def test_bad_chunk_arguments_are_refused_before_the_first_step():
    data = small_data()
    params = rnn.init_params(3, 4, 3, rng=0)
    before = {k: v.copy() for k, v in params.items()}
    labels = sq.remember_first_task(n=8, length=6)
    bad = [
        (data, {"chunk": 0}, ValueError, "chunk must be >= 1"),
        (data, {"chunk": 2.5}, TypeError, "chunk"),
        (data, {"chunk": 3, "truncate": 2}, ValueError, "truncate .* or chunk .*not both"),
        (labels, {"chunk": 3}, ValueError, "many-to-one"),
    ]
    for d, kwargs, error, words in bad:
        p = params if d is data else rnn.init_params(4, 4, 4, rng=0)
        with pytest.raises(error, match=words):
            train.train_recurrent(rnn, p, d, optim.GD(0.1), progress=False, **kwargs)
    assert all(np.array_equal(params[k], before[k]) for k in params)


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_every_model_trains_in_chunks(name):
    """The LSTM's state is a pair (h, s): it is carried as a whole."""
    data = small_data(lengths=(7, 6, 3))
    from course_lib import models

    model = models.get(name)
    params = model.init_params(3, 4, 3, rng=0)
    h = train.train_recurrent(model, params, data, optim.Adam(0.01), chunk=2, epochs=3,
                              batch_size=3, progress=False)  # fmt: skip
    assert h.steps == 12 and not h.diverged and np.all(np.isfinite(h.losses))
