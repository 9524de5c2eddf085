"""Notebook 09's long-range measurements (course_lib.gated) and the cell diagrams."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from made_with import same_numpy_as  # noqa: E402

from course_lib import gated, plots, rnn  # noqa: E402
from course_lib.longrange import FIRST  # noqa: E402


def test_starts_are_the_models_initialisations():
    model, p = gated.start("LSTM, chrono", 3)
    assert model == "lstm" and np.array_equal(p["bi"], -p["bf"])  # chrono: b_i = −b_f
    u = np.exp(p["bf"])  # b_f = log u, u in [1, L − 1]
    assert np.all((u >= 1) & (u <= gated.LENGTH - 1))
    model, p = gated.start("LSTM, forget bias 1", 3)
    assert np.all(p["bf"] == 1.0) and np.all(p["bi"] == 0.0)
    model, p = gated.start("GRU, chrono", 3)
    assert model == "gru" and np.all(-p["bi"] >= 0) and np.all(-p["bi"] <= np.log(59) + 1e-12)
    assert gated.start("RNN", 0)[1]["W"].shape == (FIRST["d"], FIRST["d"])
    with pytest.raises(ValueError, match="name must be one of"):
        gated.start("LSTM", 0)
    with pytest.raises(TypeError, match="seed"):
        gated.start("RNN", 0.5)


def test_a_run_is_seeded_and_snapshots_each_stop():
    acc, snaps = gated.run("RNN", seed=1, steps=(8, 16))
    again, _ = gated.run("RNN", seed=1, steps=(8, 16))
    assert acc.shape == (2,) and np.array_equal(acc, again)  # one accuracy per epoch of 8 steps
    assert len(snaps) == 2 and not np.array_equal(snaps[0]["W"], snaps[1]["W"])
    rnn.check_params(snaps[1])


@pytest.mark.parametrize(
    ("steps", "words"),
    [((16, 8), "steps must increase"), ((), "steps must be a non-empty"),
     ((0,), r"steps\[0\] must be >= 1"), (8, "steps must be a non-empty"),
     ((8, 2.5), r"steps\[1\] must be an integer")],
)  # fmt: skip
def test_run_checks_its_stops_before_training(steps, words):
    with pytest.raises((ValueError, TypeError), match=words):
        gated.run("RNN", seed=0, steps=steps)


def test_readback_reads_x1_where_the_state_holds_it_and_chance_where_it_does_not():
    # An RNN with W = 0 has s_t = tanh(U x_t + b): four distinct states at t = 1, so x_1 is
    # read back exactly; from t = 2 on s_t depends on x_t alone, so the readout is at chance.
    p = rnn.init_params(4, 8, 4, rng=0)
    p["W"] = np.zeros_like(p["W"])
    acc = gated.readback("rnn", p, seed=0, n=1024)
    assert acc.shape == (gated.LENGTH,) and acc[0] == 1.0
    assert np.all(np.abs(acc[1:] - 0.25) < 0.1)
    with pytest.raises(ValueError, match="model must be one of"):
        gated.readback("cnn", p)
    with pytest.raises(ValueError, match="n must be"):
        gated.readback("rnn", p, n=4)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_the_cell_diagram_draws_every_node(kind):
    fig, ax = plt.subplots()
    texts = plots.gated_cell(ax, kind)
    assert set(texts) == set(plots.cells.CELLS[kind]["nodes"])
    labels = " ".join(t.get_text() for t in ax.texts)
    for gate in {"lstm": ("forget", "input", "output"), "gru": ("reset", "update")}[kind]:
        assert gate in labels
    plt.close(fig)
    with pytest.raises(ValueError, match="kind must be one of"):
        plots.gated_cell(ax, "rnn")


def test_the_shipped_file_is_what_the_recipe_gives():
    shipped = gated.shipped()
    assert set(shipped.accuracy) == set(gated.STARTS) and shipped.seeds == gated.SEEDS
    assert all(a.shape == (5, gated.LONG_STEPS // 8) for a in shipped.accuracy.values())
    assert all(r.shape == (2, 5, gated.LENGTH) for r in shipped.readback.values())
    same_numpy_as(shipped.info["numpy"])
    # rerun the first 16 steps of one run: the same held-out accuracies after epochs 1 and 2
    acc, _ = gated.run("GRU, chrono", seed=3, steps=(16,))
    assert np.allclose(acc, shipped.accuracy["GRU, chrono"][3, :2])
    # the parameters after 200 steps are those of the recipe: a full rerun of one (seconds)
    _, snaps = gated.run("RNN", seed=0, steps=(gated.STEPS,))
    assert all(np.allclose(snaps[0][k], v) for k, v in shipped.params["RNN"][0].items())
    # the readback is recomputed from the shipped parameters
    again = gated.readback("rnn", shipped.params["RNN"][0], seed=0)
    assert np.array_equal(again, shipped.readback["RNN"][1, 0])
