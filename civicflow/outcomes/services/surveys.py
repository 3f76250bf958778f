"""Surveys: their questions, opening and closing, single-use anonymous links, answers (once
each, which the database enforces), and follow-up surveys sent a set number of weeks after an
initiative is implemented to the people it affected."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.challenges.models import Challenge
from civicflow.core.audit import audit_record
from civicflow.initiatives.models import GateDecision, Stage
from civicflow.notifications.services import notify
from civicflow.outcomes import permissions
from civicflow.outcomes.models import (
    NAME_MAX,
    Answer,
    Question,
    QuestionKind,
    Survey,
    SurveyLink,
    SurveyResponse,
    SurveyStatus,
)
from civicflow.outcomes.services.common import require_recorder

INTRO_MAX = 5_000
QUESTION_MAX = 300
CHOICE_MAX = 100
MAX_CHOICES = 12
MAX_QUESTIONS = 30
MAX_LINKS = 500
ANSWER_MAX = 5_000
MAX_FOLLOW_UP_WEEKS = 260
YES, NO = "yes", "no"


def survey_create(
    *,
    actor: Any,
    owner: Any,
    title: str,
    introduction: str = "",
    follow_up_weeks: int | None = None,
) -> Survey:
    """Create a draft survey about an initiative or a challenge (``owner``)."""
    require_recorder(actor, owner)
    title = (title or "").strip()
    introduction = (introduction or "").strip()
    is_challenge = isinstance(owner, Challenge)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Enter a title, for example ‘Did the new bin day texts help?’.")
    elif len(title) > NAME_MAX:
        errors["title"] = _("The title must be 200 characters or fewer.")
    if len(introduction) > INTRO_MAX:
        errors["introduction"] = _("The introduction must be 5,000 characters or fewer.")
    if follow_up_weeks is not None:
        if is_challenge:
            errors["follow_up_weeks"] = _("Only a survey about an initiative can follow it up.")
        elif not 1 <= follow_up_weeks <= MAX_FOLLOW_UP_WEEKS:
            errors["follow_up_weeks"] = _("Enter a number of weeks from 1 to 260.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        survey = Survey.objects.create(
            organisation=owner.organisation,
            initiative=None if is_challenge else owner,
            challenge=owner if is_challenge else None,
            title=title,
            introduction=introduction,
            follow_up_weeks=follow_up_weeks,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="outcomes.survey_created",
            target=survey,
            organisation=survey.organisation,
            data={"follow_up_weeks": follow_up_weeks},
        )
    return survey


def question_add(
    *,
    actor: Any,
    survey: Survey,
    kind: str,
    text: str,
    choices: list[str] | None = None,
    required: bool = True,
) -> Question:
    """Add a question to a draft survey."""
    require_recorder(actor, survey.owner)
    errors, text, cleaned = question_problems(kind, text, choices)
    if survey.status != SurveyStatus.DRAFT:
        errors["text"] = _("Questions can only be added while the survey is a draft.")
    count = survey.questions.count()
    if count >= MAX_QUESTIONS:
        errors["text"] = _("A survey may have at most 30 questions.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        question = Question.objects.create(
            survey=survey,
            position=count + 1,
            kind=kind,
            text=text,
            choices=cleaned if kind == QuestionKind.CHOICE else [],
            required=required,
        )
        audit_record(
            actor=actor,
            action="outcomes.question_added",
            target=survey,
            organisation=survey.organisation,
            data={"question": text, "kind": kind},
        )
    return question


def question_problems(
    kind: str, text: str, choices: list[str] | None
) -> tuple[dict[str, str], str, list[str]]:
    """Check a question's kind, text and choices; return what is wrong, the text and the
    choices cleaned."""
    text = (text or "").strip()
    cleaned = [choice.strip() for choice in choices or [] if choice and choice.strip()]
    errors: dict[str, str] = {}
    if kind not in QuestionKind.values:
        errors["kind"] = _("Choose the kind of answer.")
    if not text:
        errors["text"] = _("Enter the question.")
    elif len(text) > QUESTION_MAX:
        errors["text"] = _("The question must be 300 characters or fewer.")
    if kind == QuestionKind.CHOICE:
        if not 2 <= len(cleaned) <= MAX_CHOICES:
            errors["choices"] = _("Give from 2 to 12 choices, one a line.")
        elif len(set(cleaned)) != len(cleaned) or any(len(c) > CHOICE_MAX for c in cleaned):
            errors["choices"] = _("Give each choice once, in 100 characters or fewer.")
    elif cleaned:
        errors["choices"] = _("Only a question with choices has choices.")
    return errors, text, cleaned


def survey_set_status(*, actor: Any, survey: Survey, status: str) -> Survey:
    """Open a survey for answers, or close it (a closed survey may be opened again)."""
    require_recorder(actor, survey.owner)
    if status not in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        raise ValidationError({"status": _("Choose open or closed.")})
    if survey.status == SurveyStatus.ARCHIVED:
        raise ValidationError(
            {"status": _("This survey has been withdrawn; its answers are kept but it stays shut.")}
        )
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationError({"status": _("Add a question before opening the survey.")})
    with transaction.atomic():
        before = survey.status
        survey.status = status
        survey.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="outcomes.survey_status",
            target=survey,
            organisation=survey.organisation,
            data={"from": before, "to": status},
        )
    return survey


def link_digest(secret: str) -> str:
    """Return what is stored of an anonymous link's secret: its SHA-256 digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


def survey_links_make(*, actor: Any, survey: Survey, count: int) -> list[SurveyLink]:
    """Make ``count`` single-use anonymous links, to hand to people without an account.

    Each link returned carries its ``secret``, for the address; only its digest is stored,
    so this is the one time the secret can be shown."""
    require_recorder(actor, survey.owner)
    if survey.status == SurveyStatus.ARCHIVED:
        raise ValidationError({"count": _("This survey has been withdrawn; it takes no answers.")})
    if not 1 <= count <= MAX_LINKS or survey.links.count() + count > 10 * MAX_LINKS:
        raise ValidationError({"count": _("Make from 1 to 500 links at a time.")})
    made = [secrets.token_urlsafe(24) for _n in range(count)]
    with transaction.atomic():
        links = SurveyLink.objects.bulk_create(
            SurveyLink(survey=survey, key=link_digest(secret)) for secret in made
        )
        for link, secret in zip(links, made, strict=True):
            link.secret = secret  # type: ignore[attr-defined]
        audit_record(
            actor=actor,
            action="outcomes.survey_links_made",
            target=survey,
            organisation=survey.organisation,
            data={"count": count},
        )
    return links


def survey_link_find(secret: str) -> SurveyLink | None:
    """Return the anonymous link whose address holds ``secret``, or None."""
    if not secret or len(secret) > 64:
        return None
    return (
        SurveyLink.objects.select_related("survey__organisation")
        .filter(key=link_digest(secret))
        .first()
    )


def survey_link_revoke(*, actor: Any, link: SurveyLink) -> SurveyLink:
    """Revoke an anonymous link nobody has used, so it takes no answer. A used link cannot
    be revoked: its answers stay. Revoking a link twice changes nothing."""
    survey = link.survey
    require_recorder(actor, survey.owner)
    if SurveyResponse.objects.filter(link=link).exists():
        raise ValidationError(
            {"link": _("This link has been used; the answers given through it are kept.")}
        )
    if link.revoked_at is not None:
        return link
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="outcomes.survey_link_revoked",
            target=survey,
            organisation=survey.organisation,
            data={"link": link.pk},
        )
    return link


def _answer_problems(
    questions: list[Question], answers: dict[int, Any]
) -> tuple[dict[str, str], list[Answer]]:
    errors: dict[str, str] = {}
    rows = []
    for question in questions:
        field = f"q{question.pk}"
        raw = answers.get(question.pk)
        value = "" if raw is None else str(raw).strip()
        if not value:
            if question.required:
                errors[field] = _("Answer this question: %(q)s") % {"q": question.text}
            continue
        if question.kind == QuestionKind.SATISFACTION:
            if value not in {"1", "2", "3", "4", "5"}:
                errors[field] = _("Choose from 1 (very dissatisfied) to 5 (very satisfied).")
                continue
            rows.append(Answer(question=question, rating=int(value)))
        elif question.kind == QuestionKind.YES_NO:
            if value not in (YES, NO):
                errors[field] = _("Choose yes or no.")
                continue
            rows.append(Answer(question=question, text=value))
        elif question.kind == QuestionKind.CHOICE:
            if value not in question.choices:
                errors[field] = _("Choose one of the choices given.")
                continue
            rows.append(Answer(question=question, text=value))
        elif len(value) > ANSWER_MAX:
            errors[field] = _("Your answer must be 5,000 characters or fewer.")
        else:
            rows.append(Answer(question=question, text=value))
    return errors, rows


def survey_answer(
    *,
    survey: Survey,
    answers: dict[int, Any],
    user: Any = None,
    link: SurveyLink | None = None,
) -> SurveyResponse:
    """Store one person's answers (``answers`` by question id): a signed-in participant's, or
    an anonymous link's. Each answers once; a second response is refused."""
    if link is None:
        if not permissions.can_answer(user, survey):
            raise PermissionDenied(_("This survey is not open to you."))
    elif link.survey_id != survey.pk or survey.status != SurveyStatus.OPEN:
        raise PermissionDenied(_("This survey is not open."))
    elif link.revoked_at is not None:
        raise PermissionDenied(_("This link has been withdrawn."))
    questions = list(survey.questions.all())
    errors, rows = _answer_problems(questions, answers)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, respondent=None if link else user, link=link
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError as error:
        raise ValidationError(
            {"__all__": _("This survey has been answered already from here. Thank you.")}
        ) from error
    return response


# Follow-up surveys -------------------------------------------------------------------------


def implemented_on(initiative_id: int) -> date | None:
    """Return the day the initiative's implementation finished: the first decision, not
    corrected since, that moved it from implement on to evaluate."""
    decided = (
        GateDecision.objects.effective()
        .filter(initiative_id=initiative_id, from_stage=Stage.IMPLEMENT, to_stage=Stage.EVALUATE)
        .order_by("decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    return timezone.localdate(decided) if decided else None


def affected_people(survey: Survey) -> set[int]:
    """The people an initiative affected, as far as civicflow knows them: the author,
    co-authors and supporters of the idea it carries, the followers of that idea's challenge,
    and the initiative's team."""
    from civicflow.challenges.selectors import challenge_followers
    from civicflow.ideas.models import CoAuthorStatus

    initiative = survey.initiative
    people: set[int] = set()
    if initiative is None:
        return people
    people.update(initiative.team.values_list("user_id", flat=True))
    idea = initiative.idea
    if idea is not None:
        people.add(idea.author_id)
        people.update(idea.supports.values_list("user_id", flat=True))
        people.update(
            idea.coauthors.filter(status=CoAuthorStatus.ACCEPTED).values_list("user_id", flat=True)
        )
        people.update(challenge_followers(challenge=idea.challenge))
    return people


def follow_up_surveys_send(*, today: date | None = None) -> int:
    """Send each open follow-up survey whose weeks have passed since its initiative was
    implemented, once; return how many were sent.

    Each survey is claimed (``follow_up_sent_at`` set where it is still empty, in one
    statement) before anyone is told, so two workers never both send it.
    """
    day = today or timezone.localdate()
    waiting = Survey.objects.filter(
        follow_up_weeks__isnull=False,
        follow_up_sent_at__isnull=True,
        status=SurveyStatus.OPEN,
        initiative__isnull=False,
    ).values_list("pk", "initiative_id", "follow_up_weeks")
    sent = 0
    for survey_id, initiative_id, weeks in waiting:
        done = implemented_on(initiative_id)
        if done is None or weeks is None or done + timedelta(weeks=weeks) > day:
            continue
        with transaction.atomic():
            claimed = Survey.objects.filter(pk=survey_id, follow_up_sent_at__isnull=True).update(
                follow_up_sent_at=timezone.now()
            )
            if not claimed:
                continue
            survey = Survey.objects.select_related("initiative", "organisation").get(pk=survey_id)
            initiative = survey.initiative
            assert initiative is not None  # the filter above asked for one
            told = notify(
                recipients=affected_people(survey),
                kind="outcomes.follow_up",
                title=_("Did ‘%(title)s’ make a difference?") % {"title": initiative.title},
                body=_("%(organisation)s would like to know: %(survey)s")
                % {"organisation": survey.organisation.name, "survey": survey.title},
                url=reverse("outcomes:survey_answer", args=[survey.pk]),
            )
            audit_record(
                actor=None,
                action="outcomes.follow_up_sent",
                target=survey,
                organisation=survey.organisation,
                data={"people": told, "implemented_on": done.isoformat()},
            )
            sent += 1
    return sent
