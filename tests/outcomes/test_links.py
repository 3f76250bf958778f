"""Anonymous survey links: only a digest of each secret is kept, the secret is shown once when
the links are made, a link nobody has used can be revoked, and the API makes, lists (page by
page, without secrets) and revokes them for those who run the survey."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicflow.core.models import AuditEvent
from civicflow.outcomes import services
from civicflow.outcomes.models import SurveyLink, SurveyResponse
from tests.outcomes.test_api import _api, fields, problem
from tests.outcomes.test_pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(lead, initiative):
    survey = services.survey_create(actor=lead, owner=initiative, title="Did the desks help?")
    services.question_add(actor=lead, survey=survey, kind="yes_no", text="Calmer?")
    services.survey_set_status(actor=lead, survey=survey, status="open")
    return survey


def _answer_through(link, survey):
    question = survey.questions.get()
    return services.survey_answer(survey=survey, answers={question.pk: "yes"}, link=link)


def test_only_a_digest_of_each_secret_is_stored(lead, survey):
    first, second = services.survey_links_make(actor=lead, survey=survey, count=2)
    secret = vars(first)["secret"]
    stored = SurveyLink.objects.get(pk=first.pk)
    assert stored.key == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in set(SurveyLink.objects.values_list("key", flat=True))
    assert services.survey_link_find(secret) == stored
    assert services.survey_link_find(stored.key) is None  # the digest is no way in
    assert vars(second)["secret"] != secret


def test_a_revoked_link_takes_no_answer_and_a_used_one_cannot_be_revoked(
    client, lead, staff_user, outsider, survey
):
    unused, used = services.survey_links_make(actor=lead, survey=survey, count=2)
    _answer_through(used, survey)
    for person in (staff_user, outsider):
        with pytest.raises(PermissionDenied):
            services.survey_link_revoke(actor=person, link=unused)
    services.survey_link_revoke(actor=lead, link=unused)
    services.survey_link_revoke(actor=lead, link=unused)  # twice changes nothing
    assert AuditEvent.objects.filter(action="outcomes.survey_link_revoked").count() == 1
    with pytest.raises(PermissionDenied):
        _answer_through(unused, survey)
    page = client.get(reverse("outcomes:survey_link", args=[vars(unused)["secret"]]))
    assert page.status_code == 403 and "not open for answers" in text(page)
    with pytest.raises(ValidationError) as caught:
        services.survey_link_revoke(actor=lead, link=used)
    assert "has been used" in caught.value.message_dict["link"][0]
    assert SurveyResponse.objects.filter(link=used).exists()


def test_the_api_makes_lists_and_revokes_links(lead, staff_user, outsider, survey):
    api = _api(lead)
    url = f"/api/v1/surveys/{survey.pk}/links"
    made = api.send("POST", url, {"count": 3})
    assert made.status_code == 201, made.content
    links = made.json()["links"]
    assert len(links) == 3
    assert all(link["url"].endswith(f"/survey-links/{link['secret']}/") for link in links)
    stored = SurveyLink.objects.get(pk=links[0]["id"])
    assert stored.key != links[0]["secret"]
    _answer_through(stored, survey)

    listed = api.send("GET", url + "?page_size=2")
    assert listed.status_code == 200
    page = listed.json()
    assert page["count"] == 3 and page["pages"] == 2
    assert [item["state"] for item in page["items"]] == ["used", "waiting"]
    assert page["items"][0]["answered_at"] is not None
    assert "secret" not in page["items"][0] and links[0]["secret"] not in listed.content.decode()

    problem(api.send("DELETE", f"/api/v1/survey-links/{links[0]['id']}"), 422)
    assert api.send("DELETE", f"/api/v1/survey-links/{links[1]['id']}").status_code == 204
    states = [item["state"] for item in api.send("GET", url).json()["items"]]
    assert states == ["used", "revoked", "waiting"]

    for count in (0, 501):
        assert "count" in fields(problem(api.send("POST", url, {"count": count}), 422))
    problem(_api(staff_user).send("POST", url, {"count": 1}), 403)
    problem(_api(staff_user).send("GET", url), 403)
    problem(_api(staff_user).send("DELETE", f"/api/v1/survey-links/{links[2]['id']}"), 403)
    problem(_api(outsider).send("GET", url), 404)
    problem(_api(outsider).send("DELETE", f"/api/v1/survey-links/{links[2]['id']}"), 404)
    problem(_api().send("GET", url), 401)
    assert SurveyLink.objects.filter(revoked_at__isnull=True).count() == 2


def test_the_survey_page_counts_links_waiting_answered_and_revoked(client, lead, survey):
    url = reverse("outcomes:survey", args=[survey.pk])
    client.force_login(lead)
    assert "0 links made so far." in text(client.get(url))
    assert "Waiting for an answer" not in text(client.get(url))
    _waiting, used, revoked = services.survey_links_make(actor=lead, survey=survey, count=3)
    _answer_through(used, survey)
    services.survey_link_revoke(actor=lead, link=revoked)
    page = text(client.get(url))
    assert "3 links made so far." in page
    assert "Waiting for an answer: 1; answered: 1; revoked: 1." in page
