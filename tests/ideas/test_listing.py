"""The idea list's shared rendering: kept until an idea changes, and right for every reader."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicflow.ideas import listing, services
from tests.factories import UserFactory


def list_url(challenge) -> str:
    return reverse("ideas:list", args=[challenge.organisation.slug, challenge.slug])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_new_idea_shows_at_once_though_the_list_was_cached(client, challenge, make_idea):
    make_idea(title="First thought")
    assert "1 idea" in text(client.get(list_url(challenge)))
    make_idea(title="Second thought")
    page = text(client.get(list_url(challenge)))
    assert "2 ideas" in page
    assert "Second thought" in page


def test_a_second_reader_is_served_without_counting_again(client, challenge, make_idea):
    for n in range(3):
        make_idea(title=f"Idea {n}")
    client.get(list_url(challenge))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url(challenge))
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_support_counts_stay_exact_on_the_cached_list(client, challenge, make_idea, people):
    idea = make_idea(title="Popular")
    assert "0 supporters" in text(client.get(list_url(challenge)))
    for person in people(2):
        services.idea_support(user=person, idea=idea)
    assert "2 supporters" in text(client.get(list_url(challenge)))


def test_each_reader_sees_only_their_own_supports(client_for, challenge, make_idea, people):
    backed, other = make_idea(title="Backed"), make_idea(title="Other")
    fan, stranger = people(2)
    services.idea_support(user=fan, idea=backed)
    anonymous = text(client_for(None).get(list_url(challenge)))
    mine = text(client_for(fan).get(list_url(challenge)))
    theirs = text(client_for(stranger).get(list_url(challenge)))
    assert "you support it" not in anonymous
    assert "you support it" not in theirs
    assert mine.count("you support it") == 1
    assert re.search(r"Backed.*1 supporter · you support it", mine)
    assert "supported:" not in mine and "supported:" not in anonymous
    assert other.pk


def test_hidden_ideas_stay_hidden_from_the_shared_rendering(
    client_for, challenge, make_idea, author, lead
):
    hidden = make_idea(title="Rude words")
    make_idea(title="Kind words")
    services.idea_set_hidden(actor=lead, idea=hidden, hidden=True, reason="Abusive")
    public = text(client_for(UserFactory()).get(list_url(challenge)))
    assert "Rude words" not in public and "Kind words" in public
    # The author still sees their hidden idea, the moderator sees it, and neither rendering
    # leaks into the public one.
    assert "Rude words" in text(client_for(author).get(list_url(challenge)))
    assert "Rude words" in text(client_for(lead).get(list_url(challenge)))
    assert "Rude words" not in text(client_for(None).get(list_url(challenge)))


def test_page_links_keep_only_the_filters(client, challenge, make_idea, settings):
    settings.CIVICFLOW_PAGE_SIZE = 2
    for n in range(5):
        make_idea(title=f"Idea {n}", innovation_type="process")
    response = client.get(list_url(challenge), {"innovation_type": "process", "utm_source": "x"})
    page = response.content.decode()
    assert "?innovation_type=process&amp;page=2" in page
    assert not [link for link in re.findall(r'href="([^"]*page=[^"]*)"', page) if "utm" in link]


def test_a_version_moves_on_and_never_repeats(challenge):
    first = listing.version(challenge.pk)
    listing.changed(challenge.pk)
    assert listing.version(challenge.pk) > first
    from django.core.cache import cache

    cache.delete(f"ideas:list-version:{challenge.pk}")
    assert listing.version(challenge.pk) > first


def test_the_count_reads_as_a_sentence(client, challenge, make_idea):
    make_idea(title="Only one", innovation_type="process")
    make_idea(title="Another", innovation_type="service")
    assert "1 idea matches your filters" in text(
        client.get(list_url(challenge), {"innovation_type": "process"})
    )
    assert "2 ideas" in text(client.get(list_url(challenge)))


FILTER_INPUTS = [
    {},
    {"scale": "disruptive"},
    {"scale": "nonsense", "sort": "supported"},
    {"innovation_type": "process", "benefit": "saves_money", "status": "submitted"},
    {"status": ""},
    {"sort": "newest", "page": "3"},
    {"benefit": ["saves_money", "nonsense"]},
    {"benefit": ["nonsense", "saves_money"]},
    {"innovation_type": "PROCESS"},
]


@pytest.mark.parametrize("values", FILTER_INPUTS)
def test_the_filters_read_without_the_form_are_the_form_s(values):
    from django.http import QueryDict

    from civicflow.ideas.forms import IdeaFilterForm

    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    assert IdeaFilterForm.filters_in(data) == IdeaFilterForm(data).filters()


def test_a_bad_filter_value_lists_everything_and_keeps_the_fields(client, challenge, make_idea):
    make_idea(title="Kept")
    response = client.get(list_url(challenge) + "?scale=nonsense")
    assert response.status_code == 200
    assert "Kept" in text(response)
    assert 'name="scale"' in text(response)
