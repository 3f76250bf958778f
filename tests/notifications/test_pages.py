"""The notification pages: your list, marking read, your settings and unsubscribing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicflow.notifications import selectors
from civicflow.notifications.models import Notification
from civicflow.notifications.services import notify, preferences_set
from civicflow.notifications.tokens import unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
SETTINGS = reverse("notifications:settings")


@pytest.fixture
def person():
    return UserFactory(name="Priya Shah")


def _notify(person, title="Your idea is being assessed", **fields):
    fields.setdefault("kind", "idea.status_changed")
    notify(recipients=[person], title=title, **fields)
    return Notification.objects.filter(recipient=person).order_by("-pk").first()


# The list ------------------------------------------------------------------------------------


def test_the_list_shows_my_notifications_newest_first_with_unread_marked(client_for, person):
    older = _notify(person, "Older news")
    Notification.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=1), read_at=timezone.now()
    )
    _notify(person, "Newer news", body="Line one\nLine two", url="/organisations/")
    _notify(UserFactory(), "Someone else's news")

    page = client_for(person).get(LIST)

    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Newer news") < html.index("Older news")
    assert "Someone else's news" not in html
    assert html.count('class="govuk-tag govuk-tag--blue">Unread') == 1
    assert "You have 1 unread notification." in html
    assert "Line one<br>Line two" in html
    assert "The status of an idea changed" in html


def test_what_people_wrote_is_escaped(client_for, person):
    _notify(person, "<script>alert(1)</script>", body="<b>bold</b>")

    html = client_for(person).get(LIST).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_link_that_is_not_a_web_address_is_not_linked(client_for, person):
    bad = _notify(person, "Click me", url="javascript:alert(1)")

    html = client_for(person).get(LIST).content.decode()

    assert "javascript:" not in html
    assert f'href="{reverse("notifications:open", args=[bad.pk])}"' not in html


def test_the_list_is_paginated(client_for, person, settings):
    settings.CIVICFLOW_PAGE_SIZE = 2
    for number in range(5):
        _notify(person, f"News {number}")

    page = client_for(person).get(LIST, {"page": 3})

    html = page.content.decode()
    assert "News 0" in html and "News 1" not in html
    assert "govuk-pagination" in html


def test_the_list_can_show_unread_ones_only(client_for, person):
    read = _notify(person, "Read already")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    _notify(person, "Not read yet")

    html = client_for(person).get(LIST, {"show": "unread"}).content.decode()

    assert "Not read yet" in html and "Read already" not in html


def test_the_list_reads_a_fixed_number_of_queries(
    client_for, person, django_assert_max_num_queries
):
    client = client_for(person)
    for number in range(3):
        _notify(person, f"News {number}", actor=UserFactory())
    client.get(LIST)
    for number in range(10):
        _notify(person, f"More news {number}", actor=UserFactory())

    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


# Marking read --------------------------------------------------------------------------------


def test_marking_one_as_read(client_for, person):
    notification = _notify(person)
    client = client_for(person)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": f"{LIST}?page=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "marked as read" in client.get(LIST).content.decode()


def test_someone_elses_notification_is_not_found(client_for, person):
    notification = _notify(UserFactory())

    client = client_for(person)
    assert (
        client.post(reverse("notifications:mark_read", args=[notification.pk])).status_code == 404
    )
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_going_back_only_goes_to_this_site(client_for, person):
    notification = _notify(person)

    response = client_for(person).post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": "https://evil.example.com/"},
    )

    assert response["Location"] == LIST


def test_marking_all_as_read(client_for, person):
    _notify(person, "One")
    _notify(person, "Two")
    other = _notify(UserFactory(), "Not mine")
    client = client_for(person)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert selectors.unread_count(person) == 0
    other.refresh_from_db()
    assert other.read_at is None
    assert "2 notifications marked as read." in client.get(LIST).content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_it(client_for, person):
    notification = _notify(person, url="/organisations/?page=2")

    response = client_for(person).get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/organisations/?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_leaves_the_site(client_for, person):
    notification = _notify(person, url="https://evil.example.com/")

    response = client_for(person).get(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == LIST


def test_marking_read_needs_a_post(client_for, person):
    notification = _notify(person)

    response = client_for(person).get(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 405


# The unread count ----------------------------------------------------------------------------


def test_the_unread_count_is_one_query(person, django_assert_num_queries):
    _notify(person, "One")
    _notify(person, "Two")

    with django_assert_num_queries(1):
        assert selectors.unread_count(person) == 2


def test_the_unread_count_of_someone_not_signed_in_is_no_query(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert selectors.unread_count(AnonymousUser()) == 0


# Settings ------------------------------------------------------------------------------------


def test_the_settings_page_shows_the_defaults(client_for, person):
    html = client_for(person).get(SETTINGS).content.decode()

    assert "Challenges you follow" in html
    assert 'name="followed_challenges" type="radio" value="digest" checked' in html
    assert 'name="comments" type="radio" value="immediate" checked' in html


def test_saving_settings(client_for, person):
    client = client_for(person)

    response = client.post(
        SETTINGS,
        {
            "ideas": "digest",
            "comments": "in_app",
            "followed_challenges": "immediate",
            "other": "immediate",
        },
    )

    assert response.status_code == 302
    assert selectors.preferences_for(person) == {
        "ideas": "digest",
        "comments": "in_app",
        "followed_challenges": "immediate",
        "other": "immediate",
    }
    assert (
        "Your choices about notifications have been saved." in client.get(SETTINGS).content.decode()
    )


def test_an_empty_settings_form_comes_back_with_errors(client_for, person):
    response = client_for(person).post(SETTINGS, {})

    assert response.status_code == 400


def test_settings_with_a_missing_answer_come_back_with_errors(client_for, person):
    response = client_for(person).post(SETTINGS, {"ideas": "digest", "comments": "sometimes"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert "Select one of the ways to hear about replies and comments" in html
    assert "Select how you want to hear about challenges you follow" in html
    assert selectors.preferences_for(person)["ideas"] == "immediate"


# Unsubscribing -------------------------------------------------------------------------------


def _unsubscribe_url(person, groups=("followed_challenges",)):
    token = unsubscribe_token(user_id=person.pk, groups=groups)
    return reverse("notifications:unsubscribe", args=[token])


def test_the_unsubscribe_link_asks_first_and_needs_no_sign_in(client, person):
    url = _unsubscribe_url(person)

    page = client.get(url)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Only emails about challenges you follow" in html
    assert "All notification emails from civicflow" in html
    assert selectors.preferences_for(person)["followed_challenges"] == "digest"


def test_unsubscribing_from_one_group(client, person):
    response = client.post(_unsubscribe_url(person), {"scope": "these"})

    assert response.status_code == 200
    assert "You will no longer get emails about challenges you follow" in response.content.decode()
    assert selectors.preferences_for(person) == {
        "ideas": "immediate",
        "comments": "immediate",
        "followed_challenges": "in_app",
        "other": "immediate",
    }


def test_unsubscribing_from_every_email(client, person):
    response = client.post(_unsubscribe_url(person), {"scope": "all"})

    assert response.status_code == 200
    assert set(selectors.preferences_for(person).values()) == {"in_app"}


def test_a_link_for_every_email_turns_every_email_off(client, person):
    url = _unsubscribe_url(person, groups=())

    assert "You will stop getting notification emails" in client.get(url).content.decode()
    client.post(url)

    assert set(selectors.preferences_for(person).values()) == {"in_app"}


def test_one_click_unsubscribe_from_a_mail_program(client, person):
    """RFC 8058: the mail program posts ``List-Unsubscribe=One-Click``, with no CSRF token."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post(_unsubscribe_url(person), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert selectors.preferences_for(person)["followed_challenges"] == "in_app"


def test_a_tampered_link_says_so_and_changes_nothing(client, person):
    token = unsubscribe_token(user_id=person.pk, groups=["followed_challenges"])
    someone_else = unsubscribe_token(user_id=person.pk + 1, groups=["followed_challenges"])
    swapped = f"{someone_else.split(':')[0]}:{token.split(':')[1]}"
    tampered = reverse("notifications:unsubscribe", args=[swapped])
    broken = reverse("notifications:unsubscribe", args=[token[:-2]])

    for bad in [tampered, broken, reverse("notifications:unsubscribe", args=["nonsense"])]:
        for response in [client.get(bad), client.post(bad, {"scope": "all"})]:
            assert response.status_code == 400
            assert "This unsubscribe link does not work" in response.content.decode()
    assert selectors.preferences_for(person)["followed_challenges"] == "digest"


def test_a_link_changes_only_the_settings_of_the_person_it_was_sent_to(client_for, person):
    other = UserFactory()
    preferences_set(user=other, choices={"followed_challenges": "immediate"})

    client_for(other).post(_unsubscribe_url(person), {"scope": "all"})

    assert set(selectors.preferences_for(person).values()) == {"in_app"}
    assert selectors.preferences_for(other)["followed_challenges"] == "immediate"


def test_a_link_for_someone_no_longer_here_does_not_work(client, person):
    url = _unsubscribe_url(person)
    person.delete()

    assert client.get(url).status_code == 400


def test_an_unknown_choice_comes_back_with_an_error(client, person):
    response = client.post(_unsubscribe_url(person), {"scope": "some"})

    assert response.status_code == 400
    assert "Select which emails you want to stop" in response.content.decode()
    assert selectors.preferences_for(person)["followed_challenges"] == "digest"


# Signing in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, SETTINGS])
def test_private_pages_ask_people_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
