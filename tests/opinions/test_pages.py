"""Opinion map pages: voting without JavaScript, adding statements, the report, moderation,
import and export, and the number of queries each list costs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicflow.opinions import services
from civicflow.opinions.models import Conversation, Statement, StatementStatus, Vote
from tests.opinions.conftest import vote_in_two_camps

POLIS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis"


def _url(name: str, conversation, *args) -> str:
    return reverse(f"opinions:{name}", args=[conversation.pk, *args])


def _text(response) -> str:
    return response.content.decode()


# Taking part ---------------------------------------------------------------------------------


def test_the_conversation_page_shows_one_statement_with_three_buttons(bins, client_for):
    response = client_for(bins.resident).get(bins.conversation.get_absolute_url())
    assert response.status_code == 200
    page = _text(response)
    assert page.count('name="value"') == 3
    shown = response.context["statement"]
    assert shown in bins.seeds
    assert f'name="statement" value="{shown.pk}"' in page
    assert "You have voted on 0 of 8 statements." in page


def test_voting_with_a_plain_form_records_the_vote_and_shows_the_next(bins, client_for):
    client = client_for(bins.resident)
    shown = client.get(bins.conversation.get_absolute_url()).context["statement"]
    response = client.post(
        _url("vote", bins.conversation), {"statement": shown.pk, "value": "-1"}, follow=True
    )
    assert response.status_code == 200
    assert Vote.objects.get().value == -1
    assert "is recorded: disagree" in _text(response)
    assert response.context["statement"] != shown
    assert "You have voted on 1 of 8 statements." in _text(response)


def test_after_every_statement_the_page_says_so(bins, client_for):
    for statement in bins.seeds:
        services.vote_cast(user=bins.resident, statement=statement, value=0)
    response = client_for(bins.resident).get(bins.conversation.get_absolute_url())
    assert "You have voted on every statement" in _text(response)


def test_a_bad_vote_comes_back_with_a_message(bins, client_for):
    response = client_for(bins.resident).post(
        _url("vote", bins.conversation), {"statement": bins.seeds[0].pk, "value": "7"}
    )
    assert response.status_code == 400
    assert "Choose agree, disagree or pass" in _text(response)
    assert not Vote.objects.exists()


def test_a_vote_on_a_hidden_statement_is_refused(bins, client_for):
    Statement.objects.filter(pk=bins.seeds[0].pk).update(status=StatementStatus.REJECTED)
    response = client_for(bins.resident).post(
        _url("vote", bins.conversation), {"statement": bins.seeds[0].pk, "value": "1"}
    )
    assert response.status_code == 400
    assert "not open for votes" in _text(response)


def test_a_vote_on_another_conversations_statement_is_not_found(bins, client_for):
    other = services.conversation_create(
        actor=bins.lead, challenge=bins.challenge, question="Another?"
    )
    response = client_for(bins.resident).post(
        _url("vote", other), {"statement": bins.seeds[0].pk, "value": "1"}
    )
    assert response.status_code == 404


def test_changing_a_vote_from_the_list_of_statements(bins, client_for):
    services.vote_cast(user=bins.resident, statement=bins.seeds[2], value=1)
    client = client_for(bins.resident)
    listing = client.get(_url("statements", bins.conversation))
    assert "Your vote:" in _text(listing)
    response = client.post(
        _url("vote", bins.conversation),
        {"statement": bins.seeds[2].pk, "value": "-1", "next": listing.request["PATH_INFO"]},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("statements", bins.conversation)
    assert Vote.objects.get().value == -1


def test_a_vote_never_sends_people_to_another_site(bins, client_for):
    response = client_for(bins.resident).post(
        _url("vote", bins.conversation),
        {"statement": bins.seeds[0].pk, "value": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == bins.conversation.get_absolute_url()


def test_anonymous_people_read_but_are_asked_to_sign_in_to_vote(bins, client):
    page = _text(client.get(bins.conversation.get_absolute_url()))
    assert "Sign in to vote and add statements" in page
    assert 'name="value"' not in page
    response = client.post(_url("vote", bins.conversation), {"statement": 1, "value": 1})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_a_statement(bins, client_for):
    client = client_for(bins.resident)
    assert client.get(_url("statement_create", bins.conversation)).status_code == 200
    response = client.post(
        _url("statement_create", bins.conversation), {"text": "Crews need more time"}
    )
    assert response.status_code == 302
    assert Statement.objects.filter(text="Crews need more time", is_seed=False).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your statement"),
        ("z" * 141, "must be 140 characters or fewer"),
        ("narrow streets need SMALLER lorries.", "already has that statement"),
    ],
)
def test_a_bad_statement_comes_back_with_the_reason(bins, client_for, text, message):
    response = client_for(bins.resident).post(
        _url("statement_create", bins.conversation), {"text": text}
    )
    assert response.status_code == 400
    assert message in _text(response)
    assert 'class="govuk-error-summary"' in _text(response)


def test_statements_are_shown_as_text_never_as_markup(bins, client_for):
    services.statement_add(
        actor=bins.resident,
        conversation=bins.conversation,
        text="<script>alert(1)</script> <b>bold</b>",
    )
    page = _text(client_for(bins.resident).get(_url("statements", bins.conversation)))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page


# The report ----------------------------------------------------------------------------------


def test_before_anyone_votes_the_report_says_not_enough_votes_yet(bins, client_for):
    response = client_for(bins.resident).get(_url("report", bins.conversation))
    assert response.status_code == 200
    assert "Not enough votes yet" in _text(response)
    assert "<svg" not in _text(response).split("<main", 1)[1]


def test_with_few_votes_the_report_says_why_there_is_no_map(
    bins, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    page = _text(client_for(bins.resident).get(_url("report", bins.conversation)))
    assert "Not enough votes yet" in page
    assert "So far 1 person has cast 1 votes." in page
    assert "Last updated" in page


def test_the_report_shows_the_groups_what_unites_and_divides_them(
    bins, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        crowd = vote_in_two_camps(bins.conversation, bins.seeds)
    response = client_for(crowd[0]).get(_url("report", bins.conversation))
    page = _text(response)
    assert 'role="img"' in page and '<title id="map-title">' in page
    assert page.count("<circle") + page.count("<rect x=") >= 12
    assert "Group A" in page and "Group B" in page
    assert "You are in <strong>Group" in page
    assert 'stroke="#0b0c0c"' in page  # your own point
    consensus = page.split('id="consensus"', 1)[1].split("</table>", 1)[0]
    assert bins.seeds[-1].text in consensus
    divisive = page.split('id="divisive"', 1)[1].split("</table>", 1)[0]
    assert bins.seeds[0].text in divisive
    assert "100% agree" in page
    assert "Last updated" in page


def test_someone_with_too_few_votes_is_told_they_are_not_in_a_group_yet(
    bins, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote_in_two_camps(bins.conversation, bins.seeds)
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    page = _text(client_for(bins.resident).get(_url("report", bins.conversation)))
    assert "You are not in a group yet" in page


# Running a conversation ----------------------------------------------------------------------


def test_a_lead_starts_a_conversation_from_the_page(bins, client_for):
    url = reverse("opinions:create", args=[bins.organisation.slug, bins.challenge.slug])
    client = client_for(bins.lead)
    bad = client.post(url, {"question": "", "moderation": "post"})
    assert bad.status_code == 400
    assert "Enter the question people will answer" in _text(bad)
    response = client.post(url, {"question": "Where should new bins go?", "moderation": "pre"})
    conversation = Conversation.objects.get(question="Where should new bins go?")
    assert response["Location"] == _url("statement_create", conversation)
    assert conversation.moderation == "pre"


def test_the_moderation_queue_and_a_decision(bins, client_for):
    Conversation.objects.filter(pk=bins.conversation.pk).update(moderation="pre")
    waiting = services.statement_add(
        actor=bins.resident,
        conversation=Conversation.objects.get(pk=bins.conversation.pk),
        text="Crews need more time",
    )
    client = client_for(bins.lead)
    queue = _text(client.get(_url("moderation", bins.conversation)))
    assert "Crews need more time" in queue and "Waiting (1)" in queue
    bad = client.post(_url("moderate", bins.conversation, waiting.pk), {"status": "rejected"})
    assert bad.status_code == 400 and "Say why the statement is rejected" in _text(bad)
    client.post(
        _url("moderate", bins.conversation, waiting.pk),
        {"status": "rejected", "reason": "Duplicate of a seed"},
    )
    waiting.refresh_from_db()
    assert waiting.status == StatementStatus.REJECTED
    empty = _text(client.get(_url("moderation", bins.conversation)))
    assert "No statements are waiting for moderation." in empty


def test_closing_the_conversation_from_its_settings(bins, client_for):
    response = client_for(bins.lead).post(
        _url("edit", bins.conversation),
        {
            "question": bins.conversation.question,
            "moderation": "post",
            "state": "closed",
            "reason": "Done",
        },
    )
    assert response.status_code == 302
    page = _text(client_for(bins.resident).get(bins.conversation.get_absolute_url()))
    assert "This conversation is closed" in page


def test_export_as_a_zip_and_as_one_file(bins, client_for):
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    client = client_for(bins.lead)
    response = client.get(_url("export", bins.conversation))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == [
            "comments.csv",
            "participants-votes.csv",
            "summary.csv",
            "votes.csv",
        ]
    votes = client.get(_url("export_file", bins.conversation, "votes.csv"))
    assert votes["Content-Type"].startswith("text/csv")
    assert f",{bins.seeds[0].pk}," in votes.content.decode()
    assert client.get(_url("export_file", bins.conversation, "secrets.txt")).status_code == 404


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")


def test_importing_a_real_polis_export(bins, client_for):
    folder = POLIS / "15-per-hour-seattle"
    if not folder.is_dir():
        pytest.skip("the Pol.is exports are not here")
    url = reverse("opinions:import", args=[bins.organisation.slug, bins.challenge.slug])
    response = client_for(bins.lead).post(
        url,
        {
            "comments": _upload(folder / "comments.csv"),
            "votes": _upload(folder / "votes.csv"),
            "summary": _upload(folder / "summary.csv"),
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.exclude(pk=bins.conversation.pk).get()
    assert conversation.statements.count() == 54
    assert conversation.source_url


def test_an_import_with_a_missing_column_says_which(bins, client_for):
    url = reverse("opinions:import", args=[bins.organisation.slug, bins.challenge.slug])
    response = client_for(bins.lead).post(
        url,
        {
            "question": "Q",
            "comments": SimpleUploadedFile("comments.csv", b"comment-id,comment-body\n1,Hi\n"),
            "votes": SimpleUploadedFile("votes.csv", b"timestamp\n"),
        },
    )
    assert response.status_code == 400
    assert "comments.csv is missing the columns" in _text(response)
    assert Conversation.objects.count() == 1


def test_an_import_needs_files(bins, client_for):
    url = reverse("opinions:import", args=[bins.organisation.slug, bins.challenge.slug])
    response = client_for(bins.lead).post(url, {"question": "Q"})
    assert response.status_code == 400
    assert "Choose the export’s zip file" in _text(response)


# Queries -------------------------------------------------------------------------------------


def _more_conversations(bins, count: int) -> None:
    for index in range(count):
        conversation = services.conversation_create(
            actor=bins.lead, challenge=bins.challenge, question=f"Question {index}?"
        )
        services.statement_add(actor=bins.lead, conversation=conversation, text="A statement")


def test_the_list_of_conversations_costs_the_same_however_long(
    bins, client_for, django_assert_num_queries
):
    client = client_for(bins.resident)
    url = reverse("opinions:list", args=[bins.organisation.slug, bins.challenge.slug])
    client.get(url)
    with django_assert_num_queries(5):
        client.get(url)
    _more_conversations(bins, 5)
    with django_assert_num_queries(5):
        assert "Question 4?" in _text(client.get(url))


def test_the_statements_page_costs_the_same_however_many(
    bins, client_for, django_assert_num_queries
):
    client = client_for(bins.resident)
    url = _url("statements", bins.conversation)
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    with django_assert_num_queries(8):
        client.get(url)
    for index in range(10):
        services.statement_add(
            actor=bins.lead, conversation=bins.conversation, text=f"Extra statement {index}"
        )
    with django_assert_num_queries(8):
        client.get(url)


def test_the_report_costs_the_same_however_many_people_voted(
    bins, client_for, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        crowd = vote_in_two_camps(bins.conversation, bins.seeds, people=8)
    client = client_for(crowd[0])
    url = _url("report", bins.conversation)
    with django_assert_num_queries(8):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        vote_in_two_camps(bins.conversation, bins.seeds, people=20)
    with django_assert_num_queries(8):
        client.get(url)
