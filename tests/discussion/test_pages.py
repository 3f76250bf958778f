"""The thread, the pages to write, change, delete and report comments, and moderation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from civicflow.discussion import services
from civicflow.discussion.models import Comment, Flag, FlagStatus
from tests.discussion.support import LABEL

pytestmark = pytest.mark.django_db


def thread_url(target) -> str:
    return reverse("discussion:thread", kwargs={"label": LABEL, "object_id": target.pk})


def post(author, target, body="A thought.", parent=None):
    return services.comment_create(author=author, target=target, body=body, parent=parent)


# The thread ----------------------------------------------------------------------------------


def test_anyone_reads_the_thread_on_a_public_challenge(client, people, challenge):
    post(people.resident, challenge, "Start the rounds earlier.")
    response = client.get(thread_url(challenge))
    assert response.status_code == 200
    assert b"Start the rounds earlier." in response.content
    assert b"Sign in to comment" in response.content
    assert b"<h1" in response.content and response.content.count(b"<h1") == 1


def test_a_private_target_sends_strangers_to_sign_in_and_outsiders_to_404(
    client, client_for, people, staff_challenge
):
    response = client.get(thread_url(staff_challenge))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client_for(people.outsider).get(thread_url(staff_challenge)).status_code == 404
    assert client_for(people.staff).get(thread_url(staff_challenge)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/comments/on/challenges.challenge/999999/",
        "/comments/on/accounts.user/1/",
        "/comments/on/nonsense/1/",
    ],
)
def test_unknown_targets_are_not_found(client_for, people, path):
    assert client_for(people.resident).get(path).status_code == 404


def test_posting_a_comment_goes_back_to_the_page_at_the_comment(client_for, people, challenge):
    client = client_for(people.resident)
    response = client.post(
        thread_url(challenge), {"body": "Bins at 6am", "next": "/somewhere/?page=2#old"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/somewhere/?page=2#comment-{comment.pk}"
    page = client.get(thread_url(challenge))
    assert b"Your comment has been posted." in page.content


def test_a_next_address_on_another_site_is_ignored(client_for, people, challenge):
    response = client_for(people.resident).post(
        thread_url(challenge), {"body": "Hi", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(thread_url(challenge))


@pytest.mark.parametrize(
    ("body", "message"),
    [("", b"Enter your comment"), ("x" * 5001, b"Your comment must be 5,000 characters")],
)
def test_a_comment_with_errors_comes_back_with_status_400(
    client_for, people, challenge, body, message
):
    response = client_for(people.resident).post(thread_url(challenge), {"body": body})
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert message in response.content
    assert not Comment.objects.exists()


def test_html_in_a_comment_is_shown_as_text(client, people, challenge):
    post(people.resident, challenge, '<script>alert("x")</script><b onclick="x()">bold</b>')
    content = client.get(thread_url(challenge)).content
    assert b"<script>alert" not in content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert b"<b onclick" not in content


def test_the_posting_limit_says_what_to_do_and_saves_nothing(
    client_for, people, challenge, settings
):
    settings.CIVICFLOW_COMMENT_LIMIT = 2
    client = client_for(people.resident)
    for number in range(2):
        client.post(thread_url(challenge), {"body": f"Comment {number}"})
    response = client.post(thread_url(challenge), {"body": "Comment 3"})
    assert response.status_code == 400
    assert b"You have posted 2 comments in the last 10 minutes" in response.content
    assert Comment.objects.count() == 2


def test_nobody_posts_where_comments_are_closed(client, client_for, people, closed_challenge):
    page = client_for(people.resident).get(thread_url(closed_challenge))
    assert b"You cannot comment on this at the moment." in page.content
    assert b'name="body"' not in page.content
    response = client_for(people.resident).post(thread_url(closed_challenge), {"body": "Hi"})
    assert response.status_code == 403
    response = client.post(thread_url(closed_challenge), {"body": "Hi"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Comment.objects.exists()


def test_htmx_gets_the_thread_back_with_the_new_comment(client_for, people, challenge):
    response = client_for(people.resident).post(
        thread_url(challenge),
        {"body": "Through htmx", "next": "/ideas/1/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Through htmx" in response.content
    assert b"Your comment has been posted." in response.content
    assert b'value="/ideas/1/"' in response.content


def test_htmx_gets_the_errors_in_the_thread(client_for, people, challenge):
    top = post(people.staff, challenge)
    client = client_for(people.resident)
    response = client.post(thread_url(challenge), {"body": ""}, HTTP_HX_REQUEST="true")
    assert b"Enter your comment" in response.content and b"govuk-error-summary" in response.content
    reply_url = reverse("discussion:reply", kwargs={"comment_id": top.pk})
    response = client.post(reply_url, {"body": ""}, HTTP_HX_REQUEST="true")
    assert b'id="reply-%d-error"' % top.pk in response.content
    assert b'<details class="govuk-details govuk-!-margin-bottom-2" open>' in response.content


def test_deleted_and_hidden_comments_show_what_each_person_may_see(client_for, people, challenge):
    gone = post(people.resident, challenge, "Regrettable")
    services.comment_delete(actor=people.resident, comment=gone)
    rude = post(people.neighbour, challenge, "Rude words")
    services.comment_hide(actor=people.lead, comment=rude, reason="Abusive")

    seen = client_for(people.staff).get(thread_url(challenge)).content
    assert b"Comment deleted" in seen and b"Regrettable" not in seen
    assert b"A moderator hid this comment." in seen and b"Rude words" not in seen

    moderated = client_for(people.lead).get(thread_url(challenge)).content
    assert b"Rude words" in moderated and b"Reason: Abusive" in moderated
    assert b"Restore" in moderated


def test_the_template_tag_renders_the_thread_for_the_page_it_is_on(people, challenge):
    post(people.resident, challenge, "From the tag")
    request = RequestFactory().get("/ideas/1/")
    request.user = people.staff
    html = Template("{% load discussion %}{% comment_thread target %}").render(
        Context({"request": request, "target": challenge})
    )
    assert "From the tag" in html
    assert 'hx-post="' in html and 'value="/ideas/1/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_tag_shows_the_newest_conversations_and_links_to_the_rest(people, challenge):
    for number in range(22):
        Comment.objects.create(
            organisation=challenge.organisation,
            target_type_id=_content_type(challenge),
            target_id=challenge.pk,
            author=people.resident,
            body=f"Number {number:02d}",
        )
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template("{% load discussion %}{% comment_thread target %}").render(
        Context({"request": request, "target": challenge})
    )
    assert "Number 21" in html and "Number 02" in html and "Number 01" not in html
    assert "See all 22 comments" in html


def _content_type(target) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(target).pk


# Query counts --------------------------------------------------------------------------------


def _conversations(people, challenge, count):
    for _ in range(count):
        top = post(people.resident, challenge)
        reply = post(people.staff, challenge, parent=top)
        post(people.neighbour, challenge, parent=reply)


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("viewer", ["lead", "staff", "anonymous"])
def test_the_thread_costs_the_same_queries_however_many_comments(
    client_for, people, challenge, settings, django_assert_max_num_queries, viewer
):
    settings.CIVICFLOW_COMMENT_LIMIT = 1000
    client = client_for(None if viewer == "anonymous" else getattr(people, viewer))
    url = thread_url(challenge)
    _conversations(people, challenge, 2)
    few = _queries(client, url, django_assert_max_num_queries, 9)
    _conversations(people, challenge, 25)
    many = _queries(client, url, django_assert_max_num_queries, 9)
    assert few == many


def test_the_moderation_queue_costs_the_same_queries_however_many_flags(
    client_for, people, challenge, settings, django_assert_max_num_queries
):
    settings.CIVICFLOW_COMMENT_LIMIT = 1000
    client = client_for(people.lead)
    url = reverse("discussion:queue", kwargs={"slug": challenge.organisation.slug})
    reporters = [people.neighbour, people.staff, people.assessor]

    def flag_some(count):
        for _ in range(count):
            comment = post(people.resident, challenge)
            for reporter in reporters:
                services.flag_raise(
                    reporter=reporter, target=challenge, comment=comment, reason="spam"
                )

    flag_some(1)
    few = _queries(client, url, django_assert_max_num_queries, 8)
    flag_some(6)
    many = _queries(client, url, django_assert_max_num_queries, 8)
    assert few == many


# Replying, changing and deleting -------------------------------------------------------------


def test_replying_from_its_own_page(client_for, people, challenge):
    top = post(people.staff, challenge, "Should we?")
    client = client_for(people.resident)
    url = reverse("discussion:reply", kwargs={"comment_id": top.pk})
    page = client.get(url)
    assert page.status_code == 200 and b"Should we?" in page.content
    assert client.post(url, {"body": ""}).status_code == 400
    response = client.post(url, {"body": "Yes"})
    reply = Comment.objects.get(parent=top)
    assert response.status_code == 302 and response["Location"].endswith(reply.anchor)


def test_nobody_replies_to_a_deleted_comment(client_for, people, challenge):
    top = post(people.staff, challenge)
    services.comment_delete(actor=people.staff, comment=top)
    url = reverse("discussion:reply", kwargs={"comment_id": top.pk})
    assert client_for(people.resident).post(url, {"body": "Hm"}).status_code == 403


def test_the_author_changes_a_comment_on_its_page(client_for, people, challenge):
    comment = post(people.resident, challenge, "Frist")
    client = client_for(people.resident)
    url = reverse("discussion:edit", kwargs={"comment_id": comment.pk})
    assert b"Frist" in client.get(url).content
    assert client.post(url, {"body": ""}).status_code == 400
    response = client.post(url, {"body": "First"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "First" and comment.edited
    assert b"edited" in client.get(thread_url(challenge)).content


def test_after_the_window_the_edit_page_says_so(client_for, people, challenge):
    comment = post(people.resident, challenge, "Frist")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - timedelta(minutes=16)
    )
    client = client_for(people.resident)
    url = reverse("discussion:edit", kwargs={"comment_id": comment.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert b"You can only change a comment in the 15 minutes after you post it." in page.content
    assert b'name="body"' not in page.content
    response = client.post(url, {"body": "First"})
    assert response.status_code == 400
    assert b"You can only change a comment in the 15 minutes" in response.content
    comment.refresh_from_db()
    assert comment.body == "Frist"


def test_nobody_changes_or_deletes_someone_elses_comment(client_for, people, challenge):
    comment = post(people.resident, challenge, "Mine")
    client = client_for(people.admin)
    for name in ("discussion:edit", "discussion:delete"):
        url = reverse(name, kwargs={"comment_id": comment.pk})
        assert client.get(url).status_code == 403
        assert client.post(url, {"body": "Theirs"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_deleted


def test_unknown_comments_are_not_found(client_for, people):
    client = client_for(people.resident)
    for name in ("reply", "edit", "delete", "flag_comment", "comment_hide", "comment_restore"):
        assert client.get(reverse(f"discussion:{name}", args=[999999])).status_code == 404


def test_comments_on_what_someone_cannot_see_are_not_found(client_for, people, staff_challenge):
    comment = post(people.staff, staff_challenge)
    client = client_for(people.outsider)
    for name in ("reply", "edit", "delete", "flag_comment", "comment_hide"):
        assert client.get(reverse(f"discussion:{name}", args=[comment.pk])).status_code == 404


def test_deleting_asks_first_then_leaves_replies(client_for, people, challenge):
    top = post(people.resident, challenge, "Regrettable")
    post(people.staff, challenge, "A reply that stays", parent=top)
    client = client_for(people.resident)
    url = reverse("discussion:delete", kwargs={"comment_id": top.pk})
    confirm = client.get(url)
    assert b"Are you sure you want to delete your comment?" in confirm.content
    assert client.post(url).status_code == 302
    page = client.get(thread_url(challenge)).content
    assert b"Comment deleted" in page and b"Regrettable" not in page
    assert b"A reply that stays" in page


# Moderating comments -------------------------------------------------------------------------


def test_a_moderator_hides_and_restores_a_comment_with_a_reason(client_for, people, challenge):
    comment = post(people.resident, challenge)
    client = client_for(people.lead)
    hide = reverse("discussion:comment_hide", kwargs={"comment_id": comment.pk})
    assert client.get(hide).status_code == 200
    assert client.post(hide, {"reason": ""}).status_code == 400
    assert client.post(hide, {"reason": "Spam"}).status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden

    restore = reverse("discussion:comment_restore", kwargs={"comment_id": comment.pk})
    assert client.post(restore, {"reason": "Not spam"}).status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert client.post(restore, {"reason": "Again"}).status_code == 400


def test_members_who_do_not_moderate_get_403(client_for, people, challenge):
    comment = post(people.resident, challenge)
    url = reverse("discussion:comment_hide", kwargs={"comment_id": comment.pk})
    for who in ("staff", "assessor", "resident", "outsider"):
        assert client_for(getattr(people, who)).post(url, {"reason": "x"}).status_code == 403


# Reporting -----------------------------------------------------------------------------------


def test_reporting_a_comment_once(client_for, people, challenge):
    comment = post(people.resident, challenge)
    client = client_for(people.neighbour)
    url = reverse("discussion:flag_comment", kwargs={"comment_id": comment.pk})
    assert b"Why are you reporting it?" in client.get(url).content
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "other"}).status_code == 400  # needs details
    assert client.post(url, {"reason": "spam"}).status_code == 302
    again = client.get(url)
    assert b"You have already reported this." in again.content
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 400
    assert b"You have already reported this comment." in response.content
    assert Flag.objects.count() == 1


def test_nobody_reports_their_own_comment(client_for, people, challenge):
    comment = post(people.resident, challenge)
    url = reverse("discussion:flag_comment", kwargs={"comment_id": comment.pk})
    client = client_for(people.resident)
    assert b"You cannot report this." in client.get(url).content
    assert client.post(url, {"reason": "spam"}).status_code == 400
    assert not Flag.objects.exists()


def test_reporting_the_target_itself(client_for, people, challenge, staff_challenge):
    url = reverse("discussion:flag_target", kwargs={"label": LABEL, "object_id": challenge.pk})
    client = client_for(people.resident)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "off_topic"}).status_code == 302
    assert Flag.objects.get().comment is None
    hidden = reverse(
        "discussion:flag_target", kwargs={"label": LABEL, "object_id": staff_challenge.pk}
    )
    assert client.get(hidden).status_code == 404


# The moderation queue ------------------------------------------------------------------------


def test_the_queue_is_for_the_organisations_moderators(client, client_for, people, challenge):
    url = reverse("discussion:queue", kwargs={"slug": challenge.organisation.slug})
    assert client.get(url).status_code == 302
    assert client_for(people.staff).get(url).status_code == 403
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.resident).get(url).status_code == 404
    assert client_for(people.lead).get(url).status_code == 200
    assert client_for(people.instance_admin).get(url).status_code == 200


def test_moderators_decide_reports_from_the_queue(client_for, people, challenge):
    comment = post(people.resident, challenge, "Buy cheap watches")
    flag = services.flag_raise(
        reporter=people.neighbour, target=challenge, comment=comment, reason="spam"
    )
    client = client_for(people.lead)
    queue = reverse("discussion:queue", kwargs={"slug": challenge.organisation.slug})
    page = client.get(queue)
    assert b"Buy cheap watches" in page.content and b"Spam or advertising" in page.content

    hide = reverse("discussion:flag_hide", kwargs={"flag_id": flag.pk})
    missing = client.post(hide, {"reason": ""})
    assert missing.status_code == 400 and b"Enter the reason" in missing.content
    assert client.post(hide, {"reason": "Advertising"}).status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.HIDDEN
    assert b"Nothing is waiting for a decision." in client.get(queue).content
    assert b"Buy cheap watches" in client.get(queue + "?show=hidden").content

    restore = reverse("discussion:flag_restore", kwargs={"flag_id": flag.pk})
    assert client.post(restore, {"reason": "Changed my mind"}).status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESTORED
    dismiss = reverse("discussion:flag_dismiss", kwargs={"flag_id": flag.pk})
    assert client.post(dismiss, {"reason": "Too late"}).status_code == 400


def test_the_decision_page_and_the_endpoints_are_for_moderators(client_for, people, challenge):
    flag = services.flag_raise(reporter=people.neighbour, target=challenge, reason="spam")
    page = reverse("discussion:flag", kwargs={"flag_id": flag.pk})
    assert client_for(people.lead).get(page).status_code == 200
    assert client_for(people.staff).get(page).status_code == 403
    assert client_for(people.outsider).get(page).status_code == 404
    dismiss = reverse("discussion:flag_dismiss", kwargs={"flag_id": flag.pk})
    assert client_for(people.staff).post(dismiss, {"reason": "x"}).status_code == 403
    assert client_for(people.lead).get(dismiss).status_code == 405
    assert client_for(people.lead).post(dismiss, {"reason": "Fine"}).status_code == 302


def test_fixing_an_error_still_goes_back_to_the_page_the_form_was_on(client_for, people, challenge):
    client = client_for(people.resident)
    response = client.post(thread_url(challenge), {"body": "", "next": "/ideas/7/"})
    assert response.status_code == 400
    assert b'name="next" value="/ideas/7/"' in response.content
    response = client.post(thread_url(challenge), {"body": "Fixed", "next": "/ideas/7/"})
    assert response["Location"].startswith("/ideas/7/#comment-")


def test_the_tag_shows_nothing_to_someone_who_cannot_see_the_target(people, staff_challenge):
    post(people.staff, staff_challenge, "Staff only talk")
    request = RequestFactory().get("/")
    request.user = people.outsider
    html = Template("{% load discussion %}{% comment_thread target %}").render(
        Context({"request": request, "target": staff_challenge})
    )
    assert html == ""


def test_a_note_from_a_merge_shows_in_the_thread_without_actions(
    client_for, people, organisation, challenge
):
    from tests.discussion.support import make_challenge

    merged = make_challenge(organisation, created_by=people.admin, title="Idea B")
    post(people.resident, merged, "Said on B")
    services.comments_move(source=merged, target=challenge, note="", actor=people.admin)
    content = client_for(people.lead).get(thread_url(challenge)).content.decode()
    assert "Comments moved here from ‘Idea B’ when it was merged." in content
    assert "Said on B" in content
    note = Comment.objects.get(kind="note")
    assert f"/comments/{note.pk}/reply/" not in content
    assert f"/comments/{note.pk}/hide/" not in content


def test_htmx_reply_comes_back_in_the_thread(client_for, people, challenge):
    top = post(people.staff, challenge)
    url = reverse("discussion:reply", kwargs={"comment_id": top.pk})
    response = client_for(people.resident).post(
        url, {"body": "Replying in place", "next": "/ideas/1/"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Replying in place" in response.content
    assert b"Your reply has been posted." in response.content
