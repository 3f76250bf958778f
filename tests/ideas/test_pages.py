"""The idea pages, as people use them: what they see, what they may do, and what is refused."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicflow.ideas import services
from civicflow.ideas.models import Idea, IdeaStatus, Support
from tests.ideas.conftest import IDEA_FIELDS


def list_url(challenge) -> str:
    return reverse("ideas:list", args=[challenge.organisation.slug, challenge.slug])


def create_url(challenge) -> str:
    return reverse("ideas:create", args=[challenge.organisation.slug, challenge.slug])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The list -------------------------------------------------------------------------------------


def test_anyone_reads_the_ideas_of_a_public_challenge(client, challenge, make_idea):
    make_idea(title="Reminder texts")
    response = client.get(list_url(challenge))
    assert response.status_code == 200
    assert "Reminder texts" in text(response)
    assert "Sign in to put forward an idea" in text(response)


def test_the_list_filters_and_sorts(client_for, challenge, make_idea, people, colleague):
    cheap = make_idea(title="Cheap fix", benefits=["saves_money"], innovation_type="process")
    loud = make_idea(
        title="Loud fix",
        benefits=["improves_quality"],
        scale="disruptive",
        innovation_type="process",
    )
    for person in people(2):
        services.idea_support(user=person, idea=loud)
    client = client_for(colleague)
    url = list_url(challenge)
    assert client.get(url).context["results"].idea_ids == [loud.pk, cheap.pk]
    filtered = client.get(url, {"benefit": "saves_money"}).context["results"]
    assert filtered.idea_ids == [cheap.pk]
    filtered = client.get(url, {"scale": "disruptive", "innovation_type": "process"})
    assert filtered.context["results"].idea_ids == [loud.pk]
    sorted_ = client.get(url, {"sort": "supported"}).context["results"]
    assert sorted_.idea_ids == [loud.pk, cheap.pk]
    # Unknown values are ignored rather than refused, so an old link still lists ideas.
    odd = client.get(url, {"benefit": "fame", "sort": "sideways", "page": "x"})
    assert odd.status_code == 200
    assert len(odd.context["results"].idea_ids) == 2


def test_the_list_leaves_out_merged_ideas_unless_asked(client, challenge, make_idea, lead):
    a, b = make_idea(title="Keeper"), make_idea(title="Duplicate")
    services.idea_merge(actor=lead, source=b, target=a, reason="Same")
    assert "Duplicate" not in text(client.get(list_url(challenge)))
    assert "Duplicate" in text(client.get(list_url(challenge), {"status": "merged"}))


def test_hidden_ideas_are_listed_only_for_moderators_and_authors(
    client_for, challenge, make_idea, author, colleague, lead
):
    hidden = make_idea(title="Hidden one")
    services.idea_set_hidden(actor=lead, idea=hidden, hidden=True, reason="Names a resident")
    assert "Hidden one" not in text(client_for(colleague).get(list_url(challenge)))
    for person in (author, lead):
        assert "Hidden one" in text(client_for(person).get(list_url(challenge)))


def test_the_list_says_why_ideas_cannot_be_put_forward(client_for, make_challenge, colleague):
    later = make_challenge(phase="define")
    page = text(client_for(colleague).get(list_url(later)))
    assert "You can put forward ideas from " in page
    assert "Put forward an idea</a>" not in page


def _count_queries(client, url) -> int:
    client.get(url)  # warm the caches a first request fills (content types, roles)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_however_many_ideas_and_supports(
    client_for, challenge, make_idea, people, colleague, settings, django_assert_max_num_queries
):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = None
    client = client_for(colleague)
    url = list_url(challenge) + "?sort=supported"
    backers = people(6)
    for number in range(2):
        services.idea_support(user=backers[number], idea=make_idea(title=f"Idea {number}"))
    few = _count_queries(client, url)
    for number in range(2, 30):
        idea = make_idea(title=f"Idea {number}")
        for person in backers[: number % 6]:
            services.idea_support(user=person, idea=idea)
    services.idea_support(user=colleague, idea=idea)
    many = _count_queries(client, url)
    assert few == many
    with django_assert_max_num_queries(8):  # +1: the unread-notifications count in the navigation
        client.get(url)


# Putting an idea forward ----------------------------------------------------------------------


def test_a_participant_puts_forward_an_idea(client_for, challenge, resident):
    client = client_for(resident)
    form = client.get(create_url(challenge))
    assert form.status_code == 200
    response = client.post(create_url(challenge), IDEA_FIELDS)
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert idea.author == resident
    assert "Your idea has been put forward." in text(client.get(idea.get_absolute_url()))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for your idea"),
        ({"title": "x" * 151}, "Title must be 150 characters or fewer"),
        ({"description": "x" * 20_001}, "Description must be 20,000 characters or fewer"),
        ({"benefits": []}, "Select at least one expected benefit"),
        ({"innovation_type": "magic"}, "Select a valid choice"),
    ],
)
def test_a_form_with_mistakes_comes_back_with_status_400_and_says_what_to_fix(
    client_for, challenge, resident, changes, message
):
    response = client_for(resident).post(create_url(challenge), {**IDEA_FIELDS, **changes})
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert message in page
    assert not Idea.objects.exists()


def test_the_form_says_why_when_ideas_cannot_be_put_forward(client_for, make_challenge, resident):
    closed = make_challenge(status="closed")
    client = client_for(resident)
    page = text(client.get(create_url(closed)))
    assert "This challenge is not open, so you cannot put forward ideas." in page
    assert '<form method="post" novalidate>' not in page
    client.post(create_url(closed), IDEA_FIELDS)
    assert not Idea.objects.exists()


def test_the_form_asks_anonymous_people_to_sign_in(client, challenge):
    response = client.get(create_url(challenge))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Reading an idea ------------------------------------------------------------------------------


def test_what_people_write_is_shown_as_text_never_as_html(client, make_idea):
    idea = make_idea(
        title="<script>alert('t')</script>",
        description="<img src=x onerror=alert(1)>\nSecond line",
        affected="<b>bold</b>",
    )
    page = client.get(idea.get_absolute_url()).content.decode()
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page
    )
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>bold</b>" not in page


def test_unknown_ideas_are_not_found(client_for, colleague):
    assert client_for(colleague).get(reverse("ideas:detail", args=[99999])).status_code == 404


def test_staff_only_ideas_are_private_to_the_organisation(
    client, client_for, make_challenge, make_idea, resident, outsider, colleague
):
    idea = make_idea(on=make_challenge(audience="staff", title="Staff"))
    url = idea.get_absolute_url()
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for person in (resident, outsider):
        assert client_for(person).get(url).status_code == 404
    assert client_for(colleague).get(url).status_code == 200


def test_hidden_ideas_are_shown_only_to_moderators_and_authors_with_the_reason(
    client_for, make_idea, author, colleague, lead
):
    idea = make_idea()
    services.idea_set_hidden(actor=lead, idea=idea, hidden=True, reason="Names a resident")
    assert client_for(colleague).get(idea.get_absolute_url()).status_code == 404
    for person in (author, lead):
        page = text(client_for(person).get(idea.get_absolute_url()))
        assert "A moderator has hidden this idea." in page
        assert "Names a resident" in page


def test_the_detail_page_costs_the_same_queries_however_many_supporters_and_ideas(
    client_for, make_idea, people, author, colleague, settings, django_assert_max_num_queries
):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = None
    idea = make_idea()
    client = client_for(colleague)
    services.idea_support(user=colleague, idea=idea)
    few = _count_queries(client, idea.get_absolute_url())
    for person in people(25):
        services.idea_support(user=person, idea=idea)
    for number in range(10):
        make_idea(title=f"Other {number}")
    for person in people(3):
        services.coauthor_invite(actor=author, idea=idea, email=person.email)
        services.coauthor_accept(user=person, idea=idea)
    many = _count_queries(client, idea.get_absolute_url())
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(idea.get_absolute_url())


# Supporting -----------------------------------------------------------------------------------


def test_supporting_from_the_page(client_for, idea, colleague):
    client = client_for(colleague)
    response = client.post(reverse("ideas:support", args=[idea.pk]), follow=True)
    page = text(response)
    assert "You support this idea." in page
    assert "1 supporter" in page
    again = text(client.post(reverse("ideas:support", args=[idea.pk]), follow=True))
    assert "You already support this idea." in again
    assert Support.objects.count() == 1
    gone = text(client.post(reverse("ideas:unsupport", args=[idea.pk]), follow=True))
    assert "You no longer support this idea." in gone
    assert "0 supporters" in gone


def test_authors_are_told_they_cannot_support_their_own_idea(client_for, idea, author):
    client = client_for(author)
    assert "You cannot support your own idea in this challenge." in text(
        client.get(idea.get_absolute_url())
    )
    refused = text(client.post(reverse("ideas:support", args=[idea.pk]), follow=True))
    assert "You cannot support your own idea in this challenge." in refused
    assert not Support.objects.exists()


# Changing, the history, withdrawing -----------------------------------------------------------


def test_the_author_edits_and_the_history_shows_what_changed(client_for, idea, author):
    client = client_for(author)
    url = reverse("ideas:edit", args=[idea.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**IDEA_FIELDS, "title": "A better title", "version": "1"})
    assert response.status_code == 302
    history = text(client.get(reverse("ideas:history", args=[idea.pk])))
    assert "Version 2" in history and "Version 1" in history
    assert "A better title" in history and "Text people before their bin day" in history
    assert "Ada Author" in history


def test_a_stale_edit_is_refused_with_status_400(client_for, idea, author):
    client = client_for(author)
    services.idea_update(actor=author, idea=idea, title="Someone got there first")
    response = client.post(
        reverse("ideas:edit", args=[idea.pk]), {**IDEA_FIELDS, "title": "Mine", "version": "1"}
    )
    assert response.status_code == 400
    assert "Someone else changed this idea while you were editing it" in text(response)
    assert Idea.objects.get(pk=idea.pk).title == "Someone got there first"


def test_people_who_do_not_write_the_idea_cannot_edit_it(client_for, idea, author, colleague, lead):
    url = reverse("ideas:edit", args=[idea.pk])
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    for person in (colleague, lead):
        assert client_for(person).get(url).status_code == 403
        assert client_for(person).post(url, {**IDEA_FIELDS, "version": "1"}).status_code == 403
    client = client_for(colleague)
    accepted = client.post(reverse("ideas:invitation_accept", args=[idea.pk]), follow=True)
    assert "You are now a co-author of this idea." in text(accepted)
    assert client.get(url).status_code == 200


def test_the_author_withdraws_after_confirming(client_for, idea, author):
    client = client_for(author)
    url = reverse("ideas:withdraw", args=[idea.pk])
    assert "Withdraw your idea" in text(client.get(url))
    response = client.post(url, {"reason": "Not needed"}, follow=True)
    assert "Your idea has been withdrawn." in text(response)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.WITHDRAWN


# Co-authors -----------------------------------------------------------------------------------


def test_the_author_invites_a_coauthor_who_sees_the_invitation(client_for, idea, author, colleague):
    client = client_for(author)
    url = reverse("ideas:coauthors", args=[idea.pk])
    bad = client.post(url, {"email": "nobody@example.com"})
    assert bad.status_code == 400
    assert "We could not invite this person." in text(bad)
    client.post(url, {"email": colleague.email})
    assert "Colin Colleague" in text(client.get(url))
    page = text(client_for(colleague).get(idea.get_absolute_url()))
    assert "Ada Author has invited you to co-write this idea." in page
    declined = client_for(colleague).post(reverse("ideas:invitation_decline", args=[idea.pk]))
    assert declined.status_code == 302
    again = client_for(colleague).post(reverse("ideas:invitation_decline", args=[idea.pk]))
    assert again.status_code == 404


# Decisions and merging ------------------------------------------------------------------------


def test_a_lead_gives_a_status_with_feedback_shown_on_the_idea(client_for, client, idea, lead):
    url = reverse("ideas:status", args=[idea.pk])
    missing = client_for(lead).post(url, {"status": "selected", "feedback": ""})
    assert missing.status_code == 400
    assert "Enter feedback that explains the decision" in text(missing)
    client_for(lead).post(url, {"status": "selected", "feedback": "We will pilot this <b>now</b>."})
    page = text(client.get(idea.get_absolute_url()))
    assert "Selected" in page
    assert "We will pilot this &lt;b&gt;now&lt;/b&gt;." in page


def test_a_lead_merges_a_duplicate_and_undoes_it(client_for, client, make_idea, lead, people):
    keeper, duplicate = make_idea(title="Keeper"), make_idea(title="Duplicate")
    services.idea_support(user=people(1)[0], idea=duplicate)
    moderator = client_for(lead)
    form = moderator.get(reverse("ideas:merge", args=[duplicate.pk]))
    assert "Keeper" in text(form)
    wrong = moderator.post(
        reverse("ideas:merge", args=[duplicate.pk]), {"target": "999999", "reason": "x"}
    )
    assert wrong.status_code == 400
    moderator.post(
        reverse("ideas:merge", args=[duplicate.pk]), {"target": keeper.pk, "reason": "Same idea"}
    )
    followed = client.get(duplicate.get_absolute_url(), follow=True)
    assert followed.redirect_chain == [(keeper.get_absolute_url(), 302)]
    page = text(followed)
    assert "‘Duplicate’ was merged into this idea, because it was a duplicate." in page
    assert "1 supporter" in page
    assert "Undo merge" not in page
    assert "Undo merge" in text(moderator.get(keeper.get_absolute_url()))
    moderator.post(reverse("ideas:merge_undo", args=[duplicate.pk]))
    assert client.get(duplicate.get_absolute_url()).status_code == 200
    assert Idea.objects.get(pk=keeper.pk).supporters_count == 0


def test_members_without_the_role_cannot_decide_or_merge(client_for, idea, colleague):
    client = client_for(colleague)
    for name in ("ideas:status", "ideas:merge"):
        assert client.get(reverse(name, args=[idea.pk])).status_code == 403


def test_what_people_write_becomes_escaped_govuk_paragraphs():
    from civicflow.ideas.templatetags.idea_text import govuk_paragraphs

    html = govuk_paragraphs("First <b>line</b>\r\nsame paragraph\n\n\nSecond")
    assert html == (
        '<p class="govuk-body">First &lt;b&gt;line&lt;/b&gt;<br>same paragraph</p>\n'
        '<p class="govuk-body">Second</p>'
    )
    assert govuk_paragraphs("") == ""


def test_a_merged_idea_says_where_it_went_in_the_list_and_its_history(
    client, challenge, make_idea, lead
):
    keeper, duplicate = make_idea(title="Keeper"), make_idea(title="Duplicate")
    services.idea_merge(actor=lead, source=duplicate, target=keeper, reason="Same")
    listed = text(client.get(list_url(challenge), {"status": "merged"}))
    assert (
        f'Merged into <a class="govuk-link" href="{keeper.get_absolute_url()}">Keeper</a>' in listed
    )
    history = text(client.get(reverse("ideas:history", args=[duplicate.pk])))
    assert "This idea was merged into" in history and "Keeper" in history
