"""What the initiative endpoints share: the router, finding the organisation or
initiative a call is about as the caller may see it, and writing initiatives and decisions
out."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Organisation
from civicflow.api.auth import signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.initiatives import permissions, selectors
from civicflow.initiatives.models import (
    GateDecision,
    Initiative,
)

router = Router(tags=["Initiatives"])


SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _not_visible(request: HttpRequest) -> Exception:
    if not _caller(request).is_authenticated:
        return ApiProblem(401, "Sign in, or send a personal API token, to see this.")
    return Http404()


def _organisation(slug: str) -> Organisation:
    organisation = accounts_selectors.organisation_get(slug=slug) if SLUG.fullmatch(slug) else None
    if organisation is None:
        raise Http404
    return organisation


def _member_organisation(request: HttpRequest, slug: str) -> tuple[Any, Organisation]:
    user = signed_in_user(request)
    organisation = _organisation(slug)
    if not permissions.can_see_portfolio(user, organisation):
        raise Http404
    return user, organisation


def _initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    initiative = selectors.initiative_get(user=_caller(request), pk=initiative_id)
    if initiative is None:
        raise _not_visible(request)
    return initiative


def _to_run(request: HttpRequest, initiative_id: int) -> tuple[Any, Initiative]:
    user = signed_in_user(request)
    initiative = _initiative(request, initiative_id)
    if not permissions.can_run_initiative(user, initiative):
        raise PermissionDenied(
            "Only the initiative's owner and delivery lead, innovation leads and "
            "administrators change an initiative."
        )
    return user, initiative


def _member(organisation: Organisation, user_id: int | None, field: str) -> Any:
    if user_id is None:
        return None
    person = accounts_selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if person is None:
        raise ValidationError({field: f"Choose a member of {organisation.name}."})
    return person


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _out(initiative: Initiative) -> dict[str, Any]:
    idea = initiative.idea
    return {
        "id": initiative.pk,
        "organisation": initiative.organisation.slug,
        "title": initiative.title,
        "summary": initiative.summary,
        "source_kind": initiative.source_kind,
        "idea_id": initiative.idea_id,
        "challenge_id": idea.challenge_id if idea is not None else None,
        "source_grant_id": initiative.source_grant_id,
        "source_award_id": initiative.source_award_id,
        "public": initiative.public,
        "stage": initiative.stage,
        "status": initiative.status,
        "business_owner": _person(initiative.business_owner),
        "delivery_lead": _person(initiative.delivery_lead),
        "stage_entered_at": initiative.stage_entered_at,
        "last_update_at": initiative.last_update_at,
        "created_at": initiative.created_at,
    }


def _decision_out(decision: GateDecision) -> dict[str, Any]:
    row = selectors.register_row(decision)
    row["decided_at"] = decision.decided_at
    return row


def _detail(initiative: Initiative) -> dict[str, Any]:
    decisions = selectors.decisions_of(initiative)
    plan = getattr(initiative, "evaluation_plan", None)
    return {
        **_out(initiative),
        "team": [
            {"user": _person(member.user), "role": member.role}
            for member in selectors.team_of(initiative)
        ],
        "stages": [
            {
                "stage": row.key,
                "planned_start": row.plan.planned_start if row.plan else None,
                "planned_end": row.plan.planned_end if row.plan else None,
                "budget": row.plan.budget if row.plan else None,
                "spent": row.plan.spent if row.plan else None,
                "entry_criteria": [
                    {"id": c.pk, "text": c.text, "met": c.is_met, "met_at": c.met_at}
                    for c in row.criteria
                ],
            }
            for row in selectors.stage_rows(initiative)
        ],
        "decisions": [_decision_out(d) for d in decisions],
        "updates": [
            {"id": u.pk, "author": str(u.author or ""), "body": u.body, "created_at": u.created_at}
            for u in initiative.updates.select_related("author").order_by("-created_at", "-id")
        ],
        "milestones": [
            {"id": m.pk, "title": m.title, "due_on": m.due_on, "done_on": m.done_on}
            for m in initiative.milestones.order_by("due_on", "id")
        ],
        "evaluation_plan": (
            {
                "question": plan.question,
                "design": plan.design,
                "sample": plan.sample,
                "measures": plan.measures,
                "review_dates": [r.due_on for r in plan.reviews.all()],
            }
            if plan is not None
            else None
        ),
    }
