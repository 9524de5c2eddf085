import numpy as np

from course_lib import sequences
from course_lib.exercises import nb06


def test_param_count_accepts_the_formula_and_spots_mistakes(capsys):
    assert nb06.check_infeasible_param_count(lambda t, n, d, K: d * t * n + d + K * d + K)
    assert "✅" in capsys.readouterr().out
    assert not nb06.check_infeasible_param_count(lambda t, n, d, K: d * n + d + K * d + K)
    assert "grow with t" in capsys.readouterr().out
    assert not nb06.check_infeasible_param_count(lambda t, n, d, K: d * t * n + K * d)
    assert "biases" in capsys.readouterr().out
    assert not nb06.check_infeasible_param_count(lambda t, n, d, K: None)
    assert "returned None" in capsys.readouterr().out


def test_next_char_pairs(capsys):
    def right(word, vocab):
        ids = vocab.encode(word)
        return ids, ids[1:] + [vocab.stop_id]

    assert nb06.check_next_char_pairs(right)
    assert not nb06.check_next_char_pairs(lambda w, v: (v.encode(w), v.encode(w)))
    assert "NEXT character" in capsys.readouterr().out
    assert not nb06.check_next_char_pairs(lambda w, v: (v.encode(w), v.encode(w)[1:]))
    assert "<stop>" in capsys.readouterr().out

    def stub(word, vocab):
        raise NotImplementedError

    assert not nb06.check_next_char_pairs(stub)
    assert "not implemented" in capsys.readouterr().out
    assert sequences.next_char_pairs("deep", sequences.DEEP_VOCAB) == ([0, 1, 1, 2], [1, 1, 2, 3])


def test_param_count_spots_the_recurrent_networks_count(capsys):
    assert not nb06.check_infeasible_param_count(lambda t, n, d, K: d * n + d + K * d + K + d * d)
    assert "does not depend on t" in capsys.readouterr().out
    assert not nb06.check_infeasible_param_count(lambda t, n, d, K: str(d * t * n + d + K * d + K))
    assert "got the text '31'" in capsys.readouterr().out


# --- Exercise 3: the loss each task scores ------------------------------------------------------


def test_task_loss_right_and_each_slip(capsys):
    def right(losses, task):
        return losses[-1] if task == "sentiment" else sum(losses)

    assert nb06.check_task_loss(right)
    assert not nb06.check_task_loss(lambda losses, task: sum(losses))
    assert "sentiment scores only the last output" in capsys.readouterr().out
    assert not nb06.check_task_loss(lambda losses, task: losses[-1])
    assert "only sentiment is many-to-one" in capsys.readouterr().out
    assert not nb06.check_task_loss(
        lambda losses, task: losses[-1] if task == "sentiment" else sum(losses) / len(losses)
    )
    assert "not their mean" in capsys.readouterr().out
    assert not nb06.check_task_loss(
        lambda losses, task: losses[0] if task == "sentiment" else sum(losses)
    )
    assert "not losses[0]" in capsys.readouterr().out


# --- Exercise 4: where the current letter is not enough (by hand) -------------------------------

# banana: inputs b a n a n a, targets a n a n a <stop>; 'a' is followed by n, n, <stop>.
# mississippi: 'i' by s, s, p, <stop>; 's' by s, i, s, i; 'p' by p, i; only 'm' (step 1) is sure.
BANANA, MISSISSIPPI = [2, 4, 6], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]


def test_ambiguous_steps_right_and_each_slip(capsys):
    assert nb06.check_ambiguous_steps((BANANA, MISSISSIPPI))
    assert nb06.check_ambiguous_steps([np.array(BANANA), MISSISSIPPI])  # an array is a list
    assert not nb06.check_ambiguous_steps(([1, 3, 5], MISSISSIPPI))
    assert "numbered from 1" in capsys.readouterr().out
    assert not nb06.check_ambiguous_steps(([], MISSISSIPPI))
    assert "<stop>" in capsys.readouterr().out
    assert not nb06.check_ambiguous_steps(([4, 6], MISSISSIPPI))
    assert "not only the later ones" in capsys.readouterr().out
    assert not nb06.check_ambiguous_steps((BANANA, list(range(1, 12))))
    assert "expected [2, 3" in capsys.readouterr().out
    assert not nb06.check_ambiguous_steps(None)
    assert not nb06.check_ambiguous_steps((BANANA,))
    assert "expected a tuple" in capsys.readouterr().out
