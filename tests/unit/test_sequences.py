"""Vocabularies, encoding, padding and the course's sequence tasks."""

import string

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import DATA_DIR
from course_lib import sequences as sq


def test_vocab_lecture_order_and_round_trip():
    v = sq.Vocab("dep")
    assert v.symbols == ["d", "e", "p", "<stop>"] and len(v) == 4 and v.stop_id == 3
    assert v.encode("deep") == [0, 1, 1, 2]
    assert v.decode([0, 1, 1, 2, 3]) == "deep<stop>"
    words = sq.Vocab(["the", "cat"], stop=False)
    assert words.decode(words.encode(["the", "cat"]), sep=" ") == "the cat"
    with pytest.raises(ValueError, match="no <stop>"):
        _ = words.stop_id
    with pytest.raises(ValueError, match="not in the vocabulary"):
        v.encode("dog")
    with pytest.raises(ValueError, match="distinct"):
        sq.Vocab("dd")


@given(ids=st.lists(st.integers(0, 6), min_size=1, max_size=20))
def test_one_hot_has_a_single_one_where_the_id_is(ids):
    out = sq.one_hot(ids, 7)
    assert out.shape == (len(ids), 7) and out.dtype == np.float64
    assert np.array_equal(out.sum(axis=1), np.ones(len(ids)))
    assert np.array_equal(out.argmax(axis=1), ids)


def test_one_hot_rejects_bad_ids():
    with pytest.raises(ValueError, match=r"ids must be in \[0, 3\), got 3"):
        sq.one_hot([0, 3], 3)
    with pytest.raises(ValueError, match=r"ids must be in \[0, 3\), got -1"):
        sq.one_hot([-1], 3)
    with pytest.raises(TypeError, match="integer token ids.*astype"):
        sq.one_hot([1.0, 2.0], 3)
    with pytest.raises(TypeError, match="integer token ids"):
        sq.one_hot(["a"], 3)


@given(lengths=st.lists(st.integers(1, 8), min_size=1, max_size=6))
def test_pad_right_pads_and_masks(lengths):
    seqs = [list(range(1, n + 1)) for n in lengths]
    ids, mask = sq.pad(seqs, value=0)
    assert ids.shape == mask.shape == (len(lengths), max(lengths))
    assert np.array_equal(mask.sum(axis=1), lengths)
    for row, n in zip(ids, lengths, strict=True):
        assert list(row[:n]) == list(range(1, n + 1)) and not row[n:].any()


def test_pad_rejects_empty_sequences():
    with pytest.raises(ValueError, match="sequence 1 is empty"):
        sq.pad([[1], []])
    with pytest.raises(ValueError, match="must not be empty"):
        sq.pad([])


def test_deep_task_is_the_lecture_example():
    data = sq.deep_task()
    eye = np.eye(4)
    assert np.array_equal(data.X[0], eye[[0, 1, 1, 2]])  # inputs d e e p
    assert np.array_equal(data.targets[0], [1, 1, 2, 3])  # targets e e p <stop>
    assert np.array_equal(data.mask, np.ones((1, 4))) and not data.many_to_one


def test_next_char_pairs_with_a_word_boundary():
    x, y = sq.next_char_pairs("ab", sq.LETTERS, boundary=True)
    assert x == [26, 0, 1] and y == [0, 1, 26]
    x, y = sq.next_char_pairs("ab", sq.LETTERS)
    assert x == [0, 1] and y == [1, 26]
    for boundary in (False, True):  # no word, no pairs (without it: [] and [<stop>])
        with pytest.raises(ValueError, match="word must hold at least one character"):
            sq.next_char_pairs("", sq.LETTERS, boundary=boundary)


def test_word_list_file_is_what_data_readme_promises():
    lines = (DATA_DIR / "words.txt").read_text(encoding="ascii").splitlines()
    assert len(lines) == 3000 and lines == sorted(set(lines))
    assert all(3 <= len(w) <= 8 and set(w) <= set(string.ascii_lowercase) for w in lines)
    assert sq.load_words(4, 5) == [w for w in lines if 4 <= len(w) <= 5]


def test_word_task_shapes_and_targets():
    data = sq.word_task(["ab", "cde"])
    assert data.X.shape == (2, 4, 27)
    assert np.array_equal(data.lengths, [3, 4])
    assert list(data.targets[0, :3]) == [0, 1, 26] and list(data.targets[1]) == [2, 3, 4, 26]
    assert not data.X[0, 3].any()  # padding is zero input


def reparse_tag(prev_tag, word):
    """The tag of ``word`` decided from the previous tag only (independent of the grammar code)."""
    if word in ("watch", "fly", "play"):
        return "VERB" if prev_tag == "PRON" else "NOUN"
    if word == "light":
        return "VERB" if prev_tag == "PRON" else "ADJ"
    if word == "fast":
        return "ADJ" if prev_tag in ("DET", "ADJ") else "ADV"
    return None


def test_pos_tags_follow_the_lexicon_and_left_context():
    data = sq.pos_task(n=300, seed=1)
    for words, tags, n in zip(data.tokens, data.targets, data.lengths, strict=True):
        names = [sq.TAGS.symbols[t] for t in tags[:n]]
        assert len(words) == n
        prev = None
        for w, tag in zip(words, names, strict=True):
            lexicon_tags = {t for t, ws in sq.LEXICON.items() if w in ws}
            assert tag in {"VERB" if t == "VERBS" else t for t in lexicon_tags}
            expected = reparse_tag(prev, w)
            assert expected is None or expected == tag, (words, names)
            prev = tag


def test_after_an_adjective_almost_surely_a_noun():
    data = sq.pos_task(n=2000, seed=0, p_second_adj=0.05)
    adj, noun = sq.TAGS.index["ADJ"], sq.TAGS.index["NOUN"]
    nxt = [
        t[i + 1]
        for t, n in zip(data.targets, data.lengths, strict=True)
        for i in range(n - 1)
        if t[i] == adj
    ]
    share = np.mean(np.array(nxt) == noun)
    assert 0.93 < share < 0.97  # 1 − p_second_adj, within sampling error (n ≈ 1,900)


def review_label(words):
    """Label of a generated review, re-derived from its words (independent of the generator)."""

    def clause(ws):
        pol = 1 if ws[-1] in sq.POSITIVE else -1
        return -pol if "not" in ws else pol

    if "but" in words:
        return int(clause(words[words.index("but") + 1 :]) > 0)
    if "," in words:
        return int(clause(words[: words.index(",")]) > 0)
    return int(clause(words) > 0)


def test_sentiment_labels_follow_negation_and_order():
    data = sq.sentiment_task(n=500, seed=2)
    assert data.many_to_one and data.targets.shape == (500,)
    assert all(review_label(w) == y for w, y in zip(data.tokens, data.targets, strict=True))
    labels_by_bag = {}
    for w, y in zip(data.tokens, data.targets, strict=True):
        labels_by_bag.setdefault(tuple(sorted(w)), set()).add(int(y))
    # same words, opposite labels: only the order of the words tells them apart
    assert sum(len(labels) == 2 for labels in labels_by_bag.values()) >= 5


def test_bag_of_words_ceiling_by_hand():
    bag = sq.SequenceData(
        X=np.zeros((4, 1, 1)),
        targets=np.array([1, 0, 1, 1]),
        mask=np.ones((4, 1)),
        many_to_one=True,
        tokens=[["good", ",", "not", "bad"], ["bad", ",", "not", "good"], ["good"], ["good"]],
    )
    assert sq.best_bag_of_words_accuracy(bag) == 0.75  # the first two share a bag
    big = sq.sentiment_task(n=20000, seed=0)
    assert sq.best_bag_of_words_accuracy(big) < 0.8  # about 3/4 in the limit


def test_remember_first_labels_and_chance():
    data = sq.remember_first_task(n=400, length=7, n_symbols=3, seed=4)
    assert data.X.shape == (400, 7, 3) and data.many_to_one
    assert np.array_equal(data.targets, data.X[:, 0].argmax(axis=1))
    counts = np.bincount(data.targets, minlength=3) / 400
    assert np.all(np.abs(counts - 1 / 3) < 0.08)


def test_activity_clips_left_is_right_backwards():
    clips, labels = sq.activity_clips(n=40, frames=5, size=6, seed=0)
    assert clips.shape == (40, 5, 6, 6) and set(labels) <= {0, 1, 2, 3}
    for clip, label in zip(clips, labels, strict=True):
        vertical = clip.sum(axis=1)  # (frames, size): column sums, 6 where the bar is
        horizontal = clip.sum(axis=2)
        pos = (vertical if label < 2 else horizontal).argmax(axis=1)
        step = np.diff(pos) % 6
        assert np.all(step == (5 if label in (0, 2) else 1))  # left/up: −1 mod 6
    # played backwards, a right-moving clip is a left-moving one: same frames, other order
    right = clips[labels == 1][0]
    reversed_right = right[::-1]
    assert np.array_equal(
        np.sort(right.reshape(5, -1), axis=0), np.sort(reversed_right.reshape(5, -1), axis=0)
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda s: sq.pos_task(50, seed=s),
        lambda s: sq.sentiment_task(50, seed=s),
        lambda s: sq.remember_first_task(50, 6, seed=s),
    ],
    ids=["pos", "sentiment", "remember-first"],
)
def test_generated_tasks_are_deterministic_under_a_seed(make):
    a, b, c = make(3), make(3), make(4)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.targets, b.targets)
    assert a.tokens == b.tokens
    assert a.tokens != c.tokens


def test_activity_clips_deterministic():
    a, b = sq.activity_clips(seed=2), sq.activity_clips(seed=2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_split_and_batches_cover_everything_once():
    data = sq.pos_task(n=103, seed=0)
    train, test = data.split(80, seed=1)
    assert len(train) == 80 and len(test) == 23
    assert sorted(map(tuple, train.tokens + test.tokens)) == sorted(map(tuple, data.tokens))
    seen = 0
    for X, y, mask in train.batches(16, rng=0):
        assert X.shape[:2] == y.shape == mask.shape
        assert mask[:, -1].any()  # trimmed to the longest sequence of the batch
        seen += len(X)
    assert seen == 80
    first = [y.tolist() for _, y, _ in train.batches(16, rng=5)]
    assert first == [y.tolist() for _, y, _ in train.batches(16, rng=5)]
    with pytest.raises(ValueError, match="n_train must be <"):
        data.split(103)


def test_task_arguments_are_checked():
    with pytest.raises(ValueError, match="length must be >= 1"):
        sq.remember_first_task(length=0)
    with pytest.raises(TypeError, match="n must be an integer"):
        sq.pos_task(n=10.0)
    with pytest.raises(ValueError, match="words must not be empty"):
        sq.word_task([])
    with pytest.raises(ValueError, match="many-to-one"):
        sq.best_bag_of_words_accuracy(sq.deep_task())
