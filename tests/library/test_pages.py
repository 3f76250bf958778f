"""The library's pages: browse, a case with outcomes first, writing, review, adoption, the
spread, drafting from an initiative and the open data import."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicflow.library import services
from civicflow.library.models import Adoption, CaseStatus, CaseStudy
from civicflow.search.services import index_object
from tests.factories import member
from tests.initiatives.helpers import initiative_at
from tests.library.helpers import case_fields, published_case


def test_the_library_lists_cases_with_facets_and_finds_them_by_need(client, case):
    index_object(label="library.casestudy", object_id=case.pk)
    page = client.get(reverse("library:index"), {"q": "falls"})
    assert page.status_code == 200
    assert case.title.encode() in page.content.replace(b"&#x27;", b"'")
    assert b"Outcome area" in page.content and b"Safety" in page.content
    page = client.get(reverse("library:index"), {"sector": "policing"})
    assert b"0 cases" in page.content


def test_a_case_page_puts_outcomes_first(client, case):
    page = client.get(case.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("80 %") < html.index("The problem")


def test_a_private_case_is_404_to_another_organisation(
    client, author, editor, organisation, outsider_staff
):
    private = published_case(
        author=author, editor=editor, organisation=organisation, sharing="private"
    )
    client.force_login(outsider_staff)
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(reverse("library:spread", args=[private.pk])).status_code == 404
    assert private.title.encode() not in client.get(reverse("library:export_json")).content


def test_write_submit_and_publish_through_the_pages(client, author, editor, organisation):
    client.force_login(author)
    data = {k: v for k, v in case_fields().items() if k != "outcomes"}
    data.update(
        outcome_1_area="safety", outcome_1_statement="Falls came down", outcome_1_figure="80 %"
    )
    response = client.post(reverse("library:new", args=[organisation.slug]), data)
    case = CaseStudy.objects.get()
    assert response.status_code == 302 and case.status == CaseStatus.DRAFT
    client.post(reverse("library:submit", args=[case.pk]))
    client.force_login(editor)
    page = client.get(reverse("library:queue"))
    assert case.title.encode() in page.content.replace(b"&#x27;", b"'")
    response = client.post(
        reverse("library:review", args=[case.pk]),
        {"decision": "published", "checklist": ["public_sector", "new_in_context"]},
    )
    assert response.status_code == 400 and b"Confirm every item" in response.content
    response = client.post(
        reverse("library:review", args=[case.pk]),
        {
            "decision": "published",
            "checklist": ["public_sector", "new_in_context", "implemented", "evidence"],
        },
    )
    case.refresh_from_db()
    assert response.status_code == 302 and case.status == CaseStatus.PUBLISHED


def test_html_in_a_case_is_refused_on_the_page(client, author, organisation):
    client.force_login(author)
    data = {k: v for k, v in case_fields().items() if k != "outcomes"}
    data["problem"] = "<img src=x onerror=alert(1)>"
    response = client.post(reverse("library:new", args=[organisation.slug]), data)
    assert response.status_code == 400 and b"Take the HTML out" in response.content
    assert not CaseStudy.objects.exists()


def test_adopting_shows_the_adoption_on_the_original(client, case, adopter, other_organisation):
    client.force_login(adopter)
    page = client.get(case.get_absolute_url())
    assert b"Adopt this case" in page.content
    response = client.post(
        reverse("library:adopt", args=[case.pk]),
        {
            "organisation": other_organisation.slug,
            "kind": "initiative",
            "adaptations": "We start on one ward.",
            "sharing": "network",
        },
    )
    adoption = Adoption.objects.get()
    assert response.status_code == 302
    assert response["Location"] == adoption.initiative.get_absolute_url()
    spread = client.get(reverse("library:spread", args=[case.pk])).content.decode()
    assert other_organisation.name in spread and "We start on one ward." in spread
    initiative_page = client.get(adoption.initiative.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in initiative_page


def test_staff_cannot_adopt(client, case, outsider_staff):
    client.force_login(outsider_staff)
    assert client.get(reverse("library:adopt", args=[case.pk])).status_code == 403


def test_drafting_from_a_finished_initiative(client, organisation, editor, author):
    decider = member(organisation, "decision_maker")
    initiative = initiative_at(
        lead=editor, decider=decider, owner=author, organisation=organisation, stage="evaluate"
    )
    client.force_login(editor)
    page = client.get(initiative.get_absolute_url())
    assert reverse("library:from_initiative", args=[initiative.pk]).encode() in page.content
    response = client.post(reverse("library:from_initiative", args=[initiative.pk]))
    case = CaseStudy.objects.get(source_initiative=initiative)
    assert response["Location"] == reverse("library:edit", args=[case.pk])
    page = client.get(initiative.get_absolute_url())
    assert case.get_absolute_url().encode() in page.content


def test_the_import_page_reports_every_problem_and_stores_nothing(client, editor, case):
    client.force_login(editor)
    record = json.loads(services.export_json())["cases"][0]
    bad = {**record, "reference": "", "title": "Another", "sector": "space"}
    upload = SimpleUploadedFile(
        "cases.json", json.dumps([record, bad]).encode(), content_type="application/json"
    )
    response = client.post(reverse("library:import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Duplicate" in html and "Choose a sector" in html
    assert CaseStudy.objects.count() == 1


def test_drafting_a_challenge_or_an_idea_offers_related_cases(
    client, case, adopter, other_organisation
):
    from tests.initiatives.helpers import selected_idea

    index_object(label="library.casestudy", object_id=case.pk)
    client.force_login(adopter)
    url = reverse("challenges:create", args=[other_organisation.slug])
    page = client.get(url, {"kind": "open_call", "check": "older patients falling on wards"})
    html = page.content.decode().replace("&#x27;", "'")
    assert "Has this been done already?" in html and case.title in html
    idea = selected_idea(adopter, other_organisation)
    url = reverse("ideas:create", args=[other_organisation.slug, idea.challenge.slug])
    page = client.get(url, {"check": "falls"})
    assert page.status_code == 200
    assert case.title in page.content.decode().replace("&#x27;", "'")
