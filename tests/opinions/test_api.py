"""The opinion maps API: conversations, statements, votes, the map and the export."""

from __future__ import annotations

import io
import zipfile

from civicflow.opinions import services
from civicflow.opinions.models import Statement, StatementStatus, Vote
from tests.opinions.conftest import vote_in_two_camps


def _base(bins) -> str:
    return f"/api/v1/conversations/{bins.conversation.pk}"


def test_anyone_lists_the_conversations_on_a_public_challenge(bins, api_client):
    response = api_client().get(
        f"/api/v1/organisations/{bins.organisation.slug}/challenges/{bins.challenge.slug}"
        "/conversations"
    )
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["question"] == bins.conversation.question
    assert item["url"] == bins.conversation.get_absolute_url()
    assert item["organisation"] == bins.organisation.slug


def test_a_lead_starts_a_conversation_and_others_may_not(bins, api_client):
    path = (
        f"/api/v1/organisations/{bins.organisation.slug}/challenges/{bins.challenge.slug}"
        "/conversations"
    )
    payload = {"question": "Where should new bins go?", "moderation": "pre"}
    created = api_client(bins.lead).send("POST", path, payload)
    assert created.status_code == 201
    assert created.json()["moderation"] == "pre"
    assert "moderate" in created.json()["allowed_actions"]
    assert api_client(bins.staff).send("POST", path, payload).status_code == 403
    assert api_client().send("POST", path, payload).status_code == 401


def test_the_detail_says_what_you_may_do(bins, api_client):
    body = api_client(bins.resident).get(_base(bins)).json()
    assert body["allowed_actions"] == ["vote", "add_statement"]
    assert (body["statements"], body["voted"]) == (8, 0)


def test_vote_with_put_and_change_it(bins, api_client):
    client = api_client(bins.resident)
    path = f"{_base(bins)}/statements/{bins.seeds[0].pk}/vote"
    assert client.send("PUT", path, {"value": 1}).json()["value"] == 1
    assert client.send("PUT", path, {"value": 0}).json()["value"] == 0
    assert Vote.objects.get().value == 0
    assert client.send("PUT", path, {"value": 3}).status_code == 422


def test_a_vote_on_a_hidden_statement_is_refused_with_a_problem(bins, api_client):
    Statement.objects.filter(pk=bins.seeds[0].pk).update(status=StatementStatus.PENDING)
    response = api_client(bins.resident).send(
        "PUT", f"{_base(bins)}/statements/{bins.seeds[0].pk}/vote", {"value": 1}
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "not open for votes" in response.json()["detail"] + str(response.json())


def test_next_statement_and_adding_statements(bins, api_client):
    client = api_client(bins.resident)
    first = client.get(f"{_base(bins)}/next").json()
    assert first["statement"]["id"] in {s.pk for s in bins.seeds}
    added = client.send("POST", f"{_base(bins)}/statements", {"text": "Crews need more time"})
    assert added.status_code == 201
    assert added.json()["status"] == "accepted"
    duplicate = client.send("POST", f"{_base(bins)}/statements", {"text": "crews need more time"})
    assert duplicate.status_code == 422
    too_long = client.send("POST", f"{_base(bins)}/statements", {"text": "x" * 141})
    assert too_long.status_code == 422


def test_statements_list_gives_counts_and_your_vote(bins, api_client):
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=-1)
    items = api_client(bins.resident).get(f"{_base(bins)}/statements").json()["items"]
    first = items[0]
    assert (first["id"], first["disagrees"], first["my_vote"]) == (bins.seeds[0].pk, 1, -1)
    assert (
        api_client(bins.resident).get(f"{_base(bins)}/statements?status=pending").status_code == 403
    )
    assert api_client(bins.lead).get(f"{_base(bins)}/statements?status=pending").status_code == 200


def test_moderation_through_the_api(bins, api_client):
    path = f"{_base(bins)}/statements/{bins.seeds[0].pk}/moderation"
    refused = api_client(bins.lead).send("POST", path, {"status": "rejected"})
    assert refused.status_code == 422
    done = api_client(bins.lead).send("POST", path, {"status": "rejected", "reason": "Off topic"})
    assert done.json()["status"] == "rejected"
    assert api_client(bins.staff).send("POST", path, {"status": "accepted"}).status_code == 403


def test_the_analysis_waits_then_has_not_enough_votes_then_a_map(
    bins, api_client, django_capture_on_commit_callbacks
):
    client = api_client(bins.resident)
    assert client.get(f"{_base(bins)}/analysis").json()["state"] == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    body = client.get(f"{_base(bins)}/analysis").json()
    assert body["state"] == "not_enough_votes"
    assert body["message"].startswith("Not enough votes yet")
    with django_capture_on_commit_callbacks(execute=True):
        crowd = vote_in_two_camps(bins.conversation, bins.seeds)
    body = api_client(crowd[0]).get(f"{_base(bins)}/analysis").json()
    assert body["state"] == "ready"
    assert body["k"] == 2
    assert [group["size"] for group in body["groups"]] == [6, 6]
    assert len(body["points"]) == 13
    assert body["your_group"] in (0, 1)
    assert body["consensus_agree"][0]["statement"] == bins.seeds[-1].pk
    assert body["computed_at"]


def test_export_through_the_api(bins, api_client):
    services.vote_cast(user=bins.resident, statement=bins.seeds[0], value=1)
    response = api_client(bins.lead).get(f"{_base(bins)}/export")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "votes.csv" in archive.namelist()
    one = api_client(bins.lead).get(f"{_base(bins)}/export?file=comments.csv")
    assert one["Content-Type"].startswith("text/csv")
    assert bins.seeds[0].text in one.content.decode()
    assert api_client(bins.staff).get(f"{_base(bins)}/export").status_code == 403


def test_outsiders_cannot_tell_a_staff_only_conversation_from_none(bins, api_client):
    from tests.opinions.conftest import open_call

    staff_only = open_call(bins.lead, bins.organisation, audience="staff", title="Inside")
    hidden = services.conversation_create(actor=bins.lead, challenge=staff_only, question="Q?")
    outsider = api_client(bins.outsider)
    assert outsider.get(f"/api/v1/conversations/{hidden.pk}").status_code == 404
    assert outsider.get("/api/v1/conversations/999999").status_code == 404
    assert api_client().get(f"/api/v1/conversations/{hidden.pk}").status_code == 401


def test_import_a_polis_export_through_the_api(bins, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    comments = (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,1,0,1,More trees\n2,x,1,1,0,1,-1,More benches\n"
    )
    votes = "timestamp,datetime,comment-id,voter-id,vote\n3,x,0,0,1\n4,x,1,0,-1\n5,x,0,0,-1\n"
    path = (
        f"/api/v1/organisations/{bins.organisation.slug}/challenges/{bins.challenge.slug}"
        "/conversations/import"
    )
    response = api_client(bins.lead).post(
        path,
        {
            "question": "What should the park have?",
            "comments": SimpleUploadedFile("comments.csv", comments.encode()),
            "votes": SimpleUploadedFile("votes.csv", votes.encode()),
        },
    )
    assert response.status_code == 201, response.content
    conversation_id = response.json()["id"]
    statements = Statement.objects.filter(conversation_id=conversation_id).order_by("external_id")
    assert [(s.text, s.status) for s in statements] == [
        ("More trees", "accepted"),
        ("More benches", "rejected"),
    ]
    # The participant's latest vote counts.
    values = Vote.objects.filter(conversation_id=conversation_id).order_by("statement__external_id")
    assert list(values.values_list("value", flat=True)) == [-1, -1]
    bad = api_client(bins.lead).post(
        path, {"comments": SimpleUploadedFile("comments.csv", b"comment-id\n1\n")}
    )
    assert bad.status_code == 422
    assert "neither votes.csv nor participants-votes.csv" in bad.json()["detail"]
    assert api_client(bins.staff).post(path, {}).status_code == 403
