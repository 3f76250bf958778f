"""What initiatives hold about a person is in their download, and erasure takes their roles."""

from __future__ import annotations

import pytest

from civicflow.core.personal_data import personal_data_erase, personal_data_export
from civicflow.initiatives import services
from civicflow.initiatives.models import GateDecision
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_roles_updates_and_decisions_are_exported_and_roles_erased(
    lead, decider, owner, organisation, initiative
):
    analyst = member(organisation)
    services.team_member_add(actor=lead, initiative=initiative, user=analyst, role="Analyst")
    services.progress_update_add(actor=owner, initiative=initiative, body="Going well.")
    services.gate_decide(actor=decider, initiative=initiative, decision="hold", reason="Wait.")

    data = personal_data_export(owner)
    assert {"initiative": "Bin day texts", "role": "business owner"} in data["initiative_roles"]
    assert data["initiative_updates"][0]["update"] == "Going well."
    assert personal_data_export(decider)["gate_decisions"][0]["reason"] == "Wait."
    assert personal_data_export(analyst)["initiative_roles"] == [
        {"initiative": "Bin day texts", "role": "Analyst"}
    ]

    personal_data_erase(owner)
    personal_data_erase(analyst)
    initiative.refresh_from_db()
    assert initiative.business_owner is None
    assert not initiative.team.exists()
    assert GateDecision.objects.count() == 1  # official acts stay on the record
