"""Notebook 10's tuned learning rates: the shipped table is a search of the documented grid,
its best η is the one of lowest mean loss, and a run reproduces its shipped loss."""

import json
import math

import numpy as np
import pytest
from made_with import same_numpy_as

from course_lib import tuning, wordtuning


def test_the_shipped_search_tried_the_coarse_grid_then_fine_multiples_of_its_best():
    table = wordtuning.shipped()
    assert table["info"]["seeds"] == list(wordtuning.SEEDS)
    assert table["info"]["comparison"] == wordtuning.COMPARISON
    for name in wordtuning.OPTIMIZERS:
        trials = table[name]["trials"]
        assert set(tuning.COARSE) <= set(trials)
        coarse_best = min(tuning.COARSE, key=lambda lr: np.mean(trials[lr]))
        for f in tuning.FINE:
            assert any(math.isclose(lr, coarse_best * f, rel_tol=1e-5) for lr in trials)
        best = table[name]["best"]
        assert all(np.mean(trials[best]) <= np.mean(v) for v in trials.values())
        assert all(len(v) == len(wordtuning.SEEDS) for v in trials.values())


@pytest.mark.parametrize(("name", "seed"), [("GD", 0), ("Momentum", 1), ("Adam", 2)])
def test_a_run_reproduces_its_shipped_loss(name, seed):
    table = wordtuning.shipped()
    same_numpy_as(table["info"]["numpy"])
    best = table[name]["best"]
    _, history = wordtuning.run(name, best, seed=seed)
    assert history.val_losses[-1] == pytest.approx(table[name]["trials"][best][seed], abs=1e-4)


@pytest.mark.parametrize(
    ("args", "words"),
    [(("SGD", 0.1), "name"), (("GD", 0.0), "lr"), (("GD", -1.0), "lr"), (("GD", 0.1, -1), "seed")],
)
def test_run_rejects_bad_arguments(args, words):
    with pytest.raises((ValueError, TypeError), match=words):
        wordtuning.run(*args)


def test_save_writes_the_shipped_table_back_and_refuses_what_is_no_table(tmp_path):
    table = wordtuning.shipped()
    wordtuning.save(tmp_path / "t.npz", table)  # its "info" is replaced, not read as a name
    with np.load(tmp_path / "t.npz", allow_pickle=False) as npz:
        written = json.loads(str(npz["table"]))
    for name in wordtuning.OPTIMIZERS:
        assert written[name]["best"] == table[name]["best"]
        assert [lr for lr, _ in written[name]["trials"]] == list(table[name]["trials"])
    with pytest.raises(ValueError, match="table's names must be of"):
        wordtuning.save(tmp_path / "u.npz", {"SGD": table["GD"]})
    with pytest.raises(ValueError, match=r"table\['GD'\] must be a dict with 'best'"):
        wordtuning.save(tmp_path / "u.npz", {"GD": {"best": 0.1}})
