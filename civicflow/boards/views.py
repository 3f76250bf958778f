"""Pages for team improvement boards: the board, its cards, its leads and the roll-up.

Each view parses input, checks a permission predicate, calls one service or selector and
renders. People outside the organisation get 404, as for something that does not exist;
members who may not do something get 403. Every form works without JavaScript: moving a card
is a small form on the board that comes back to the card in its new column.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Organisation, Team
from civicflow.boards import permissions, selectors, services, workflow
from civicflow.boards.forms import (
    BoardLeadForm,
    CardForm,
    EffectForm,
    ImprovementFilterForm,
    MoveForm,
)
from civicflow.boards.models import Card, Status
from civicflow.boards.permissions import BoardAccess
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import PageRequestError, page_request, paginate
from civicflow.core.selectors import audit_events_for_target


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the person may see its boards, else 404."""
    organisation = accounts_selectors.organisation_get(slug=slug)
    if organisation is None or not permissions.can_view_boards(request.user, organisation):
        raise Http404
    return organisation


def _team(request: HttpRequest, slug: str, team_slug: str) -> tuple[Team, BoardAccess]:
    """Return the team and what the person may do on its board; 404 for outsiders."""
    organisation = _organisation(request, slug)
    team = selectors.team_get(organisation=organisation, slug=team_slug)
    if team is None:
        raise Http404
    return team, selectors.board_access(user=request.user, team=team)


def _card(team: Team, card_id: int) -> Card:
    card = selectors.card_get(team=team, card_id=card_id)
    if card is None:
        raise Http404
    return card


def _crumbs(team: Team | None = None, organisation: Organisation | None = None) -> list[Any]:
    organisation = organisation or (team.organisation if team else None)
    assert organisation is not None
    crumbs = [
        {"text": _("Organisations"), "href": reverse("accounts:organisations")},
        {"text": organisation.name, "href": organisation.get_absolute_url()},
        {
            "text": _("Improvement boards"),
            "href": reverse("boards:boards", args=[organisation.slug]),
        },
    ]
    if team is not None:
        crumbs.append({"text": _("%(team)s board") % {"team": team.name}, "href": _board_url(team)})
    return crumbs


def _board_url(team: Team, card: Card | None = None) -> str:
    url = reverse("boards:board", args=[team.organisation.slug, team.slug])
    return f"{url}#card-{card.pk}" if card is not None else url


def _back(request: HttpRequest, team: Team, card: Card) -> HttpResponse:
    """Go back where the person came from: the card in its column, or the card's page."""
    if request.POST.get("return_to") == "board":
        return redirect(_board_url(team, card))
    return redirect(card.get_absolute_url())


def _card_actions(access: BoardAccess, card: Card) -> dict[str, Any]:
    """Return what the person may do with ``card``, to show as buttons and forms."""
    return {
        "card": card,
        "moves": [
            (status, Status(status).label) for status in permissions.move_choices(access, card)
        ],
        "can_edit": permissions.can_edit_card(access, card),
        "can_approve": permissions.can_approve_card(access)
        and workflow.can_be_approved(card.status, approved=card.is_approved),
        "can_record_effect": permissions.can_record_effect(access)
        and workflow.can_take_effect(card.status),
    }


# Boards --------------------------------------------------------------------------------------


@login_required
@require_GET
def board_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List the organisation's teams with how many cards each board holds in each column."""
    organisation = _organisation(request, slug)
    return render(
        request,
        "boards/board_list.html",
        {
            "organisation": organisation,
            "teams": selectors.board_overview(organisation=organisation),
            "breadcrumbs": _crumbs(organisation=organisation)[:2],
        },
    )


@login_required
@require_GET
def board_view(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """Show a team's board: columns New, Trying, Adopted and Dropped, with a form on each card."""
    team, access = _team(request, slug, team_slug)
    show_all = request.GET.get("show") == "all"
    columns = selectors.board_columns(team=team, show_all=show_all)
    return render(
        request,
        "boards/board.html",
        {
            "organisation": team.organisation,
            "team": team,
            "columns": [
                {"column": column, "cards": [_card_actions(access, card) for card in column.cards]}
                for column in columns
            ],
            "leads": selectors.board_leads(team=team),
            "can_raise": permissions.can_raise_card(access),
            "can_manage_leads": permissions.can_manage_board_leads(request.user, team.organisation),
            "breadcrumbs": _crumbs(organisation=team.organisation),
        },
    )


# Cards ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def card_create_view(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """Raise a card on the team's board (members of the team and leads)."""
    team, access = _team(request, slug, team_slug)
    if not permissions.can_raise_card(access):
        raise PermissionDenied
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_raise(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Your card ‘%(title)s’ is on the board.") % {"title": card.title}
            )
            return redirect(_board_url(team, card))
    return render(
        request,
        "boards/card_form.html",
        {
            "organisation": team.organisation,
            "team": team,
            "form": form,
            "card": None,
            "breadcrumbs": _crumbs(team),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def card_view(request: HttpRequest, slug: str, team_slug: str, card_id: int) -> HttpResponse:
    """Show one card: its problem, change, status, approval, effect, history and comments."""
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    return render(
        request,
        "boards/card.html",
        {
            "organisation": team.organisation,
            "team": team,
            **_card_actions(access, card),
            "history": audit_events_for_target(target=card)[:50],
            "breadcrumbs": _crumbs(team),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_edit_view(request: HttpRequest, slug: str, team_slug: str, card_id: int) -> HttpResponse:
    """Change what a card says (whoever raised it, and leads)."""
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_edit_card(access, card):
        raise PermissionDenied
    initial = {"title": card.title, "problem": card.problem, "change": card.change}
    form = CardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.card_update(actor=request.user, card=card, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes to the card are saved."))
            return redirect(card.get_absolute_url())
    return render(
        request,
        "boards/card_form.html",
        {
            "organisation": team.organisation,
            "team": team,
            "form": form,
            "card": card,
            "breadcrumbs": _crumbs(team),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_move_view(request: HttpRequest, slug: str, team_slug: str, card_id: int) -> HttpResponse:
    """Move a card to another column; the board's small forms post here."""
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_move_card(access, card):
        raise PermissionDenied
    choices = permissions.move_choices(access, card)
    form = MoveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        if (
            status == Status.ADOPTED
            and card.effect is None
            and permissions.can_record_effect(access)
        ):
            # A lead adopting a change records its effect first, on the effect form.
            effect_url = reverse("boards:card_effect", args=[slug, team_slug, card.pk])
            return redirect(f"{effect_url}?adopt=1")
        try:
            services.card_move(
                actor=request.user, card=card, status=status, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("‘%(title)s’ moved to %(column)s.")
                % {"title": card.title, "column": Status(status).label},
            )
            return _back(request, team, card)
    return render(
        request,
        "boards/card_move.html",
        {
            "organisation": team.organisation,
            "team": team,
            "card": card,
            "form": form,
            "breadcrumbs": _crumbs(team),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def card_approve_view(
    request: HttpRequest, slug: str, team_slug: str, card_id: int
) -> HttpResponse:
    """Approve a card as a quick win the team may try now (leads)."""
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_approve_card(access):
        raise PermissionDenied
    try:
        services.card_approve(actor=request.user, card=card)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("‘%(title)s’ is approved as a quick win.") % {"title": card.title}
        )
    return _back(request, team, card)


def _effect_initial(card: Card, adopt: bool) -> dict[str, Any]:
    measured = card.effect_measured_on
    effect = card.effect
    return {
        "before": effect.before_text.replace(",", "") if effect else "",
        "after": effect.after_text.replace(",", "") if effect else "",
        "unit": card.effect_unit,
        "measured_on": measured.day if measured else "",
        "measured_on_month": measured.month if measured else "",
        "measured_on_year": measured.year if measured else "",
        "note": card.effect_note,
        "adopt": adopt,
    }


@login_required
@require_http_methods(["GET", "POST"])
def card_effect_view(request: HttpRequest, slug: str, team_slug: str, card_id: int) -> HttpResponse:
    """Record the effect of a change: before and after figures, unit, date and a note (leads)."""
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_record_effect(access):
        raise PermissionDenied
    initial = _effect_initial(card, adopt=request.GET.get("adopt") == "1")
    form = EffectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            card = services.card_record_effect(
                actor=request.user,
                card=card,
                before=data["before"],
                after=data["after"],
                unit=data["unit"],
                measured_on=data.get("measured_on_date"),
                note=data["note"],
                adopt=data["adopt"] and card.status == Status.TRYING,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if card.status == Status.ADOPTED and data["adopt"]:
                messages.success(request, _("The effect is recorded and the change adopted."))
            else:
                messages.success(request, _("The effect of the change is recorded."))
            return redirect(card.get_absolute_url())
    return render(
        request,
        "boards/card_effect.html",
        {
            "organisation": team.organisation,
            "team": team,
            "card": card,
            "form": form,
            "can_take_effect": workflow.can_take_effect(card.status),
            "can_adopt": card.status == Status.TRYING,
            "breadcrumbs": _crumbs(team),
        },
        status=400 if form.errors else 200,
    )


# Board leads ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board_leads_view(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """List the board's leads and make a team member a lead (innovation leads, administrators)."""
    team, _access = _team(request, slug, team_slug)
    if not permissions.can_manage_board_leads(request.user, team.organisation):
        raise PermissionDenied
    leads = selectors.board_leads(team=team)
    lead_ids = {lead.pk for lead in leads}
    candidates = {
        person.pk: person
        for person in selectors.team_members(team=team)
        if person.pk not in lead_ids
    }
    choices = [(pk, f"{person} ({person.email})") for pk, person in candidates.items()]
    form = BoardLeadForm(request.POST or None, members=choices)
    if request.method == "POST" and form.is_valid():
        person = candidates[form.cleaned_data["user"]]  # the choices hold only candidates
        try:
            services.board_lead_add(
                actor=request.user, team=team, user=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s now leads the board.") % {"name": person})
            return redirect("boards:leads", slug=slug, team_slug=team_slug)
    return render(
        request,
        "boards/board_leads.html",
        {
            "organisation": team.organisation,
            "team": team,
            "leads": leads,
            "form": form,
            "breadcrumbs": _crumbs(team),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def board_lead_remove_view(
    request: HttpRequest, slug: str, team_slug: str, user_id: int
) -> HttpResponse:
    """Stop someone leading the board (innovation leads, administrators)."""
    team, _access = _team(request, slug, team_slug)
    lead = next((p for p in selectors.board_leads(team=team) if p.pk == user_id), None)
    if lead is None:
        raise Http404
    if not permissions.can_manage_board_leads(request.user, team.organisation):
        raise PermissionDenied
    services.board_lead_remove(actor=request.user, team=team, user=lead)
    messages.success(request, _("%(name)s no longer leads the board.") % {"name": lead})
    return redirect("boards:leads", slug=slug, team_slug=team_slug)


# The roll-up of adopted changes --------------------------------------------------------------


def _improvement_filters(
    request: HttpRequest, organisation: Organisation
) -> tuple[ImprovementFilterForm, Team | None, Any]:
    """Return the filter form, the team chosen (or None) and the earliest adoption to show."""
    teams = list(selectors.teams_with_boards(organisation=organisation))
    form = ImprovementFilterForm(request.GET or None, teams=[(t.slug, t.name) for t in teams])
    if not form.is_valid():
        # Filters a person did not choose from the lists are ignored, not refused.
        form = ImprovementFilterForm(teams=[(t.slug, t.name) for t in teams])
        return form, None, None
    team = next((t for t in teams if t.slug == form.cleaned_data["team"]), None)
    return form, team, selectors.period_start(form.cleaned_data["period"])


@login_required
@require_GET
def improvement_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List every change adopted across the organisation's teams, with its effect."""
    organisation = _organisation(request, slug)
    form, team, since = _improvement_filters(request, organisation)
    try:
        wanted = page_request(request.GET)
    except PageRequestError:
        wanted = page_request({})
    page = paginate(
        selectors.improvements(organisation=organisation, team=team, since=since), wanted
    )
    counts = selectors.improvement_counts(organisation=organisation, since=since)
    return render(
        request,
        "boards/improvement_list.html",
        {
            "organisation": organisation,
            "filters": form,
            "page": page,
            "counts": counts,
            "total": sum(row["adopted"] for row in counts),
            "query": request.GET.urlencode(),
            "breadcrumbs": _crumbs(organisation=organisation)[:2],
        },
    )


@login_required
@require_GET
def improvement_csv_view(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Download the adopted changes, filtered as on the page, as CSV."""
    organisation = _organisation(request, slug)
    _form, team, since = _improvement_filters(request, organisation)
    cards = selectors.improvements(organisation=organisation, team=team, since=since)
    response = StreamingHttpResponse(
        selectors.improvement_csv_lines(cards.iterator(chunk_size=500)), content_type="text/csv"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-adopted-changes-{stamp}.csv"'
    )
    return response
