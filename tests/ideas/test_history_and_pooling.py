"""The pure rules: what an edit changed, and how supports pool when ideas merge."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from civicflow.ideas.history import field_changes
from civicflow.ideas.pooling import pool_supports


def test_field_changes_lists_only_what_changed():
    before = {"title": "A", "summary": "S", "benefits": ["other", "saves_money"]}
    after = {"title": "B", "summary": "S", "benefits": ["saves_money", "other"]}
    assert field_changes(before, after, ["title", "summary", "benefits"]) == [
        {"field": "title", "before": "A", "after": "B"}
    ]


def test_field_changes_sorts_lists_that_changed():
    changes = field_changes({"benefits": ["b", "a"]}, {"benefits": ["c"]}, ["benefits"])
    assert changes == [{"field": "benefits", "before": ["a", "b"], "after": ["c"]}]


def test_supporters_of_both_ideas_count_once():
    pooling = pool_supports(
        source={10: 1, 11: 2, 12: 3},
        target_supporters=[2, 9],
        target_authors=[7],
        allow_self_support=False,
    )
    assert pooling.move == {10, 12}
    assert pooling.stay == {11}


def test_an_authors_support_stays_behind_unless_self_support_is_allowed():
    source = {10: 7, 11: 8}
    kept = pool_supports(
        source=source, target_supporters=[], target_authors=[7], allow_self_support=False
    )
    assert kept.move == {11} and kept.stay == {10}
    allowed = pool_supports(
        source=source, target_supporters=[], target_authors=[7], allow_self_support=True
    )
    assert allowed.move == {10, 11} and not allowed.stay


@given(
    source_users=st.lists(st.integers(1, 30), unique=True, max_size=20),
    target_users=st.sets(st.integers(1, 30), max_size=20),
    authors=st.sets(st.integers(1, 30), max_size=3),
    allow=st.booleans(),
)
def test_pooled_supporters_are_the_union_of_people_each_once(
    source_users, target_users, authors, allow
):
    source = {100 + index: user for index, user in enumerate(source_users)}
    pooling = pool_supports(
        source=source,
        target_supporters=target_users,
        target_authors=authors,
        allow_self_support=allow,
    )
    assert pooling.move | pooling.stay == set(source)
    assert not pooling.move & pooling.stay
    after = list(target_users) + [source[support] for support in pooling.move]
    assert len(after) == len(set(after)), "nobody is counted twice"
    wanted = set(target_users) | {
        user for user in source_users if allow or user not in authors or user in target_users
    }
    assert set(after) == wanted
