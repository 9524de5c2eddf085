"""The recall task of notebook 10: its sequences, its scores (by hand), a run reproduced."""

import math

import numpy as np
import pytest
from made_with import same_numpy_as

from course_lib import lstm, models, recall


def test_a_sequence_is_key_fillers_marker_key_read_one_step_behind():
    data = recall.recall_task(n=20, gap=5, seed=3)
    K, L = len(recall.VOCAB), recall.KEY_LEN
    assert data.X.shape == (20, 2 * L + 5, K) and data.targets.shape == (20, 2 * L + 5)
    ids = data.X.argmax(-1)
    keys, fillers = set(range(8)), set(range(8, 16))
    marker = recall.VOCAB.encode(["="])[0]
    for x, y in zip(ids, data.targets, strict=True):
        seq = [*x, y[-1]]  # the whole sequence: inputs, then the last target
        assert set(seq[:L]) <= keys and set(seq[L : L + 5]) <= fillers
        assert seq[L + 5] == marker and seq[-L:] == seq[:L]  # the key again after "="
        assert list(y[:-1]) == list(x[1:])  # next-symbol targets
    assert data.tokens[0].split()[L + 5] == "="


def test_the_recall_scores_of_a_perfect_and_of_a_forgetful_model():
    data = recall.recall_task(n=6, gap=3, seed=0)
    perfect = np.full(data.X.shape, 1e-3)
    np.put_along_axis(perfect, data.targets[..., None], 1.0, axis=-1)
    perfect /= perfect.sum(-1, keepdims=True)
    scores = recall.recall_scores(perfect, data)
    assert scores["accuracy"] == 1.0 and scores["loss"] < 0.02
    forgetful = np.zeros(data.X.shape)
    forgetful[..., :8] = 1 / 8  # knows a key letter comes, not which
    assert recall.recall_scores(forgetful, data)["loss"] == pytest.approx(math.log(8))


def test_a_run_is_seeded_and_reproduces(monkeypatch):
    monkeypatch.setitem(recall.RECIPE, "steps", 5)
    monkeypatch.setitem(recall.RECIPE, "n_train", 64)
    monkeypatch.setitem(recall.RECIPE, "n_test", 32)
    assert recall.recall_run("gru", 3, seed=1) == recall.recall_run("gru", 3, seed=1)


def test_the_shipped_table_covers_every_model_gap_and_seed():
    results = recall.shipped()
    assert results.gaps == recall.GAPS and results.seeds == recall.SEEDS
    assert results.info["recipe"] == recall.RECIPE
    for name in recall.NAMES:
        assert results.accuracy[name].shape == (len(recall.GAPS), len(recall.SEEDS))
        assert np.all((0 <= results.accuracy[name]) & (results.accuracy[name] <= 1))
        assert np.all(results.loss[name] >= 0)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: recall.recall_task(n=0), "n"),
        (lambda: recall.recall_task(gap=-1), "gap"),
        (lambda: recall.recall_task(seed=1.5), "seed"),
        (lambda: recall.recall_run("cnn", 3), "name"),
        (lambda: recall.recall_scores(np.zeros((2, 3)), recall.recall_task(n=2, gap=1)), "probs"),
        (lambda: recall.recall_scores(np.zeros((2, 3, 17)), recall.recall_task(n=2, gap=3)),
         "shape"),
        (lambda: recall.recall_scores(np.zeros((2, 3, 17)), None), "data"),
        (lambda: recall.checkpoint_name("cnn", 10), "name"),
        (lambda: recall.checkpoint_name("gru", 2.5), "gap"),
        (lambda: recall.save_checkpoints(None), "folder"),
        (lambda: recall.sequence_probs("lstm", lstm.init_params(4, 3, 4, rng=0), "ab", "st"),
         "params must read 17"),
    ],
)  # fmt: skip
def test_bad_input_is_named(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()


def test_the_figures_draw_the_means_and_the_chosen_rates():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_lib import plots

    acc = {"rnn": np.array([[0.9, 0.7], [0.2, 0.4]]), "gru": np.array([[1.0, 1.0], [0.8, 0.6]])}
    fig, ax = plt.subplots()
    plots.recall_curves(ax, (5, 40), acc, chance=0.125)
    means = [line.get_ydata() for line in ax.lines if line.get_linestyle() == "-"]
    assert np.allclose(means[0], [0.8, 0.3]) and np.allclose(means[1], [1.0, 0.7])
    table = {"GD": {"best": 1.0, "trials": {0.1: [3.0, 5.0], 1.0: [2.0, 2.0], 10.0: [99.0, 1e9]}}}
    fig2, ax2 = plt.subplots()
    plots.lr_curves(ax2, table, cap=30)
    assert np.allclose(ax2.lines[0].get_ydata(), [4.0, 2.0, 30.0])  # means, capped at 30
    assert ax2.lines[1].get_xdata()[0] == 1.0  # the chosen η circled
    plt.close(fig)
    plt.close(fig2)


def test_a_shipped_entry_is_what_a_rerun_gives():
    results = recall.shipped()
    same_numpy_as(results.info["numpy"])
    got = recall.recall_run("rnn", 5, seed=0)
    j = results.gaps.index(5)
    assert got["accuracy"] == pytest.approx(results.accuracy["rnn"][j, 0], abs=1e-5)
    assert got["loss"] == pytest.approx(results.loss["rnn"][j, 0], abs=1e-5)


def test_the_shipped_models_are_the_tables_seed_0_runs():
    results = recall.shipped()
    for name in recall.NAMES:
        for gap in recall.CHECKPOINT_GAPS:
            ckpt = recall.shipped_model(name, gap)
            assert ckpt.model == name and list(ckpt.vocab) == recall.VOCAB.symbols
            j = results.gaps.index(gap)
            # Scored again here on the held-out split of seed 0, not read from the file.
            _, test_set = recall.recall_task(
                recall.RECIPE["n_train"] + recall.RECIPE["n_test"], gap, 0
            ).split(recall.RECIPE["n_train"], seed=0)
            probs, _ = models.get(name).forward(ckpt.params, test_set.X)
            scores = recall.recall_scores(probs, test_set)
            assert scores["accuracy"] == pytest.approx(results.accuracy[name][j, 0], abs=1e-5)


def test_sequence_probs_rejects_what_is_no_key_or_filler():
    params = recall.shipped_model("rnn", 10).params
    for key, fill in [("a", "st"), ("ax", "st"), ("ab", "sa"), (12, "st"), ("ab", None)]:
        with pytest.raises(ValueError, match="key|fillers"):
            recall.sequence_probs("rnn", params, key, fill)
    with pytest.raises(ValueError, match="gap"):
        recall.shipped_model("rnn", 20)
