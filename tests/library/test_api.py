"""The library API: the same rules and permissions as the pages."""

from __future__ import annotations

import pytest

from civicflow.accounts import services as accounts_services
from civicflow.library.models import Adoption, CaseStudy
from tests.api.conftest import ApiClient
from tests.library.helpers import case_fields, published_case

pytestmark = pytest.mark.django_db


def _api(user=None) -> ApiClient:
    if user is None:
        return ApiClient()
    _token, secret = accounts_services.api_token_create(user=user, name="Library script")
    return ApiClient(secret)


def test_write_submit_review_and_adopt_through_the_api(
    author, editor, organisation, adopter, other_organisation
):
    response = _api(author).send(
        "POST", f"/api/v1/organisations/{organisation.slug}/cases", case_fields()
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert _api(author).send("POST", f"/api/v1/library/cases/{pk}/submit", {}).status_code == 200
    response = _api(editor).send(
        "POST",
        f"/api/v1/library/cases/{pk}/review",
        {"decision": "published", "checklist": ["public_sector"]},
    )
    assert response.status_code == 422 and "checklist" in response.content.decode()
    response = _api(editor).send(
        "POST",
        f"/api/v1/library/cases/{pk}/review",
        {
            "decision": "published",
            "checklist": ["public_sector", "new_in_context", "implemented", "evidence"],
        },
    )
    assert response.json()["status"] == "published"
    response = _api(adopter).send(
        "POST",
        f"/api/v1/library/cases/{pk}/adoptions",
        {"organisation": other_organisation.slug, "kind": "initiative", "adaptations": "One ward."},
    )
    assert response.status_code == 201, response.content
    assert _api().get(f"/api/v1/library/cases/{pk}/spread").json()["hidden"] == 1
    spread = _api(author).get(f"/api/v1/library/cases/{pk}/spread").json()
    assert [row["adoption"]["organisation"] for row in spread["adoptions"]] == ["elsewhere"]
    assert spread["adoptions"][0]["progress"]["label"] == "Test"


def test_a_private_case_is_invisible_to_outsiders_in_the_api(
    author, editor, organisation, outsider_staff, adopter, other_organisation
):
    private = published_case(
        author=author, editor=editor, organisation=organisation, sharing="private"
    )
    api = _api(outsider_staff)
    assert api.get(f"/api/v1/library/cases/{private.pk}").status_code == 404
    assert api.get(f"/api/v1/library/cases/{private.pk}/spread").status_code == 404
    assert api.get("/api/v1/library/cases").json()["count"] == 0
    assert _api().get("/api/v1/library/open-data").json()["count"] == 0
    response = _api(adopter).send(
        "POST",
        f"/api/v1/library/cases/{private.pk}/adoptions",
        {"organisation": other_organisation.slug, "kind": "challenge", "adaptations": "x"},
    )
    assert response.status_code == 404
    assert not Adoption.objects.exists()


def test_an_import_with_problems_answers_each_and_stores_nothing(editor, case):
    record = _api().get("/api/v1/library/open-data").json()["items"][0]
    response = _api(editor).send(
        "POST", "/api/v1/library/import", {"cases": [{**record, "sector": "space"}]}
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"sector", "reference", "title"} <= fields
    assert CaseStudy.objects.count() == 1
