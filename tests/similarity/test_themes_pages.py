"""Themes and duplicates end to end: computing and storing themes, the pages, the idea list's
theme filter, dismissing pairs, and queueing a computation after ideas change.

The challenge, ideas and people come from the ideas fixtures, which tests/similarity/conftest.py
shares, with TF-IDF embeddings."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from civicflow.core.models import AuditEvent
from civicflow.ideas import services as idea_services
from civicflow.similarity import services_themes
from civicflow.similarity.models_themes import DismissedPair, Theme, ThemeSet
from civicflow.similarity.selectors_themes import challenge_themes, duplicate_report

SCHOOL = [
    ("School crossing patrol", "A crossing patrol at the school gates for children."),
    ("Zebra crossing by the school", "A zebra crossing outside the primary school for children."),
    ("School street closures", "Close the road by the school to cars at school run times."),
]
LIBRARY = [
    ("Sunday library opening", "Open the library on Sunday afternoons for families."),
    ("Library open on Sundays", "Sunday library opening hours so families can visit."),
    ("Weekend library hours", "Longer library opening at weekends for families."),
]
WASTE = [
    ("Food waste bins for flats", "Weekly food waste collections for blocks of flats."),
    ("Food waste collection in flats", "Food waste caddies and weekly collection for flats."),
    ("Compost food waste from flats", "Community composting of food waste from flats."),
]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def ideas(make_idea, settings):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = None
    made = {}
    for title, summary in SCHOOL + LIBRARY + WASTE:
        made[title] = make_idea(title=title, summary=summary, description=summary)
    return made


def _url(name, challenge, **query):
    url = reverse(name, args=[challenge.organisation.slug, challenge.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _member_titles(theme):
    return {idea.title for idea in theme.ideas.all()}


def test_themes_group_a_challenges_ideas_and_are_stored_with_the_embedder(challenge, ideas):
    theme_set = services_themes.themes_compute(challenge=challenge)
    assert theme_set.computed_at is not None
    assert theme_set.embedder == "tfidf-hash" and theme_set.embedder_version
    assert theme_set.ideas_count == 9
    groups = [_member_titles(theme) for theme in Theme.objects.filter(challenge=challenge)]
    assert sorted(groups, key=sorted) == sorted(
        [{t for t, _s in SCHOOL}, {t for t, _s in LIBRARY}, {t for t, _s in WASTE}], key=sorted
    )
    labels = " ".join(theme.label.lower() for theme in Theme.objects.all())
    assert "school" in labels and "library" in labels and "food waste" in labels


def test_computing_again_with_nothing_changed_is_skipped_unless_forced(
    challenge, ideas, django_assert_max_num_queries
):
    first = services_themes.themes_compute(challenge=challenge)
    ids = set(Theme.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(6):
        services_themes.themes_compute(challenge=challenge)
    assert set(Theme.objects.values_list("pk", flat=True)) == ids
    forced = services_themes.themes_compute(challenge=challenge, force=True)
    assert forced.computed_at >= first.computed_at
    assert set(Theme.objects.values_list("pk", flat=True)).isdisjoint(ids)


def test_hidden_and_withdrawn_ideas_are_in_no_theme(challenge, ideas, lead, author):
    secret = ideas["Compost food waste from flats"]
    idea_services.idea_set_hidden(actor=lead, idea=secret, hidden=True, reason="Spam")
    idea_services.idea_withdraw(actor=author, idea=ideas["Weekend library hours"])
    services_themes.themes_compute(challenge=challenge)
    members = {idea.pk for theme in Theme.objects.all() for idea in theme.ideas.all()}
    assert secret.pk not in members
    assert ideas["Weekend library hours"].pk not in members
    assert ThemeSet.objects.get().ideas_count == 7


def test_the_themes_page_shows_labels_sizes_and_examples(client, challenge, ideas):
    services_themes.themes_compute(challenge=challenge)
    page = text(client.get(_url("themes:themes", challenge)))
    assert "Themes" in page
    assert "Sunday library opening" in page
    assert "See all 3 ideas" in page
    assert "Compute the themes again" not in page  # not for the public


def test_the_themes_page_before_any_computation(client, challenge):
    page = text(client.get(_url("themes:themes", challenge)))
    assert "have not been computed yet" in page


def test_readers_count_only_the_ideas_they_may_see(challenge, ideas, lead, colleague):
    services_themes.themes_compute(challenge=challenge)
    hidden = ideas["Zebra crossing by the school"]
    idea_services.idea_set_hidden(actor=lead, idea=hidden, hidden=True, reason="Off topic")
    public = challenge_themes(user=colleague, challenge=challenge)
    moderator = challenge_themes(user=lead, challenge=challenge)
    assert sorted(row.size for row in public.themes) == [2, 3, 3]
    assert sorted(row.size for row in moderator.themes) == [3, 3, 3]
    shown = {idea.pk for row in public.themes for idea in row.examples}
    assert hidden.pk not in shown


def test_the_idea_list_filters_by_theme(client, challenge, ideas):
    services_themes.themes_compute(challenge=challenge)
    library = next(t for t in Theme.objects.all() if "Sunday library opening" in _member_titles(t))
    everything = text(client.get(_url("ideas:list", challenge)))
    assert "9 ideas" in everything
    assert _url("themes:themes", challenge) in everything
    assert 'name="theme"' in everything
    assert library.label in everything
    filtered = text(client.get(_url("ideas:list", challenge, theme=library.pk)))
    assert "3 ideas match your filters" in filtered
    assert "Food waste bins for flats" not in filtered
    other = next(t for t in Theme.objects.all() if t.pk != library.pk)
    second = text(client.get(_url("ideas:list", challenge, theme=other.pk)))
    assert "Sunday library opening" not in second  # the theme is part of the cache key
    ignored = text(client.get(_url("ideas:list", challenge, theme=999999)))
    assert "9 ideas" in ignored


def test_recomputing_themes_moves_the_cached_idea_list_on(client, challenge, ideas):
    before = text(client.get(_url("ideas:list", challenge)))
    assert 'name="theme"' not in before
    services_themes.themes_compute(challenge=challenge)
    after = text(client.get(_url("ideas:list", challenge)))
    assert 'name="theme"' in after


def test_a_moderator_asks_for_themes_again(
    client_for, challenge, ideas, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(_url("themes:recompute", challenge))
    assert response.status_code == 302
    assert Theme.objects.filter(challenge=challenge).count() == 3
    assert AuditEvent.objects.filter(action="themes.recomputed", actor=lead).exists()


def test_staff_without_the_role_cannot_recompute_or_review(client_for, challenge, colleague):
    client = client_for(colleague)
    assert client.post(_url("themes:recompute", challenge)).status_code == 403
    assert client.get(_url("themes:duplicates", challenge)).status_code == 403


def test_changes_to_ideas_queue_one_computation(challenge, ideas, monkeypatch):
    from types import SimpleNamespace

    from civicflow.similarity import tasks_themes

    queued = []
    stub = SimpleNamespace(enqueue=lambda *args: queued.append(args))
    monkeypatch.setattr(tasks_themes, "compute_themes_task", stub)
    assert services_themes.themes_schedule(challenge.pk) is True
    assert services_themes.themes_schedule(challenge.pk) is False  # queued already
    assert queued == [(challenge.pk, False, None)]
    services_themes.themes_compute(challenge=challenge)  # the queued task, running
    assert services_themes.themes_schedule(challenge.pk) is True
    assert len(queued) == 2


def test_an_idea_change_after_commit_recomputes_its_challenges_themes(
    challenge, make_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(title="Food waste bins", summary="Food waste bins for flats")
    with django_capture_on_commit_callbacks(execute=True):
        make_idea(title="Food waste caddies", summary="Food waste caddies for flats")
    theme_set = ThemeSet.objects.get(challenge=challenge)
    assert theme_set.ideas_count == 2
    assert theme_set.stale_since is None


# Duplicates --------------------------------------------------------------------------------


@pytest.fixture
def twins(make_idea, settings):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = None
    summary = "Put benches at every bus stop on the high street so older people can rest."
    first = make_idea(title="Benches at bus stops", summary=summary, description=summary)
    second = make_idea(
        title="Benches at the bus stops",
        summary="Benches at bus stops on the high street for older people to rest.",
        description=summary,
    )
    other = make_idea(
        title="Sunday library opening",
        summary="Open the library on Sundays.",
        description="Families could visit the library together on Sunday afternoons.",
    )
    return first, second, other


def test_moderators_see_ranked_duplicates_with_links_into_the_merge_flow(
    client_for, challenge, twins, lead
):
    first, second, _other = twins
    report = duplicate_report(challenge=challenge)
    assert [(pair.first, pair.second) for pair in report.pairs] == [(first, second)]
    page = text(client_for(lead).get(_url("themes:duplicates", challenge)))
    assert "Possible duplicates" in page
    assert reverse("ideas:merge", args=[first.pk]) + f"?target={second.pk}" in page
    assert reverse("ideas:merge", args=[second.pk]) + f"?target={first.pk}" in page
    merge = text(
        client_for(lead).get(reverse("ideas:merge", args=[second.pk]) + f"?target={first.pk}")
    )
    assert f'<option value="{first.pk}" selected>' in merge


def test_a_dismissed_pair_is_remembered_audited_and_can_be_restored(
    client_for, challenge, twins, lead
):
    first, second, _other = twins
    client = client_for(lead)
    response = client.post(
        _url("themes:dismiss", challenge), {"first": second.pk, "second": first.pk}
    )
    assert response.status_code == 302
    row = DismissedPair.objects.get()
    assert (row.first_id, row.second_id) == (first.pk, second.pk)
    assert AuditEvent.objects.filter(action="duplicates.dismissed", actor=lead).exists()
    assert duplicate_report(challenge=challenge).pairs == []
    page = text(client.get(_url("themes:duplicates", challenge)))
    assert "Said not to be duplicates" in page
    client.post(_url("themes:restore", challenge), {"first": first.pk, "second": second.pk})
    assert not DismissedPair.objects.exists()
    assert AuditEvent.objects.filter(action="duplicates.restored").exists()
    assert len(duplicate_report(challenge=challenge).pairs) == 1


def test_a_pair_from_another_challenge_is_refused(
    client_for, challenge, twins, lead, make_challenge, make_idea
):
    elsewhere = make_idea(on=make_challenge(title="Another challenge"), title="Elsewhere")
    response = client_for(lead).post(
        _url("themes:dismiss", challenge), {"first": twins[0].pk, "second": elsewhere.pk}
    )
    assert response.status_code == 302
    assert not DismissedPair.objects.exists()


def test_three_copies_make_a_cluster(challenge, twins, make_idea):
    make_idea(
        title="Benches at bus stops please",
        summary="Put benches at every bus stop on the high street so older people can rest.",
        description="Put benches at every bus stop on the high street so older people can rest.",
    )
    report = duplicate_report(challenge=challenge)
    assert len(report.clusters) == 1
    assert len(report.clusters[0].ideas) == 3
    assert len(report.pairs) == 3


def test_many_pairs_come_a_page_at_a_time(client_for, challenge, make_idea, lead, settings):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = None
    for number in range(8):  # 28 identical pairs
        make_idea(title=f"Benches {number}", summary="Benches at bus stops", description="Benches")
    first = text(client_for(lead).get(_url("themes:duplicates", challenge)))
    assert "28 possible pairs" in first
    assert first.count("Not duplicates</button>") + first.count("Not duplicates<span") < 28
    second = text(client_for(lead).get(_url("themes:duplicates", challenge, page=2)))
    assert "Benches" in second


def test_duplicates_are_computed_once_until_an_idea_changes(
    challenge, twins, make_idea, monkeypatch
):
    from civicflow.similarity import selectors_themes

    calls = []
    real = selectors_themes.idea_vectors
    monkeypatch.setattr(
        selectors_themes, "idea_vectors", lambda ideas: calls.append(1) or real(ideas)
    )
    first = duplicate_report(challenge=challenge)
    again = duplicate_report(challenge=challenge)
    assert len(calls) == 1
    assert [(p.first, p.second) for p in again.pairs] == [(p.first, p.second) for p in first.pairs]
    make_idea(title="Another idea", summary="Something else entirely", description="Else")
    duplicate_report(challenge=challenge)
    assert len(calls) == 2


def test_a_challenge_with_one_idea_has_no_duplicates(client_for, challenge, make_idea, lead):
    make_idea()
    page = text(client_for(lead).get(_url("themes:duplicates", challenge)))
    assert "No possible duplicates" in page
