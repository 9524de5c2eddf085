import numpy as np

from course_lib import lstm
from course_lib.exercises import nb09


def sig(a):
    return 1 / (1 + np.exp(-a))


def right_step(p, x, h, s):
    o = sig(p["Wo"] @ h + p["Uo"] @ x + p["bo"])
    i = sig(p["Wi"] @ h + p["Ui"] @ x + p["bi"])
    f = sig(p["Wf"] @ h + p["Uf"] @ x + p["bf"])
    s = f * s + i * np.tanh(p["W"] @ h + p["U"] @ x + p["b"])
    return o * np.tanh(s), s


def test_the_checks_reference_is_the_library_lstm():
    p, x, h, s = nb09._lstm_case(0)
    _, cache = lstm.forward(p, x[None, None], s0=(h, s))
    h_ref, s_ref = nb09._lstm_variants(p, x, h, s)["right"]
    assert np.allclose(cache["h"][0, 1], h_ref) and np.allclose(cache["s"][0, 1], s_ref)


def test_lstm_step_right_and_typical_slips(capsys):
    assert nb09.check_lstm_step(right_step)
    assert "✅" in capsys.readouterr().out

    def no_tanh(p, x, h, s):
        h_new, s_new = right_step(p, x, h, s)
        return h_new / np.tanh(s_new) * s_new, s_new

    assert not nb09.check_lstm_step(no_tanh)
    assert "goes through tanh" in capsys.readouterr().out

    def swapped(p, x, h, s):
        q = dict(p, Wi=p["Wf"], Ui=p["Uf"], bi=p["bf"], Wf=p["Wi"], Uf=p["Ui"], bf=p["bi"])
        return right_step(q, x, h, s)

    assert not nb09.check_lstm_step(swapped)
    assert "swapped" in capsys.readouterr().out
    assert not nb09.check_lstm_step(lambda p, x, h, s: None)
    assert "returned None" in capsys.readouterr().out
    assert not nb09.check_lstm_step(lambda p, x, h, s: h)
    assert "expected a pair" in capsys.readouterr().out


def test_lstm_step_stub_does_not_crash(capsys):
    def stub(p, x, h, s):
        raise NotImplementedError

    assert not nb09.check_lstm_step(stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_gru_state(capsys):
    assert nb09.check_gru_state(lambda s, i, c: (1 - i) * s + i * c)
    assert not nb09.check_gru_state(lambda s, i, c: i * s + (1 - i) * c)
    assert "swapped" in capsys.readouterr().out
    assert not nb09.check_gru_state(lambda s, i, c: s + i * c)
    assert "1 − i_t plays the forget gate" in capsys.readouterr().out
    assert not nb09.check_gru_state(lambda s, i, c: None)


def test_forget_steps(capsys):
    assert nb09.check_forget_steps(44)
    assert 0.9**44 < 0.01 < 0.9**43  # the closed form behind the answer
    assert not nb09.check_forget_steps(10)
    assert "compound" in capsys.readouterr().out
    assert not nb09.check_forget_steps(43.7)
    assert "whole number" in capsys.readouterr().out
    assert not nb09.check_forget_steps(None)
    assert not nb09.check_forget_steps(100)


def test_lstm_step_spots_a_logistic_candidate_and_a_replaced_state(capsys):
    def logistic_candidate(p, x, h, s):
        o = sig(p["Wo"] @ h + p["Uo"] @ x + p["bo"])
        i = sig(p["Wi"] @ h + p["Ui"] @ x + p["bi"])
        f = sig(p["Wf"] @ h + p["Uf"] @ x + p["bf"])
        s = f * s + i * sig(p["W"] @ h + p["U"] @ x + p["b"])
        return o * np.tanh(s), s

    def replaced(p, x, h, s):
        o = sig(p["Wo"] @ h + p["Uo"] @ x + p["bo"])
        i = sig(p["Wi"] @ h + p["Ui"] @ x + p["bi"])
        s = i * np.tanh(p["W"] @ h + p["U"] @ x + p["b"])
        return o * np.tanh(s), s

    assert not nb09.check_lstm_step(logistic_candidate)
    assert "the candidate s̃_t uses tanh" in capsys.readouterr().out
    assert not nb09.check_lstm_step(replaced)
    assert "keeps the old state through f" in capsys.readouterr().out


def _gru_jacobian_fd(p, x, s_prev):
    """The reference of the checker test: centred finite differences of the readable step."""
    from course_lib import gradcheck, gru

    return gradcheck.numerical_jacobian(lambda z: gru.step_forward(p, x, z)[0], s_prev)


def test_gru_jacobian_accepts_finite_differences_and_rejects_the_slips():
    # an answer built from finite differences (accurate to ~1e-10) passes
    assert nb09.check_gru_jacobian(_gru_jacobian_fd)
    p, x, s = nb09._gru_case(0)
    right = _gru_jacobian_fd(p, x, s)
    for slip in nb09._gru_jacobian_slips(p, x, s).values():
        assert np.abs(slip - right).max() > 1e-3  # each slip is really wrong
    i = nb09.gru.step_forward(p, x, s)[1]["i"]
    assert not nb09.check_gru_jacobian(
        lambda p, x, s: np.diag(1 - nb09.gru.step_forward(p, x, s)[1]["i"])
    )
    assert not nb09.check_gru_jacobian(lambda p, x, s: _gru_jacobian_fd(p, x, s).T)
    assert not nb09.check_gru_jacobian(lambda p, x, s: None)
    assert not nb09.check_gru_jacobian(lambda p, x, s: np.zeros((2, 2)))
    assert i.shape == (3,)


def test_chrono_survival_is_computed_by_hand():
    # f = σ(log 20) = 20/21; twenty steps keep (20/21)^20 = 0.3769
    assert nb09.check_chrono_survival((20 / 21) ** 20)
    assert nb09.check_chrono_survival(0.377)
    assert not nb09.check_chrono_survival(0.3679)  # e^−1: the large-u limit
    assert not nb09.check_chrono_survival(20 / 21)  # one step
    assert not nb09.check_chrono_survival(0.5**20)
    assert not nb09.check_chrono_survival(None)
    assert not nb09.check_chrono_survival("0.377")
