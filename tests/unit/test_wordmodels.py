"""The word-model recipe of notebook 10: its settings are checked before anything is trained."""

import pytest
from made_with import same_numpy_as

from course_lib import wordmodels


def test_an_unknown_setting_is_an_error_not_the_default_recipe():
    with pytest.raises(TypeError, match=r"unknown settings \['epoch'\]; the recipe has"):
        wordmodels.train_word_model("lstm", epoch=2, progress=False)


def test_one_epoch_of_retraining_is_the_shipped_runs_first_epoch():
    """Notebook 10's explorer retrains with the shipped recipe from the same seed, so its
    "Try" (one epoch of retraining against the shipped model) has the shipped run's first
    epoch as its answer."""
    shipped = wordmodels.shipped("rnn")
    same_numpy_as(shipped.info["numpy"])
    _, history = wordmodels.train_word_model("rnn", epochs=1, progress=False)
    assert history.val_losses[0] == pytest.approx(shipped.info["val_losses"][0], abs=1e-4)
    assert shipped.info["val_losses"][0] > shipped.info["val_losses"][-1]
