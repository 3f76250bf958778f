import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/cookies/", "/privacy/", "/accessibility/"])
def test_information_pages_render_for_anyone(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"govuk-generic-header" in response.content
    assert b"Skip to main content" in response.content


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_rate_limited_requests_get_a_service_page(client, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(25):
        response = client.post("/accounts/password/reset/", {"email": "x@example.com"})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert b"You have tried too many times" in response.content
    assert b'lang="en-gb"' in response.content
    cache.clear()


@pytest.mark.django_db
def test_a_form_wide_error_links_to_the_first_field(client):
    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "nope"})
    assert b'href="#id_login"' in response.content


def test_the_navigation_marks_challenge_and_idea_pages_as_challenges():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from civicflow.web.context_processors import service

    def current(path: str) -> list[str]:
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        return [str(item["text"]) for item in service(request)["navigation"] if item["current"]]

    assert current("/organisations/home/challenges/fewer-missed-bins/") == ["Challenges"]
    assert current("/ideas/12/") == ["Challenges"]
    assert current("/organisations/home/") == ["Organisations"]
    assert current("/challenges/") == ["Challenges"]
    assert current("/budgets/4/results/") == ["Challenges"]
    assert current("/organisations/home/budgets/") == ["Challenges"]
    assert current("/organisations/home/initiatives/") == ["Initiatives"]
    assert current("/initiatives/7/decide/") == ["Initiatives"]
    assert current("/organisations/home/decisions/") == ["Initiatives"]
    assert current("/organisations/home/decisions.csv") == ["Initiatives"]
    assert current("/initiatives/") == ["Initiatives"]
    assert current("/search/") == ["Search"]


def test_the_signed_in_navigation_leaves_the_account_link_to_the_header(db):
    from django.test import RequestFactory

    from civicflow.web.context_processors import service
    from tests.factories import UserFactory

    request = RequestFactory().get("/")
    request.user = UserFactory()
    texts = [str(item["text"]) for item in service(request)["navigation"]]
    assert "Your account" not in texts
    assert texts[:6] == [
        "Home",
        "Challenges",
        "Organisations",
        "Initiatives",
        "Case library",
        "Search",
    ]
    assert texts[-1].startswith("Notifications")
