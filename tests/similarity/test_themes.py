"""Themes of a challenge's ideas, their keywords, labels and examples (pure, no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicflow.similarity import themes
from civicflow.similarity.themes import group_into_themes, keywords_for, label_for, tokens
from tests.similarity.themes_standin import embed

IDEAS = [
    (1, "Safer crossings near schools: a zebra crossing outside the primary school"),
    (2, "School streets: close the road outside the school at drop-off time"),
    (3, "Crossing patrol at the school gates to keep children safe on the road"),
    (4, "Speed limit of 20mph on the roads around every school"),
    (5, "Food waste collections every week for flats"),
    (6, "Weekly food waste bins for blocks of flats and their residents"),
    (7, "Compost the food waste from flats at a community garden"),
    (8, "Library opening on Sundays for families"),
    (9, "Sunday library opening hours with story time for families"),
    (10, "Longer library opening hours at weekends for families and students"),
]


def _themes(ideas=IDEAS, **options):
    ids = [item for item, _text in ideas]
    texts = [text for _item, text in ideas]
    return group_into_themes(ids, texts, embed(texts), **options)


def test_ideas_fall_into_their_themes_with_readable_labels():
    found = _themes()
    assert found[0].size == 4 and [theme.size for theme in found] == [4, 3, 3]
    by_members = {frozenset(theme.members): theme for theme in found}
    assert set(by_members) == {frozenset({1, 2, 3, 4}), frozenset({5, 6, 7}), frozenset({8, 9, 10})}
    school = by_members[frozenset({1, 2, 3, 4})]
    waste = by_members[frozenset({5, 6, 7})]
    library = by_members[frozenset({8, 9, 10})]
    assert "school" in school.keywords
    assert {"food waste", "flats"} <= set(waste.keywords)
    assert "library opening" in library.keywords or "library" in library.keywords
    assert "families" in library.keywords
    assert waste.label.startswith("Food waste")
    assert all(theme.examples == theme.members[:3] for theme in found)
    assert all(0 < theme.cohesion <= 1 for theme in found)


def test_the_same_ideas_in_another_order_give_the_same_themes():
    assert _themes(IDEAS[::-1]) == _themes(IDEAS)


def test_no_ideas_no_themes():
    assert group_into_themes([], [], np.zeros((0, 8))) == []


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_tiny_challenge_has_one_theme_of_all_its_ideas(count):
    found = _themes(IDEAS[4 : 4 + count])
    assert len(found) == 1
    assert set(found[0].members) == {item for item, _text in IDEAS[4 : 4 + count]}
    assert found[0].label


def test_identical_texts_make_one_theme():
    found = _themes([(item, "Free parking for carers") for item in range(1, 6)])
    assert len(found) == 1 and found[0].size == 5
    assert found[0].label == "Free parking, carers"


def test_empty_and_stop_word_only_texts_fit_no_theme():
    ideas = [*IDEAS, (20, ""), (21, "   "), (22, "the and of it 2024")]
    found = _themes(ideas)
    grouped = {member for theme in found for member in theme.members}
    assert grouped.isdisjoint({20, 21, 22})
    assert _themes([(1, ""), (2, "")]) == []


def test_welsh_ideas_are_named_by_their_content_words():
    ideas = [
        (1, "Mwy o feinciau yn y parc i bobl hŷn"),
        (2, "Meinciau newydd yn y parc ger y llyn"),
        (3, "Gwasanaeth bws i'r ysbyty bob awr"),
        (4, "Bws mini i'r ysbyty o'r pentrefi"),
    ]
    found = _themes(ideas)
    words = {keyword for theme in found for keyword in theme.keywords}
    assert words.isdisjoint(themes.WELSH_STOP_WORDS)
    assert "parc" in words and "ysbyty" in words


def test_tokens_drop_stop_words_numbers_and_possessives():
    assert tokens("The council's 2024 plan: 20mph zones, 100 trees & ŵyn") == [
        "council",
        "plan",
        "20mph",
        "zones",
        "trees",
        "ŵyn",
    ]


def test_keywords_prefer_words_common_inside_and_rare_outside():
    groups = [
        ["bins collected weekly", "weekly bins for flats", "bins for recycling"],
        ["parking permits for carers", "carers parking", "permits for nurses"],
    ]
    bins, parking = keywords_for(groups, count=3)
    assert bins[0] == "bins"
    assert "parking" in parking and "carers" in parking
    assert not set(bins) & set(parking)


def test_keywords_keep_the_capitals_of_names_only():
    groups = [
        ["Benches open on Sundays", "Benches by the NHS clinic on Sundays", "benches, Sundays"],
        ["library hours"],
    ]
    words = keywords_for(groups, count=3)[0]
    assert "Sundays" in words and "benches" in words


def test_a_phrase_hides_its_words():
    groups = [["food waste for flats", "food waste weekly", "food waste bins"], ["library hours"]]
    assert keywords_for(groups, count=2)[0] == ("food waste",)


def test_label_takes_the_first_keywords():
    assert label_for(["bus stops", "shelters", "timetables", "seats"]) == (
        "Bus stops, shelters, timetables"
    )
    assert label_for([]) == ""


def test_large_challenges_use_k_means_deterministically(monkeypatch):
    monkeypatch.setattr(themes, "EXACT_LIMIT", 5)
    first = _themes(max_themes=4)
    assert first == _themes(max_themes=4)
    assert sorted(theme.size for theme in first) == [3, 3, 4]


def test_an_idea_close_to_a_theme_joins_it_though_the_cut_left_it_out():
    from civicflow.similarity.duplicates import normalised

    matrix = normalised(
        np.array(
            [[1, 0, 0], [0.98, 0.2, 0], [0, 1, 0], [0.1, 0.99, 0], [0.9, 0, 0.4], [0, 0, 1]],
            dtype=np.float32,
        )
    )
    groups = themes._attach_stragglers(matrix, [[0, 1], [2, 3]], list(range(6)))
    assert groups == [[0, 1, 4], [2, 3]]  # 4 is about as close as the theme's own ideas


def test_small_groups_are_left_out():
    ideas = [*IDEAS, (11, "Repair the church roof in the old town")]
    found = _themes(ideas)
    assert all(11 not in theme.members for theme in found)


def test_mismatched_input_is_refused():
    with pytest.raises(ValueError, match="same length"):
        group_into_themes([1], ["a", "b"], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="distinct"):
        group_into_themes([1, 1], ["a", "b"], np.zeros((2, 3)))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=0, max_size=12))
def test_any_texts_give_themes_that_share_no_idea(texts):
    ids = list(range(1, len(texts) + 1))
    found = group_into_themes(ids, texts, embed(texts))
    members = [member for theme in found for member in theme.members]
    assert len(members) == len(set(members))
    assert set(members) <= set(ids)
    for theme in found:
        assert theme.size >= 1 and theme.examples
