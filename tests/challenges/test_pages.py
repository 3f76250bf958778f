"""The challenge pages: what people see and can do, safely, in a fixed number of queries."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicflow.challenges.models import Challenge, Follow
from civicflow.challenges.templatetags.challenge_tags import govuk_when, url_if_exists
from civicflow.core.models import AuditEvent
from tests.challenges.conftest import days
from tests.factories import TeamFactory, UserFactory, member

LIST = "/challenges/"


def detail_url(challenge):
    return reverse("challenges:detail", args=[challenge.organisation.slug, challenge.slug])


def text(response) -> str:
    """Return the page's visible text, roughly: tags out, spaces squeezed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def local_datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# The list ------------------------------------------------------------------------------------


def test_the_list_has_an_empty_state(db, client):
    response = client.get(LIST)
    assert response.status_code == 200
    assert "There are no challenges yet" in text(response)


def test_the_list_shows_each_challenge_with_its_organisation_kind_audience_and_phase(
    client, make_challenge
):
    challenge = make_challenge()
    make_challenge(title="Secret plan", status="draft")
    page = text(client.get(LIST))
    assert "Fewer missed bin collections" in page
    assert "Testshire County Council" in page
    assert "Open call for ideas" in page
    assert "The public" in page
    develop_ends = challenge.phases.get(key="develop").ends_at
    assert f"Develop: open until {govuk_when(develop_ends)}" in page
    assert "Secret plan" not in page
    assert "1 challenge " in page


def test_the_list_filters_with_get_and_says_when_nothing_matches(client, make_challenge):
    make_challenge(title="A prize", kind="prize", phases=[_prize_phase()])
    make_challenge(title="An open call")
    page = text(client.get(LIST, {"kind": "prize"}))
    assert "A prize" in page and "An open call" not in page
    assert "Clear filters" in page
    page = text(client.get(LIST, {"kind": "fund_round"}))
    assert "No challenges match these filters." in page
    page = text(client.get(LIST, {"open_now": "on", "phase": "develop"}))
    assert "A prize" in page and "An open call" in page


def _prize_phase():
    from civicflow.challenges.phases import PhaseDates

    return PhaseDates("develop", days(-1), days(5))


def test_a_filter_with_an_unknown_value_is_a_400_with_an_error_summary(client, make_challenge):
    make_challenge()
    response = client.get(LIST, {"kind": "bake_off"})
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert 'href="#id_kind"' in response.content.decode()


def test_the_list_is_paginated(client, make_challenge):
    for n in range(22):
        make_challenge(title=f"Challenge {n:02d}")
    first = text(client.get(LIST))
    assert "22 challenges" in first
    assert "Challenge 21" in first and "Challenge 01" not in first
    second = text(client.get(LIST, {"page": 2}))
    assert "Challenge 01" in second and "Challenge 21" not in second


def test_the_organisations_list_shows_drafts_to_its_managers_with_a_create_button(
    client_for, make_challenge, organisation, lead, staff_user
):
    make_challenge(title="Still a draft", status="draft")
    url = reverse("challenges:organisation", args=[organisation.slug])
    page = text(client_for(lead).get(url))
    assert "Still a draft" in page and "Create a challenge" in page
    page = text(client_for(staff_user).get(url))
    assert "Still a draft" not in page and "Create a challenge" not in page
    assert client_for().get(reverse("challenges:organisation", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_takes_the_same_queries_however_many_rows(
    client_for, make_challenge, django_assert_max_num_queries, rows, lead
):
    for n in range(rows):
        make_challenge(title=f"Challenge {n}", audience="staff" if n % 2 else "public")
    client = client_for(lead)
    # user, roles, organisations for the filter, count, challenges, phases (the session is
    # read from the cache)
    with django_assert_max_num_queries(7):  # +1: the unread-notifications count in the navigation
        response = client.get(LIST)
    assert response.status_code == 200


# One challenge -------------------------------------------------------------------------------


def test_the_detail_page_shows_the_problem_evidence_timeline_and_what_you_can_do(
    client_for, make_challenge, resident
):
    challenge = make_challenge(evidence="Missed bins rose 30% in a year.")
    ends = challenge.phases.get(key="develop").ends_at
    page = text(client_for(resident).get(detail_url(challenge)))
    assert "Too many bins are missed each week." in page
    assert "Missed bins rose 30% in a year." in page
    assert "Cost pressure" in page
    assert (
        "You can put forward ideas, comment on ideas and back other people's ideas until "
        f"{govuk_when(ends)}." in page
    )
    for name in ("Discover", "Define", "Develop", "Deliver"):
        assert name in page
    assert "Open now" in page and "Finished" in page and "Coming up" in page
    assert "Next: the Deliver phase starts at" in page
    assert "Follow this challenge" in page
    assert "Manage this challenge" not in page and "History" not in page


def test_anonymous_people_are_asked_to_sign_in_to_take_part(client, make_challenge):
    page = text(client.get(detail_url(make_challenge())))
    assert "Sign in to take part" in page
    assert "Follow this challenge" not in page


def test_upcoming_closed_and_archived_challenges_say_so(client, make_challenge):
    upcoming = make_challenge(title="Soon", base=timezone.now() + timedelta(days=40))
    page = text(client.get(detail_url(upcoming)))
    assert "The Discover phase starts at" in page
    from civicflow.challenges.phases import PhaseDates

    fund = make_challenge(
        title="Fund", kind="fund_round", phases=[PhaseDates("develop", days(3), days(10))]
    )
    assert "Applications open at" in text(client.get(detail_url(fund)))
    closed = make_challenge(title="Shut", status="closed")
    assert "This challenge is closed." in text(client.get(detail_url(closed)))
    archived = make_challenge(title="Old", status="archived")
    assert "This challenge is archived." in text(client.get(detail_url(archived)))


def test_instance_administrators_outside_a_staff_only_challenge_are_told_who_can_take_part(
    client_for, make_challenge
):
    challenge = make_challenge(audience="staff")
    page = text(client_for(UserFactory(is_superuser=True)).get(detail_url(challenge)))
    assert "Only staff of Testshire County Council can take part." in page


def test_user_text_is_shown_inert(client, make_challenge):
    challenge = make_challenge(
        title="<script>alert('t')</script>",
        summary='<img src=x onerror="alert(1)">',
        problem="<b>bold</b>\n\n<script>alert('p')</script>",
    )
    for url in (detail_url(challenge), LIST):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in client.get(detail_url(challenge)).content.decode()


def test_managers_see_the_controls_and_the_history(client_for, make_challenge, lead):
    challenge = make_challenge(status="closed")
    page = text(client_for(lead).get(detail_url(challenge)))
    assert "Manage this challenge" in page
    assert "Change the challenge" in page
    assert "Reopen challenge" in page and "Archive challenge" in page
    assert "Publish challenge" not in page
    assert "History" in page and "Challenge drafted" in page and "Challenge closed" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("staff", 403), ("outsider", 404), ("lead", 200)],
)
def test_a_draft_is_for_managers_only(
    client_for, make_challenge, lead, staff_user, other_organisation, who, status
):
    challenge = make_challenge(status="draft")
    user = {
        "anonymous": None,
        "staff": staff_user,
        "outsider": member(other_organisation, "innovation_lead"),
        "lead": lead,
    }[who]
    response = client_for(user).get(detail_url(challenge))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_outsiders_cannot_tell_a_hidden_challenge_from_a_missing_one(
    client_for, make_challenge, other_organisation
):
    challenge = make_challenge(audience="staff")
    outsider = client_for(member(other_organisation))
    hidden = outsider.get(detail_url(challenge))
    missing = outsider.get(reverse("challenges:detail", args=["testshire", "no-such-thing"]))
    assert hidden.status_code == missing.status_code == 404
    anonymous = client_for()
    assert anonymous.get(detail_url(challenge)).status_code == 302
    assert (
        anonymous.get(reverse("challenges:detail", args=["testshire", "no-such-thing"])).status_code
        == 302
    )


@pytest.mark.parametrize("phases", [1, 4])
def test_the_detail_page_takes_a_fixed_number_of_queries(
    client_for, make_challenge, django_assert_max_num_queries, lead, resident, phases
):
    from civicflow.challenges import services
    from civicflow.challenges.phases import PhaseDates

    challenge = make_challenge()
    if phases == 1:
        services.challenge_update(
            actor=lead, challenge=challenge, phases=[PhaseDates("develop", days(-1), None)]
        )
    for n in range(phases):
        services.challenge_update(actor=lead, challenge=challenge, title=f"Title {n}")
    as_lead, as_resident = client_for(lead), client_for(resident)
    # A manager: challenge and phases (until cached), user, roles, following, history, the
    # unread-notifications count in the navigation, the challenge's budgets (session from the
    # cache)
    with django_assert_max_num_queries(8):
        assert as_lead.get(detail_url(challenge)).status_code == 200
    # Anyone else: the same but the history, and the challenge from the cache
    with django_assert_max_num_queries(5):
        assert as_resident.get(detail_url(challenge)).status_code == 200


def test_the_ideas_link_appears_only_when_the_ideas_pages_exist():
    assert url_if_exists("no-such-app:list", "a", "b") == ""
    assert url_if_exists("challenges:detail", "a", "b") == "/organisations/a/challenges/b/"


# Creating and editing ------------------------------------------------------------------------


def test_creating_starts_with_the_kind(client_for, organisation, lead):
    url = reverse("challenges:create", args=[organisation.slug])
    client = client_for(lead)
    page = text(client.get(url))
    assert "What kind of challenge is it?" in page and "Hack day" in page
    assert client.get(url, {"kind": "bake_off"}).status_code == 400
    page = text(client.get(url, {"kind": "fund_round"}))
    for name in ("Prospectus", "Applications", "Assessment"):
        assert name in page
    assert "Discover" not in page


def _form(**changes):
    data = {
        "kind": "fund_round",
        "title": "Innovation and development fund",
        "summary": "Grants for teachers to try new ideas.",
        "problem": "Good ideas in classrooms stay in one school.",
        "evidence": "",
        "driver": "strategic_objective",
        "audience": "staff",
        "phase_define_starts_at": local_datetime(days(-5)),
        "phase_define_ends_at": local_datetime(days(5)),
        "phase_develop_starts_at": local_datetime(days(5)),
        "phase_develop_ends_at": local_datetime(days(30)),
        "phase_deliver_starts_at": "",
        "phase_deliver_ends_at": "",
    }
    data.update(changes)
    return data


def test_a_lead_drafts_a_challenge(client_for, organisation, lead):
    response = client_for(lead).post(
        reverse("challenges:create", args=[organisation.slug]), _form()
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(challenge)
    assert challenge.status == "draft" and challenge.kind == "fund_round"
    assert [p.key for p in challenge.phases.order_by("starts_at")] == ["define", "develop"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the title"),
        ({"title": "x" * 201}, "title", "The title must be 200 characters or fewer"),
        ({"driver": ""}, "driver", "Select what is driving this challenge"),
        (
            {"phase_define_ends_at": "31/02/2027 10:00"},
            "phase_define_ends_at",
            "Enter a real date and time",
        ),
        (
            {"phase_develop_starts_at": local_datetime(days(4))},
            "phase_develop_starts_at",
            "The Applications phase must start after the Prospectus phase ends",
        ),
        (
            {"phase_develop_ends_at": local_datetime(days(4))},
            "phase_develop_ends_at",
            "The Applications phase must end after it starts",
        ),
        (
            {"phase_define_ends_at": ""},
            "phase_define_ends_at",
            "Give the date the Prospectus phase ends",
        ),
        (
            {"phase_deliver_ends_at": local_datetime(days(40))},
            "phase_deliver_starts_at",
            "Enter when the Assessment phase starts",
        ),
        (
            {
                f"phase_{key}_{end}": ""
                for key in ("define", "develop")
                for end in ("starts_at", "ends_at")
            },
            "phase_define_starts_at",
            "Give the dates of at least one phase",
        ),
    ],
)
def test_errors_are_shown_against_their_fields_and_nothing_is_saved(
    client_for, organisation, lead, changes, field, message
):
    response = client_for(lead).post(
        reverse("challenges:create", args=[organisation.slug]), _form(**changes)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'href="#id_{field}"' in body
    assert message in text(response)
    assert re.search(rf'id="id_{field}-error"', body)
    assert not Challenge.objects.exists()


def test_a_board_needs_a_team_of_the_organisation(client_for, organisation, lead):
    url = reverse("challenges:create", args=[organisation.slug])
    ward = TeamFactory(organisation=organisation, name="Ward 7")
    client = client_for(lead)
    assert "Whose board is it?" in text(client.get(url, {"kind": "improvement_board"}))
    data = {
        **_form(kind="improvement_board"),
        "phase_develop_starts_at": local_datetime(days(0)),
        "phase_develop_ends_at": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Select the team whose board this is" in text(response)
    response = client.post(url, {**data, "team": str(ward.pk)})
    assert response.status_code == 302
    assert Challenge.objects.get().team == ward


def test_editing_changes_the_challenge_and_records_the_reason(client_for, make_challenge, lead):
    challenge = make_challenge()
    url = reverse("challenges:edit", args=[challenge.organisation.slug, challenge.slug])
    client = client_for(lead)
    page = client.get(url).content.decode()
    develop = challenge.phases.get(key="develop")
    assert f'value="{local_datetime(develop.starts_at)}"' in page
    assert 'name="kind"' not in page  # the kind is fixed
    data = {
        "title": "Fewer missed bins",
        "summary": challenge.summary,
        "problem": challenge.problem,
        "evidence": "",
        "driver": challenge.driver,
        "audience": challenge.audience,
        "phase_develop_starts_at": local_datetime(develop.starts_at),
        "phase_develop_ends_at": local_datetime(develop.ends_at),
        "reason": "A shorter title",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Fewer missed bins"
    assert [p.key for p in challenge.phases.all()] == ["develop"]
    event = AuditEvent.objects.get(action="challenge.updated")
    assert event.reason == "A shorter title"
    assert event.data == {"changed": ["phases", "title"]}


def test_an_archived_challenge_cannot_be_edited(client_for, make_challenge, lead):
    challenge = make_challenge(status="archived")
    url = reverse("challenges:edit", args=[challenge.organisation.slug, challenge.slug])
    response = client_for(lead).get(url, follow=True)
    assert "An archived challenge cannot be changed." in text(response)


# Lifecycle and following ---------------------------------------------------------------------


def test_publishing_closing_and_reopening(client_for, make_challenge, lead):
    challenge = make_challenge(status="draft")
    url = reverse("challenges:move", args=[challenge.organisation.slug, challenge.slug])
    client = client_for(lead)
    response = client.post(url, {"to": "published", "reason": "Signed off"}, follow=True)
    assert "is published" in text(response)
    assert AuditEvent.objects.get(action="challenge.published").reason == "Signed off"
    client.post(url, {"to": "closed"})
    response = client.post(url, {"to": "published"}, follow=True)
    assert "is reopened" in text(response)
    response = client.post(url, {"to": "archived"}, follow=True)
    assert "Only a closed challenge can be archived." in text(response)
    response = client.post(url, {"to": "nonsense"}, follow=True)
    assert "Choose what to do" in text(response)
    challenge.refresh_from_db()
    assert challenge.status == "published"


def test_following_and_stopping(client_for, make_challenge, resident):
    challenge = make_challenge()
    url = reverse("challenges:follow", args=[challenge.organisation.slug, challenge.slug])
    client = client_for(resident)
    response = client.post(url, {"action": "follow"}, follow=True)
    assert "You are following this challenge." in text(response)
    assert "Stop following" in text(response)
    assert Follow.objects.filter(user=resident).exists()
    client.post(url, {"action": "unfollow"})
    assert not Follow.objects.exists()
