"""A conversation in and out of the Pol.is export: what goes out comes back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicflow.opinions import exchange, services
from civicflow.opinions.models import Statement, StatementStatus
from civicflow.opinions.polis_export import read_export

POLIS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis"


def test_an_export_reads_back_with_the_same_statements_votes_and_groups(
    bins, tmp_path, django_capture_on_commit_callbacks
):
    from tests.opinions.conftest import vote_in_two_camps

    with django_capture_on_commit_callbacks(execute=True):
        vote_in_two_camps(bins.conversation, bins.seeds)
        services.statement_moderate(
            actor=bins.lead, statement=bins.seeds[1], status="rejected", reason="Off topic"
        )
    for name, content in exchange.export_files(bins.conversation).items():
        (tmp_path / name).write_bytes(content)
    export = read_export(tmp_path)
    assert export.topic == bins.conversation.question
    assert [s.body for s in export.statements] == [s.text for s in bins.seeds]
    assert export.moderated_out() == {bins.seeds[1].pk}
    assert len(export.latest_votes()) == 12 * 8
    assert sorted(set(export.groups.values())) == [0, 1]


def test_importing_a_real_conversation_keeps_its_statements_and_votes(bins):
    folder = POLIS / "canadian-electoral-reform"
    if not folder.is_dir():
        pytest.skip("the Pol.is exports are not here")
    export = read_export(folder)
    conversation = exchange.conversation_import(
        actor=bins.lead, challenge=bins.challenge, export=export
    )
    assert conversation.question == export.topic
    assert conversation.statements.count() == len(export.statements)
    assert conversation.votes.count() == len(export.latest_votes())
    rejected = set(
        Statement.objects.filter(
            conversation=conversation, status=StatementStatus.REJECTED
        ).values_list("external_id", flat=True)
    )
    assert rejected == set(export.moderated_out())
