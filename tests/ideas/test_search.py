"""Ideas can be found in search by whoever may see them, and only by them."""

from __future__ import annotations

from civicflow.ideas import services
from civicflow.ideas.selectors import visible_ideas
from civicflow.search.selectors import search


def _found(user, query: str, **filters: str) -> list[str]:
    return [
        result.title for result in search(user=user, query=query, kinds=["ideas"], filters=filters)
    ]


def test_ideas_are_found_as_soon_as_they_are_put_forward(
    django_capture_on_commit_callbacks, make_idea, resident
):
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(title="Glow in the dark bin lids")
    assert _found(resident, "glow lids") == ["Glow in the dark bin lids"]
    assert _found(resident, "glow", status="selected") == []


def test_hidden_merged_and_private_ideas_are_not_found_by_others(
    django_capture_on_commit_callbacks, make_challenge, make_idea, lead, author, resident, colleague
):
    with django_capture_on_commit_callbacks(execute=True):
        hidden = make_idea(title="Bins hidden from view")
        services.idea_set_hidden(actor=lead, idea=hidden, hidden=True, reason="Abuse")
        keeper, duplicate = make_idea(title="Bins keeper"), make_idea(title="Bins duplicate")
        services.idea_merge(actor=lead, source=duplicate, target=keeper, reason="Same")
        make_idea(on=make_challenge(audience="staff", title="Staff"), title="Bins for staff")
    assert _found(resident, "bins") == ["Bins keeper"]
    assert sorted(_found(colleague, "bins")) == ["Bins for staff", "Bins keeper"]
    # The list of visible ideas keeps a hidden one for its author and moderators.
    assert visible_ideas(author).filter(pk=hidden.pk).exists()
    assert visible_ideas(lead).filter(pk=hidden.pk).exists()
    assert not visible_ideas(colleague).filter(pk=hidden.pk).exists()
