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
