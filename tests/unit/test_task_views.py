"""Notebook 06's task views: per step, input, target and scored mask; the tagger and the
review labeller against the generators' own labels (an independent source: the grammars
label what they generate, these functions parse what they are given)."""

import pytest

from course_lib import sequences as sq
from course_lib import task_views as tv


def test_deep_is_the_notes_example():
    v = tv.task_view("autocompletion", "deep")
    assert v.inputs == list("deep") and v.targets == ["e", "e", "p", "<stop>"]
    assert v.scored.tolist() == [True] * 4 and not v.many_to_one and v.T == 4


def test_autocompletion_agrees_with_next_char_pairs():
    for word in sq.load_words()[:200]:
        v = tv.task_view("autocompletion", word)
        x, y = sq.next_char_pairs(word, sq.LETTERS)
        assert sq.LETTERS.encode(v.inputs) == x
        assert [sq.LETTERS.index[c] for c in v.targets] == y


def test_tagging_scores_every_word():
    v = tv.task_view("tagging", "We watch the watch")
    assert v.inputs == ["we", "watch", "the", "watch"]
    assert v.targets == ["PRON", "VERB", "DET", "NOUN"]
    assert v.scored.all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_tagger_gives_the_grammars_tags(seed):
    data = sq.pos_task(n=1500, seed=seed, p_second_adj=0.3)
    for words, tags, n in zip(data.tokens, data.targets, data.lengths, strict=True):
        assert tv.tag_sentence(words) == [sq.TAGS.symbols[t] for t in tags[:n]]


@pytest.mark.parametrize("seed", [0, 1])
def test_the_review_labeller_gives_the_grammars_labels(seed):
    data = sq.sentiment_task(n=5000, seed=seed)
    for words, label in zip(data.tokens, data.targets, strict=True):
        assert tv.review_label(words) == sq.SENTIMENT.symbols[label]


def test_sentiment_scores_only_the_last_step():
    v = tv.task_view("sentiment", "good , not bad")
    assert v.targets == ["", "", "", "positive"] and v.many_to_one
    assert v.scored.tolist() == [False, False, False, True]
    assert tv.task_view("sentiment", "bad , not good").targets[-1] == "negative"
    assert tv.task_view("sentiment", "fun but dull").targets[-1] == "negative"
    assert tv.task_view("sentiment", "not very dull").targets[-1] == "positive"


def test_every_example_is_valid_for_its_task():
    for task, texts in tv.EXAMPLES.items():
        for text in texts:
            v = tv.task_view(task, text)
            assert len(v.targets) == v.T == len(v.scored) and v.scored.any()


def test_ambiguous_steps_by_hand():
    assert tv.ambiguous_steps(tv.task_view("autocompletion", "deep")) == [2, 3]
    assert tv.ambiguous_steps(tv.task_view("autocompletion", "banana")) == [2, 4, 6]
    assert tv.ambiguous_steps(tv.task_view("tagging", "we watch the watch")) == [2, 4]
    assert tv.ambiguous_steps(tv.task_view("sentiment", "good , not bad")) == []


@pytest.mark.parametrize(
    "task, text, error, match",
    [
        ("translation", "deep", ValueError, "task must be one of"),
        ("autocompletion", 3, TypeError, "text must be a string"),
        ("autocompletion", "  ", ValueError, "must not be empty"),
        ("autocompletion", "deep learning", ValueError, r"letters a-z, got \[' '\]"),
        ("tagging", "we watch tv", ValueError, r"not in the tagging vocabulary: \['tv'\]"),
        ("sentiment", "good movie", ValueError, r"\['movie'\]"),
        ("sentiment", "good bad", ValueError, "exactly one adjective"),
    ],
)
def test_bad_input_is_a_clear_error(task, text, error, match):
    with pytest.raises(error, match=match):
        tv.task_view(task, text)


@pytest.mark.parametrize(
    "fn, words, error, match",
    [
        (tv.tag_sentence, "we watch", TypeError, "words must be a list of words"),
        (tv.tag_sentence, [], ValueError, "must not be empty"),
        (tv.tag_sentence, ["we", "watch", "tv"], ValueError, r"words\[2\] = 'tv'"),
        (tv.review_label, ["good", "movie"], ValueError, r"words\[1\] = 'movie'"),
        (tv.review_label, 3, TypeError, "list of words, got int"),
        (tv.ambiguous_steps, "deep", TypeError, "view must be a TaskView"),
    ],
)
def test_the_helpers_name_their_bad_argument(fn, words, error, match):
    with pytest.raises(error, match=match):
        fn(words)
