"""The audit log: append-only, visible to organisation administrators, exportable as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse

from civicflow.core.audit import audit_record
from civicflow.core.models import AppendOnlyError, AuditEvent
from civicflow.core.selectors import audit_csv_lines
from tests.factories import member


def test_events_cannot_be_changed_or_deleted(organisation, admin_user):
    event = audit_record(
        actor=admin_user,
        action="test.done",
        target=organisation,
        organisation=organisation,
        reason="Because",
    )
    event.reason = "Something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "Because"


def test_anonymous_actions_are_recorded_as_system(organisation):
    event = audit_record(actor=None, action="test.done", target=organisation)
    assert event.actor is None
    assert event.actor_label == "system"


def test_csv_export_neutralises_formulas():
    class Event:
        occurred_at = datetime(2026, 1, 2, 3, 4)
        actor_label = '=HYPERLINK("http://evil")'
        action = "x"
        target_type = "t"
        target_id = "1"
        target_label = "+1"
        reason = "@SUM(A1)"
        data = {"a": 1}

    rows = list(csv.reader(io.StringIO("".join(audit_csv_lines([Event()])))))
    assert rows[0][:3] == ["occurred_at", "actor", "action"]
    assert rows[1][1].startswith("'=")
    assert rows[1][5] == "'+1"
    assert rows[1][6] == "'@SUM(A1)"


def test_administrators_read_and_download_their_log(
    client_for, organisation, admin_user, staff_user
):
    client = client_for(admin_user)
    page = client.get(reverse("accounts:audit", args=[organisation.slug]))
    assert page.status_code == 200
    assert b"Became a member" in page.content
    download = client.get(reverse("accounts:audit_csv", args=[organisation.slug]))
    assert download["Content-Type"] == "text/csv"
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len(rows) == 1 + AuditEvent.objects.filter(organisation=organisation).count()


def test_another_organisations_log_is_invisible(
    client_for, organisation, other_organisation, admin_user
):
    other_admin = member(other_organisation, "admin")
    client = client_for(other_admin)
    assert client.get(reverse("accounts:audit", args=[organisation.slug])).status_code == 404
