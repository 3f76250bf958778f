"""Lists answer pages: ``?page=N&page_size=M`` in, the same envelope out, for every list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from civicflow.core.audit import audit_record
from civicflow.core.models import AuditEvent
from tests.factories import OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db

ENVELOPE = {"count", "page", "page_size", "pages", "next", "previous", "items"}
LISTS = [
    "/api/v1/organisations",
    "/api/v1/organisations/testshire/members",
    "/api/v1/organisations/testshire/teams",
    "/api/v1/organisations/testshire/audit",
    "/api/v1/tokens",
]


@pytest.fixture
def councils(db):
    """Return the names of 7 organisations, made in an order that is not alphabetical."""
    names = ["Gwynedd", "Antrim", "Fife", "Cornwall", "Essex", "Bristol", "Devon"]
    for name in names:
        OrganisationFactory(name=f"{name} Council", slug=name.lower())
    return sorted(f"{name} Council" for name in names)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("path", LISTS)
def test_every_list_answers_the_same_envelope(organisation, admin_user, api_client, path):
    TeamFactory(organisation=organisation)
    response = api_client(admin_user).get(path)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == ENVELOPE
    assert body["page"] == 1
    assert body["page_size"] == 20
    assert body["count"] == len(body["items"])
    assert body["pages"] == 1


def test_pages_walk_through_every_item_once_in_order(councils, api_client):
    client = api_client()
    seen = []
    url = "/api/v1/organisations?page_size=3"
    pages = 0
    while url:
        body = client.get(url).json()
        seen.extend(item["name"] for item in body["items"])
        url = body["next"]
        pages += 1

    assert seen == councils
    assert pages == 3


def test_the_envelope_counts_and_links_the_pages(councils, api_client):
    body = api_client().get("/api/v1/organisations?page=2&page_size=3").json()

    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (7, 2, 3, 3)
    assert [item["name"] for item in body["items"]] == councils[3:6]
    assert _query(body["next"]) == {"page": ["3"], "page_size": ["3"]}
    assert _query(body["previous"]) == {"page": ["1"], "page_size": ["3"]}
    assert body["next"].startswith("http://testserver/api/v1/organisations?")


def test_the_first_page_has_no_previous_and_the_last_no_next(councils, api_client):
    first = api_client().get("/api/v1/organisations?page_size=3").json()
    last = api_client().get("/api/v1/organisations?page=3&page_size=3").json()

    assert first["previous"] is None
    assert last["next"] is None
    assert [item["name"] for item in last["items"]] == councils[6:]


def test_links_keep_the_other_query_parameters(councils, api_client):
    body = api_client().get("/api/v1/organisations?page_size=2&lang=cy").json()

    assert _query(body["next"]) == {"page": ["2"], "page_size": ["2"], "lang": ["cy"]}


@pytest.mark.parametrize("page", [5, 10**6, 10**30])
def test_a_page_past_the_end_is_empty_not_an_error(councils, api_client, page):
    response = api_client().get(f"/api/v1/organisations?page={page}&page_size=3")

    assert response.status_code == 200
    body = response.json()
    assert body["items"] == []
    assert (body["count"], body["pages"], body["next"]) == (7, 3, None)


def test_the_page_just_past_the_end_links_back_to_the_last(councils, api_client):
    body = api_client().get("/api/v1/organisations?page=4&page_size=3").json()

    assert _query(body["previous"]) == {"page": ["3"], "page_size": ["3"]}


def test_an_empty_list_has_no_pages(admin_user, api_client):
    body = api_client(admin_user).get("/api/v1/organisations/testshire/teams").json()

    assert body == {
        "count": 0,
        "page": 1,
        "page_size": 20,
        "pages": 0,
        "next": None,
        "previous": None,
        "items": [],
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=-5", "page_size"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=two", "page"),
        ("page=1.5", "page"),
    ],
)
@pytest.mark.parametrize("path", LISTS)
def test_a_page_or_size_out_of_range_is_a_422_problem(
    admin_user, api_client, assert_problem, path, query, field
):
    response = api_client(admin_user).get(f"{path}?{query}")

    body = assert_problem(response, 422)
    assert [error["field"] for error in body["errors"]] == [field]


def test_the_largest_page_size_is_allowed(councils, api_client):
    body = api_client().get("/api/v1/organisations?page_size=100").json()

    assert body["page_size"] == 100
    assert len(body["items"]) == 7


def test_the_audit_log_reads_one_page_of_rows_however_long_it_is(
    organisation, admin_user, api_client, django_assert_max_num_queries
):
    for number in range(150):
        audit_record(
            actor=admin_user,
            action="test.happened",
            target=organisation,
            organisation=organisation,
            data={"number": number},
        )
    client = api_client(admin_user)
    client.get("/api/v1/me")  # the token's first use is written down once; leave it out

    # The token, the caller's roles, the organisation, the count and the page.
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/organisations/testshire/audit?page=2&page_size=10")

    body = response.json()
    assert body["count"] == AuditEvent.objects.filter(organisation=organisation).count()
    assert [item["data"]["number"] for item in body["items"]] == list(range(139, 129, -1))
