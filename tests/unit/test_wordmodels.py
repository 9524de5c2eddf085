"""The word-model recipe of notebook 10: its settings are checked before anything is trained."""

import pytest

from course_lib import wordmodels


def test_an_unknown_setting_is_an_error_not_the_default_recipe():
    with pytest.raises(TypeError, match=r"unknown settings \['epoch'\]; the recipe has"):
        wordmodels.train_word_model("lstm", epoch=2, progress=False)
