"""Pages for the three kinds of round: challenge prizes (set-up, the public prize page and an
entry's eligibility answers), fund rounds (set-up, the fund page, applying, the lead's awards
with what is left, each application with its award letter, milestone reports and payments)
and hack days (set-up, the event page with registration and teams, and prototypes). Judging
goes through the panel pages; the results through the results page.

As elsewhere in appraisal: a round someone may not see answers 404 (or the sign-in page);
someone who sees it but may not do this gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicflow.appraisal import permissions, selectors, services
from civicflow.appraisal.forms import (
    ApplicationForm,
    EligibilityForm,
    FundForm,
    GrantForm,
    HackDayForm,
    PaymentForm,
    PrizeForm,
    PrizeTiersForm,
    PrototypeForm,
    RegistrationForm,
    ReportForm,
    TeamForm,
)
from civicflow.appraisal.models import (
    Application,
    EligibilityAnswer,
    FundRound,
    HackDay,
    HackTeam,
    Prize,
)
from civicflow.appraisal.views import _base, _challenge, _refused, _run
from civicflow.challenges.models import Challenge, Kind
from civicflow.core.forms import apply_validation_error
from civicflow.core.signin import sign_in_first
from civicflow.ideas.models import CLOSED_STATUSES, CoAuthor, CoAuthorStatus, Idea
from civicflow.ideas.selectors import idea_get


def _of_kind(challenge: Challenge, kind: str) -> None:
    if challenge.kind != kind:
        raise Http404


def _my_ideas(user: Any, challenge: Challenge) -> list[Idea]:
    """The open ideas ``user`` writes in ``challenge``: as their author or as a co-author who
    accepted the invitation (the same people ``permissions.is_author`` lets act for it)."""
    if not user.is_authenticated:
        return []
    coauthored = CoAuthor.objects.filter(
        idea=OuterRef("pk"), user=user, status=CoAuthorStatus.ACCEPTED
    )
    return list(
        Idea.objects.filter(challenge=challenge, hidden_at__isnull=True)
        .filter(Q(author=user) | Exists(coauthored))
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("id")
    )


# Challenge prizes --------------------------------------------------------------------------


@sign_in_first
@require_GET
def prize_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The prize: its pot, tiers, eligibility questions and closing date."""
    challenge = _challenge(request, challenge_id)
    _of_kind(challenge, Kind.PRIZE)
    can_run = permissions.can_run_appraisal(request.user, challenge)
    prize = Prize.objects.filter(challenge=challenge).prefetch_related("tiers", "questions").first()
    if prize is None and not can_run:
        raise Http404
    entries = _my_ideas(request.user, challenge) if prize else []
    answered = (
        set(
            EligibilityAnswer.objects.filter(question__prize=prize, idea__in=entries).values_list(
                "idea_id", flat=True
            )
        )
        if entries
        else set()
    )
    panel = selectors.panel_of(challenge)
    return render(
        request,
        "appraisal/prize.html",
        _base(
            challenge,
            prize=prize,
            tiers_fixed=services.judging_begun(prize) if prize and can_run else "",
            is_open=prize is not None and timezone.now() < prize.closes_at,
            entries=[(idea, idea.pk in answered) for idea in entries],
            can_run=can_run,
            panel=panel,
            results=panel is not None and permissions.can_view_results(request.user, panel),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def prize_setup_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Leads set up the prize: pot, tiers, eligibility questions and closing date."""
    challenge = _run(request, challenge_id)
    _of_kind(challenge, Kind.PRIZE)
    if Prize.objects.filter(challenge=challenge).exists():
        messages.info(request, _("The prize is already set up."))
        return redirect("appraisal:prize", challenge_id=challenge.pk)
    form = PrizeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prize_create(
                actor=request.user,
                challenge=challenge,
                pot=form.cleaned_data["pot"],
                closes_at=form.cleaned_data["closes_at"],
                tiers=form.tiers(),
                questions=form.question_list(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Prize set up."))
            return redirect("appraisal:prize", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/prize_setup.html",
        _base(challenge, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def prize_tiers_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Leads change, add and remove the prize's tiers until judging begins."""
    challenge = _run(request, challenge_id)
    _of_kind(challenge, Kind.PRIZE)
    prize = Prize.objects.filter(challenge=challenge).prefetch_related("tiers").first()
    if prize is None:
        messages.info(request, _("Set up the prize first."))
        return redirect("appraisal:prize_setup", challenge_id=challenge.pk)
    prize.challenge = challenge
    if why := services.judging_begun(prize):
        # Nothing is changed; the prize page says why, beside the tiers as they stand.
        (messages.info if request.method == "GET" else messages.error)(request, why)
        return redirect("appraisal:prize", challenge_id=challenge.pk)
    form = PrizeTiersForm(request.POST or None, tiers=prize.tiers.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.prize_tiers_change(actor=request.user, prize=prize, tiers=form.changes())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Prize tiers saved."))
            return redirect("appraisal:prize", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/prize_tiers.html",
        _base(challenge, form=form, prize=prize),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    """An entry's authors answer the prize's eligibility questions."""
    idea = idea_get(user=request.user, pk=idea_id)
    if idea is None:
        raise Http404
    prize = (
        Prize.objects.filter(challenge_id=idea.challenge_id)
        .select_related("challenge__organisation")
        .prefetch_related("questions")
        .first()
    )
    if prize is None:
        raise Http404
    if not permissions.is_author(request.user, idea):
        raise PermissionDenied
    questions = list(prize.questions.all())
    given = dict(
        EligibilityAnswer.objects.filter(question__prize=prize, idea=idea).values_list(
            "question_id", "answer"
        )
    )
    initial = {f"q_{q}": "yes" if a else "no" for q, a in given.items()}
    form = EligibilityForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.eligibility_answer(
                actor=request.user, prize=prize, idea=idea, answers=form.answers()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Eligibility answers saved."))
            return redirect("appraisal:prize", challenge_id=prize.challenge_id)
    return render(
        request,
        "appraisal/eligibility.html",
        _base(prize.challenge, idea=idea, prize=prize, form=form),
        status=400 if form.errors else 200,
    )


# Fund rounds -------------------------------------------------------------------------------


def _fund_or_404(challenge: Challenge) -> FundRound:
    fund_round = FundRound.objects.filter(challenge=challenge).first()
    if fund_round is None:
        raise Http404
    return fund_round


@sign_in_first
@require_GET
def fund_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The fund round: its budget and rules; for its leads, what is awarded, left and paid."""
    challenge = _challenge(request, challenge_id)
    _of_kind(challenge, Kind.FUND_ROUND)
    can_run = permissions.can_run_appraisal(request.user, challenge)
    fund_round = FundRound.objects.filter(challenge=challenge).first()
    if fund_round is None and not can_run:
        raise Http404
    mine = (
        list(
            Application.objects.filter(
                fund_round=fund_round, idea__in=_my_ideas(request.user, challenge)
            ).select_related("idea", "grant")
        )
        if fund_round and request.user.is_authenticated
        else []
    )
    money: dict[str, int] = {}
    if fund_round is not None and can_run:
        committed = selectors.fund_committed(fund_round)
        money = {
            "committed": committed,
            "remaining": fund_round.budget - committed,
            "paid": selectors.fund_paid(fund_round),
        }
    panel = selectors.panel_of(challenge)
    return render(
        request,
        "appraisal/fund.html",
        _base(
            challenge,
            fund_round=fund_round,
            money=money,
            mine=mine,
            can_run=can_run,
            results=panel is not None and permissions.can_view_results(request.user, panel),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_setup_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Leads set up the fund round: its budget, largest grant and whether it pays on outcomes."""
    challenge = _run(request, challenge_id)
    _of_kind(challenge, Kind.FUND_ROUND)
    if FundRound.objects.filter(challenge=challenge).exists():
        messages.info(request, _("The fund round is already set up."))
        return redirect("appraisal:fund", challenge_id=challenge.pk)
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_round_create(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Fund round set up."))
            return redirect("appraisal:fund", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/fund_setup.html",
        _base(challenge, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_apply_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Apply for a grant for one of your ideas, with the amount, plan and milestones."""
    challenge = _challenge(request, challenge_id)
    fund_round = _fund_or_404(challenge)
    ideas = [
        i
        for i in _my_ideas(request.user, challenge)
        if not Application.objects.filter(idea=i).exists()
    ]
    form = ApplicationForm(request.POST or None, ideas=ideas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                actor=request.user,
                fund_round=fund_round,
                idea=next(i for i in ideas if i.pk == data["idea"]),
                amount_requested=data["amount_requested"],
                plan=data["plan"],
                outcomes=data["outcomes"],
                organisation_name=data["organisation_name"],
                milestones=form.milestones(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Application sent."))
            return redirect("appraisal:application", application_id=application.pk)
    return render(
        request,
        "appraisal/fund_apply.html",
        _base(challenge, fund_round=fund_round, form=form, has_ideas=bool(ideas)),
        status=400 if form.errors else 200,
    )


def _applications_of(fund_round: FundRound) -> list[Application]:
    return list(
        Application.objects.filter(fund_round=fund_round)
        .select_related("idea", "applicant", "grant")
        .order_by("id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_awards_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The lead's awards: every application, what is left in the fund, and the grant form."""
    challenge = _run(request, challenge_id)
    fund_round = _fund_or_404(challenge)
    applications = _applications_of(fund_round)
    waiting = [a for a in applications if not hasattr(a, "grant")]
    form = GrantForm(request.POST or None, applications=waiting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_award(
                actor=request.user,
                application=next(a for a in waiting if a.pk == data["application"]),
                amount=data["amount"],
                reason=data["reason"],
                letter=data["letter"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Grant awarded."))
            return redirect("appraisal:fund_awards", challenge_id=challenge.pk)
    committed = selectors.fund_committed(fund_round)
    return render(
        request,
        "appraisal/fund_awards.html",
        _base(
            challenge,
            fund_round=fund_round,
            applications=applications,
            committed=committed,
            remaining=fund_round.budget - committed,
            form=form,
            has_waiting=bool(waiting),
            sees_authors=permissions.sees_authors(request.user, selectors.panel_of(challenge)),
        ),
        status=400 if form.errors else 200,
    )


def _application(request: HttpRequest, application_id: int) -> tuple[Application, bool]:
    """The application, for its authors and the round's leads; whether the caller runs it."""
    application = (
        Application.objects.select_related(
            "idea", "applicant", "grant", "fund_round__challenge__organisation"
        )
        .prefetch_related("milestones__reports")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    challenge = _challenge(request, application.fund_round.challenge_id)
    runs = permissions.can_run_appraisal(request.user, challenge)
    if not (runs or permissions.is_author(request.user, application.idea)):
        raise PermissionDenied
    return application, runs


@login_required
@require_http_methods(["GET", "POST"])
def application_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """An application and its grant: milestones, reports and payments."""
    application, runs = _application(request, application_id)
    challenge = application.fund_round.challenge
    grant = getattr(application, "grant", None)
    milestones = list(application.milestones.all())
    report_form = ReportForm(milestones=milestones)
    payment_form = PaymentForm(milestones=milestones)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if grant is None:
                raise ValidationError(_("Milestones are reported once a grant is awarded."))
            if action == "report":
                report_form = ReportForm(request.POST, milestones=milestones)
                if report_form.is_valid():
                    services.milestone_report(
                        actor=request.user,
                        milestone=next(
                            m for m in milestones if m.pk == report_form.cleaned_data["milestone"]
                        ),
                        report=report_form.cleaned_data["report"],
                        outcome_achieved=report_form.cleaned_data["outcome_achieved"],
                    )
                    messages.success(request, _("Report saved."))
                    return redirect("appraisal:application", application_id=application.pk)
            elif action == "pay":
                if not runs:
                    raise PermissionDenied
                payment_form = PaymentForm(request.POST, milestones=milestones)
                if payment_form.is_valid():
                    data = payment_form.cleaned_data
                    services.payment_record(
                        actor=request.user,
                        grant=grant,
                        amount=data["amount"],
                        milestone=next((m for m in milestones if m.pk == data["milestone"]), None),
                        note=data["note"],
                    )
                    messages.success(request, _("Payment recorded."))
                    return redirect("appraisal:application", application_id=application.pk)
            else:
                raise ValidationError(_("Choose what to do."))
            status = 400
        except ValidationError as error:
            if action == "pay":
                apply_validation_error(payment_form, error)
            elif action == "report":
                apply_validation_error(report_form, error)
            else:
                _refused(request, error)
                return redirect("appraisal:application", application_id=application.pk)
            status = 400
    payments = list(grant.payments.select_related("milestone")) if grant else []
    paid = sum(p.amount for p in payments)
    return render(
        request,
        "appraisal/application.html",
        _base(
            challenge,
            application=application,
            fund_round=application.fund_round,
            grant=grant,
            milestones=milestones,
            payments=payments,
            paid=paid,
            left_to_pay=(grant.amount - paid) if grant else 0,
            runs=runs,
            report_form=report_form,
            payment_form=payment_form,
            sees_authors=permissions.sees_authors(request.user, selectors.panel_of(challenge)),
        ),
        status=status,
    )


@login_required
@require_GET
def award_letter_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """The award letter of a grant, for its holder and the round's leads."""
    application, _runs = _application(request, application_id)
    grant = getattr(application, "grant", None)
    if grant is None:
        raise Http404
    return render(
        request,
        "appraisal/award_letter.html",
        _base(
            application.fund_round.challenge,
            application=application,
            fund_round=application.fund_round,
            grant=grant,
        ),
    )


# Hack days ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hack_day_setup_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Leads set up the event: when, where (a place, an online link or both), how many."""
    challenge = _run(request, challenge_id)
    _of_kind(challenge, Kind.HACK_DAY)
    if HackDay.objects.filter(challenge=challenge).exists():
        messages.info(request, _("The hack day is already set up."))
        return redirect("appraisal:hack_day", challenge_id=challenge.pk)
    form = HackDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hack_day_create(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Hack day set up."))
            return redirect("appraisal:hack_day", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/hack_day_setup.html",
        _base(challenge, form=form),
        status=400 if form.errors else 200,
    )


def _left_message(outcome: str, team: str) -> str:
    if outcome == "dissolved":
        return _(
            "You left %(team)s. You were its last member and it had no prototype, so the team "
            "is dissolved and its idea is free for a new team."
        ) % {"team": team}
    if outcome == "kept":
        return _(
            "You left %(team)s. You were its last member: the team and its prototype stay on "
            "the hack day to be judged, and anyone registered can join to carry on."
        ) % {"team": team}
    return _("You left %(team)s.") % {"team": team}


@sign_in_first
@require_http_methods(["GET", "POST"])
def hack_day_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The event: when and where, places left, registration, and teams around ideas with the
    skills they still need."""
    challenge = _challenge(request, challenge_id)
    _of_kind(challenge, Kind.HACK_DAY)
    can_run = permissions.can_run_appraisal(request.user, challenge)
    hack_day = HackDay.objects.filter(challenge=challenge).first()
    if hack_day is None:
        if can_run:
            return redirect("appraisal:hack_day_setup", challenge_id=challenge.pk)
        raise Http404
    user = request.user
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registration = (
        hack_day.registrations.filter(user_id=user.pk).first() if user.is_authenticated else None
    )
    teams = list(
        hack_day.teams.select_related("idea", "prototype").prefetch_related(Prefetch("members"))
    )
    my_team = next((t for t in teams if any(m.pk == user.pk for m in t.members.all())), None)
    free_ideas = list(
        Idea.objects.filter(challenge=challenge, hidden_at__isnull=True, hack_team__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("title", "id")
    )
    register_form = RegistrationForm()
    team_form = TeamForm(ideas=free_ideas)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "register":
                register_form = RegistrationForm(request.POST)
                if register_form.is_valid():
                    services.hack_day_register(
                        actor=user, hack_day=hack_day, skills=register_form.skill_list()
                    )
                    messages.success(request, _("You are registered."))
                    return redirect("appraisal:hack_day", challenge_id=challenge.pk)
                status = 400
            elif action == "form_team":
                team_form = TeamForm(request.POST, ideas=free_ideas)
                if team_form.is_valid():
                    services.hack_team_form(
                        actor=user,
                        hack_day=hack_day,
                        idea=next(i for i in free_ideas if i.pk == team_form.cleaned_data["idea"]),
                        name=team_form.cleaned_data["name"],
                        skills_needed=team_form.skill_list(),
                    )
                    messages.success(request, _("Team formed."))
                    return redirect("appraisal:hack_day", challenge_id=challenge.pk)
                status = 400
            elif action == "join":
                team = next((t for t in teams if str(t.pk) == request.POST.get("team")), None)
                if team is None:
                    raise ValidationError(_("Choose a team to join."))
                services.hack_team_join(actor=user, team=team)
                messages.success(request, _("You joined %(team)s.") % {"team": team.name})
                return redirect("appraisal:hack_day", challenge_id=challenge.pk)
            elif action == "leave":
                if my_team is None or str(my_team.pk) != request.POST.get("team"):
                    raise ValidationError(_("You are not in this team."))
                outcome = services.hack_team_leave(actor=user, team=my_team)
                messages.success(request, _left_message(outcome, my_team.name))
                return redirect("appraisal:hack_day", challenge_id=challenge.pk)
            elif action == "unregister":
                outcome = services.hack_day_unregister(actor=user, hack_day=hack_day)
                text = _("You have given up your place at the hack day.")
                if outcome:
                    text = f"{text} {_left_message(outcome, my_team.name if my_team else '')}"
                messages.success(request, text)
                return redirect("appraisal:hack_day", challenge_id=challenge.pk)
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as error:
            if action == "register":
                apply_validation_error(register_form, error)
                status = 400
            elif action == "form_team":
                apply_validation_error(team_form, error)
                status = 400
            else:
                _refused(request, error)
                return redirect("appraisal:hack_day", challenge_id=challenge.pk)
    panel = selectors.panel_of(challenge)
    registered = hack_day.registrations.count()
    return render(
        request,
        "appraisal/hack_day.html",
        _base(
            challenge,
            hack_day=hack_day,
            registered=registered,
            places_left=max(hack_day.capacity - registered, 0),
            registration=registration,
            teams=teams,
            my_team=my_team,
            register_form=register_form,
            team_form=team_form,
            has_free_ideas=bool(free_ideas),
            can_leave=not services.membership_fixed(hack_day),
            can_run=can_run,
            sees_authors=permissions.sees_authors(user, panel),
            results=panel is not None and permissions.can_view_results(user, panel),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def prototype_view(request: HttpRequest, hack_team_id: int) -> HttpResponse:
    """A team's members submit or change its prototype while judging is open."""
    team = (
        HackTeam.objects.select_related("hack_day__challenge__organisation", "idea")
        .filter(pk=hack_team_id)
        .first()
    )
    if team is None:
        raise Http404
    challenge = _challenge(request, team.hack_day.challenge_id)
    if not team.members.filter(pk=request.user.pk).exists():
        raise PermissionDenied
    prototype = getattr(team, "prototype", None)
    initial = (
        {
            "description": prototype.description,
            "link": prototype.link,
            "screenshots": "\n".join(prototype.screenshots),
        }
        if prototype
        else {}
    )
    form = PrototypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.prototype_submit(
                actor=request.user,
                team=team,
                description=form.cleaned_data["description"],
                link=form.cleaned_data["link"],
                screenshots=form.screenshot_list(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Prototype saved."))
            return redirect("appraisal:hack_day", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/prototype.html",
        _base(challenge, team=team, form=form),
        status=400 if form.errors else 200,
    )
