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
