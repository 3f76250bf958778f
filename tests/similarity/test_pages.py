"""Writing an idea or a challenge shows what is like it: with htmx as the author types, and
without JavaScript when the author checks a description or posts a draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicflow.ideas.models import Support
from civicflow.similarity import embedders, services
from tests.factories import member
from tests.library.helpers import published_case

BINS = "Text people the evening before their bin day"


@pytest.fixture
def similar(make_idea, organisation, other_organisation, editor):
    """An idea about bin-day texts here, and a case about them in another organisation."""
    other_editor = member(other_organisation, "innovation_lead", email="ed@elsewhere.example")
    idea = make_idea(title=BINS, summary="A reminder so fewer bins are missed.")
    case = published_case(
        author=other_editor,
        editor=other_editor,
        organisation=other_organisation,
        title="Texts the evening before bin day",
        summary="Residents were reminded by text the evening before their bins were collected.",
    )
    services.embed_all()
    return idea, case


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_the_idea_form_checks_a_description_without_javascript(
    client, similar, colleague, challenge, organisation
):
    idea, case = similar
    client.force_login(colleague)
    url = reverse("ideas:create", args=[organisation.slug, challenge.slug])
    html = _html(client.get(url))
    assert "Has this been done already?" in html and idea.title not in html
    html = _html(client.get(url, {"check": "remind residents by text before bin collection"}))
    assert "1 similar idea here; 1 organisation has tried this." in html
    assert idea.title in html and case.title in html
    assert reverse("ideas:support", args=[idea.pk]) in html
    assert 'hx-get="/similar/while-writing/"' in html


def test_a_draft_that_fails_validation_shows_what_is_like_it(
    client, similar, colleague, challenge, organisation
):
    idea, _case = similar
    client.force_login(colleague)
    url = reverse("ideas:create", args=[organisation.slug, challenge.slug])
    response = client.post(url, {"title": "Remind people by text before bin day"})
    assert response.status_code == 400 and idea.title in _html(response)


def test_the_fragment_follows_the_draft_and_supports_in_one_click(
    client, similar, colleague, challenge
):
    idea, case = similar
    client.force_login(colleague)
    url = reverse("similarity:while_writing")
    response = client.get(
        url,
        {"title": "Evening text before bin day", "challenge": challenge.pk, "writing": "idea"},
        headers={"HX-Request": "true"},
    )
    html = _html(response)
    assert response.status_code == 200 and "<html" not in html
    assert idea.title in html and case.title in html and "alike" in html
    assert response["Cache-Control"] == "private, no-store"
    response = client.post(reverse("ideas:support", args=[idea.pk]))
    assert Support.objects.filter(idea=idea, user=colleague).exists()
    html = _html(client.get(url, {"title": BINS, "challenge": challenge.pk}))
    assert "You support this idea" in html


def test_a_lead_elsewhere_is_offered_to_adopt_the_case(client, similar, lead):
    _idea, case = similar
    client.force_login(lead)
    html = _html(
        client.get(
            reverse("similarity:while_writing"),
            {"title": "Evening texts before bin day", "writing": "challenge"},
        )
    )
    assert case.title in html and reverse("library:adopt", args=[case.pk]) in html


@pytest.mark.parametrize(
    "title", ["", "Cynllun i atgoffa pobl am ddiwrnod y biniau", "bins " * 5_000, "\x00"]
)
def test_odd_drafts_never_give_an_error_page(client, similar, colleague, challenge, title):
    client.force_login(colleague)
    response = client.get(
        reverse("similarity:while_writing"), {"title": title, "challenge": challenge.pk}
    )
    assert response.status_code == 200


def test_the_fragment_needs_a_sign_in_and_another_organisations_challenge_is_ignored(
    client, similar, make_challenge, other_organisation
):
    url = reverse("similarity:while_writing")
    assert client.get(url, {"title": BINS}).status_code == 302
    stranger = member(other_organisation, email="stranger@elsewhere.example")
    staff_only = make_challenge(title="Bins, for staff", audience="staff")
    client.force_login(stranger)
    response = client.get(url, {"title": BINS, "challenge": staff_only.pk})
    assert response.status_code == 200


def test_administrators_are_told_when_the_model_is_missing(
    client, similar, settings, tmp_path, admin_user, challenge, organisation, colleague
):
    settings.CIVICFLOW_EMBEDDER = "model2vec"
    settings.CIVICFLOW_MODELS_DIR = str(tmp_path)
    embedders.reset_cache()
    url = reverse("ideas:create", args=[organisation.slug, challenge.slug])
    client.force_login(admin_user)
    response = client.get(url, {"check": BINS})
    assert response.status_code == 200
    assert "For administrators:" in _html(response) and "TF-IDF" in _html(response)
    client.force_login(colleague)
    assert "For administrators:" not in _html(client.get(url, {"check": BINS}))


def test_the_challenge_form_shows_similar_challenges_and_cases(
    client, similar, lead, organisation, challenge
):
    _idea, case = similar
    client.force_login(lead)
    url = reverse("challenges:create", args=[organisation.slug])
    html = _html(
        client.get(url, {"kind": "open_call", "check": "fewer missed bin collections, texts"})
    )
    assert "Has this been done already?" in html
    assert challenge.title in html and case.title in html


def test_the_forms_do_no_similarity_work_until_there_is_a_draft(
    client, colleague, lead, challenge, organisation, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("embedded without a draft")

    monkeypatch.setattr(services, "embedder", refuse)
    client.force_login(colleague)
    form = client.get(reverse("ideas:create", args=[organisation.slug, challenge.slug]))
    assert form.status_code == 200
    client.force_login(lead)
    url = reverse("challenges:create", args=[organisation.slug])
    assert client.get(url, {"kind": "open_call"}).status_code == 200
