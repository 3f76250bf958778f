"""Telling assessors about the reviews waiting for them.

An assessor hears when submissions are given to them (by hand or by the automatic
allocation), when the challenge's review window opens (the phase in which assessors review),
and again shortly before it closes if they still have reviews to finish. The notices name the
challenge and how many reviews wait, never a submission's authors, so they are the same for a
blind panel as for any other.

The window notices are sent by ``review_window_notices_send``, run daily from cron through
``civicflow manage send_review_window_notices``. Each panel is claimed for one window date (its
start or end, set where it differs, in one statement) before its notices are stored, so two
workers never both send them, and moving the phase's dates makes a fresh notice due.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicflow.appraisal.models import Assignment, Panel, PanelStatus
from civicflow.challenges.models import Phase
from civicflow.challenges.phases import Action, phase_type
from civicflow.core.audit import audit_record
from civicflow.notifications.kinds import register_kinds
from civicflow.notifications.services import notify

ASSIGNED = "appraisal.reviews_assigned"
WINDOW_OPEN = "appraisal.review_window_open"
WINDOW_CLOSING = "appraisal.review_window_closing"

# How long before the review window ends assessors with reviews left are reminded.
CLOSING_NOTICE = timedelta(days=3)


def register_notification_kinds() -> None:
    register_kinds(
        {
            ASSIGNED: gettext_lazy("Submissions were given to you to review"),
            WINDOW_OPEN: gettext_lazy("A panel you sit on is open for reviews"),
            WINDOW_CLOSING: gettext_lazy("A panel's review window is about to close"),
        }
    )


def review_window(challenge: Any) -> Phase | None:
    """The challenge's phase in which assessors review, or None if its kind has none."""
    for phase in challenge.phases.all():
        try:
            allows = phase_type(challenge.kind, phase.key).allows
        except (KeyError, ValueError):
            continue
        if Action.REVIEW in allows:
            return phase
    return None


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _window_text(window: Phase | None, now: datetime) -> str:
    if window is None:
        return ""
    if window.starts_at > now:
        if window.ends_at:
            return _("Reviewing runs from %(start)s to %(end)s.") % {
                "start": _when(window.starts_at),
                "end": _when(window.ends_at),
            }
        return _("Reviewing opens on %(start)s.") % {"start": _when(window.starts_at)}
    if window.ends_at:
        return _("Reviewing is open until %(end)s.") % {"end": _when(window.ends_at)}
    return _("Reviewing is open now.")


def _queue_url(panel: Panel) -> str:
    return reverse("appraisal:queue", args=[panel.challenge_id])


def _reviews_waiting(count: int, title: str) -> str:
    return ngettext(
        "%(count)s review waits for you on ‘%(title)s’",
        "%(count)s reviews wait for you on ‘%(title)s’",
        count,
    ) % {"count": count, "title": title}


def tell_assessors_assigned(
    *, actor: Any, panel: Panel, assessor_ids: Iterable[int], now: datetime | None = None
) -> int:
    """Tell each assessor how many submissions were just given to them (one notice each,
    however many). Call it inside the transaction that stores the assignments."""
    counts = Counter(assessor_ids)
    if not counts:
        return 0
    challenge = panel.challenge
    body = " ".join(
        part
        for part in (
            _("Declare your interests in each submission, then score it against the criteria."),
            _window_text(review_window(challenge), now or timezone.now()),
        )
        if part
    )
    told = 0
    for assessor_id, count in sorted(counts.items()):
        told += notify(
            recipients=[assessor_id],
            kind=ASSIGNED,
            title=ngettext(
                "You have %(count)s new submission to review for ‘%(title)s’",
                "You have %(count)s new submissions to review for ‘%(title)s’",
                count,
            )
            % {"count": count, "title": challenge.title},
            body=body,
            url=_queue_url(panel),
            actor=actor,
        )
    return told


def _outstanding(panel: Panel) -> Any:
    return Assignment.objects.filter(
        panel=panel, submitted_at__isnull=True, conflict_at__isnull=True
    )


def _claim(panel: Panel, field: str, moment: datetime) -> bool:
    """Mark ``panel`` as told about ``moment``, unless it already was; True if this call did."""
    return bool(
        Panel.objects.filter(pk=panel.pk)
        .filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: moment}))
        .update(**{field: moment})
    )


def _send_opened(panel: Panel, window: Phase, now: datetime) -> int:
    with transaction.atomic():
        if not _claim(panel, "window_opened_notice_for", window.starts_at):
            return 0
        # Those given reviews after the window opened were told so when they got them.
        waiting = Counter(
            _outstanding(panel)
            .filter(created_at__lt=window.starts_at)
            .values_list("assessor_id", flat=True)
        )
        for assessor_id, count in sorted(waiting.items()):
            notify(
                recipients=[assessor_id],
                kind=WINDOW_OPEN,
                title=_reviews_waiting(count, panel.challenge.title),
                body=" ".join(
                    (
                        _("The panel is open for reviews."),
                        _window_text(window, now),
                        _("Declare your interests in each submission before scoring it."),
                    )
                ),
                url=_queue_url(panel),
            )
        _audit_notice(panel, "opened", len(waiting))
    return len(waiting)


def _send_closing(panel: Panel, window: Phase, now: datetime) -> int:
    assert window.ends_at is not None
    with transaction.atomic():
        if not _claim(panel, "window_closing_notice_for", window.ends_at):
            return 0
        waiting = Counter(_outstanding(panel).values_list("assessor_id", flat=True))
        for assessor_id, count in sorted(waiting.items()):
            notify(
                recipients=[assessor_id],
                kind=WINDOW_CLOSING,
                title=ngettext(
                    "%(count)s review left on ‘%(title)s’: reviewing closes on %(end)s",
                    "%(count)s reviews left on ‘%(title)s’: reviewing closes on %(end)s",
                    count,
                )
                % {"count": count, "title": panel.challenge.title, "end": _when(window.ends_at)},
                body=_("Score them before the window closes, or tell the lead if you cannot."),
                url=_queue_url(panel),
            )
        _audit_notice(panel, "closing", len(waiting))
    return len(waiting)


def _audit_notice(panel: Panel, which: str, told: int) -> None:
    audit_record(
        actor=None,
        action="appraisal.assessors_reminded",
        target=panel,
        organisation=panel.challenge.organisation,
        data={"window": which, "assessors": told},
    )


def review_window_notices_send(*, now: datetime | None = None) -> int:
    """Tell assessors of every open panel whose review window has opened, or closes within
    ``CLOSING_NOTICE``, and who have reviews waiting; return how many were told.

    A window that has already ended, a closed panel and published results are left alone.
    """
    now = now or timezone.now()
    panels = (
        Panel.objects.filter(status=PanelStatus.OPEN, results_published_at__isnull=True)
        .select_related("challenge__organisation")
        .prefetch_related("challenge__phases")
        .order_by("id")
    )
    told = 0
    for panel in panels:
        window = review_window(panel.challenge)
        if window is None or window.starts_at > now:
            continue
        if window.ends_at is not None and window.ends_at <= now:
            continue
        closing_soon = window.ends_at is not None and window.ends_at - now <= CLOSING_NOTICE
        if panel.window_opened_notice_for != window.starts_at:
            if closing_soon:
                # One notice is enough: the one saying the window is about to close.
                _claim(panel, "window_opened_notice_for", window.starts_at)
            else:
                told += _send_opened(panel, window, now)
        if closing_soon and panel.window_closing_notice_for != window.ends_at:
            told += _send_closing(panel, window, now)
    return told
