"""Reminders of evaluation reviews, sent on the review date to the owner and delivery lead."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.initiatives.models import ReviewDate, Status
from civicflow.notifications.services import notify


def review_reminders_send(*, today: date | None = None) -> int:
    """Remind people of every review due by ``today`` not yet reminded; return how many.

    Each review date is claimed (``reminded_at`` set where it is still empty, in one
    statement) before its reminder is stored, so two workers never both remind it. Reviews of
    stopped initiatives are left alone.
    """
    day = today or timezone.localdate()
    due = list(
        ReviewDate.objects.filter(reminded_at__isnull=True, due_on__lte=day)
        .exclude(plan__initiative__status=Status.STOPPED)
        .order_by("due_on", "id")
        .values_list("pk", flat=True)
    )
    sent = 0
    for review_id in due:
        with transaction.atomic():
            claimed = ReviewDate.objects.filter(pk=review_id, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            review = ReviewDate.objects.select_related("plan__initiative__organisation").get(
                pk=review_id
            )
            initiative = review.plan.initiative
            notify(
                recipients=[initiative.business_owner_id, initiative.delivery_lead_id],
                kind="initiative.review_due",
                title=_("Evaluation review due for ‘%(title)s’") % {"title": initiative.title},
                body=_("The evaluation plan says to review it on %(date)s. %(what)s")
                % {"date": date_format(review.due_on, "j F Y"), "what": review.label},
                url=initiative.get_absolute_url(),
            )
            audit_record(
                actor=None,
                action="initiative.review_reminded",
                target=initiative,
                organisation=initiative.organisation,
                data={"review": review.due_on.isoformat()},
            )
            sent += 1
    return sent
