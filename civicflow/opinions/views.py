"""Pages for opinion maps: a challenge's conversations, voting one statement at a time,
adding statements, the report, moderation, and Pol.is import and export.

Each view parses input, checks a permission predicate, calls one service or selector and
renders. A conversation someone may not see answers 404 (or the sign-in page, to someone not
signed in), whether or not it exists; a member who lacks the role gets 403. Every form works
without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.challenges import selectors as challenge_selectors
from civicflow.challenges.models import Challenge
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import paginate_request as _page
from civicflow.core.signin import not_visible as _not_visible
from civicflow.core.signin import sign_in_first as _sign_in_first
from civicflow.opinions import exchange, permissions, plot, selectors, services
from civicflow.opinions.forms import (
    ConversationEditForm,
    ConversationForm,
    ImportForm,
    ModerateForm,
    StatementForm,
    VoteForm,
)
from civicflow.opinions.models import Conversation, StatementStatus, VoteValue


def _challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    challenge = challenge_selectors.challenge_get(
        user=request.user, organisation_slug=slug, slug=challenge_slug
    )
    if challenge is None:
        raise _not_visible(request)
    return challenge


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_get(user=request.user, pk=pk)
    if conversation is None:
        raise _not_visible(request)
    return conversation


def _run(request: HttpRequest, pk: int) -> Conversation:
    """Return the conversation if the person runs it: 404 for outsiders, 403 for members."""
    conversation = _conversation(request, pk)
    if not permissions.can_run_conversation(request.user, conversation):
        raise PermissionDenied
    return conversation


def _crumbs(challenge: Challenge, conversation: Conversation | None = None) -> list[Any]:
    organisation = challenge.organisation
    crumbs = [
        {"text": _("Challenges"), "href": reverse("challenges:list")},
        {
            "text": organisation.name,
            "href": reverse("challenges:organisation", args=[organisation.slug]),
        },
        {"text": challenge.title, "href": challenge.get_absolute_url()},
        {
            "text": _("Opinion maps"),
            "href": reverse("opinions:list", args=[organisation.slug, challenge.slug]),
        },
    ]
    if conversation is not None:
        crumbs.append({"text": conversation.question, "href": conversation.get_absolute_url()})
    return crumbs


def _context(request: HttpRequest, conversation: Conversation, **extra: Any) -> dict[str, Any]:
    return {
        "conversation": conversation,
        "challenge": conversation.challenge,
        "organisation": conversation.organisation,
        "can_run": permissions.can_run_conversation(request.user, conversation),
        "breadcrumbs": _crumbs(conversation.challenge, conversation),
        **extra,
    }


# A challenge's conversations -----------------------------------------------------------------


@_sign_in_first
@require_GET
def conversation_list_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """List the conversations on a challenge, newest first."""
    challenge = _challenge(request, slug, challenge_slug)
    page = _page(request, selectors.conversations_of(challenge=challenge))
    return render(
        request,
        "opinions/conversation_list.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "page": page,
            "can_start": permissions.can_start_conversation(request.user, challenge),
            "breadcrumbs": _crumbs(challenge)[:-1],
        },
    )


def _starter(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    challenge = _challenge(request, slug, challenge_slug)
    if not permissions.can_start_conversation(request.user, challenge):
        raise PermissionDenied
    return challenge


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def conversation_create_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Start a conversation on a challenge (its innovation leads)."""
    challenge = _starter(request, slug, challenge_slug)
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_create(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The conversation has started. Add seed statements for people to vote on."),
            )
            return redirect("opinions:statement_create", conversation.pk)
    return render(
        request,
        "opinions/conversation_form.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "form": form,
            "breadcrumbs": _crumbs(challenge),
        },
        status=400 if form.errors else 200,
    )


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def conversation_import_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Bring in a conversation from a Pol.is export's files (the challenge's leads)."""
    challenge = _starter(request, slug, challenge_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = {
            "comments.csv": form.cleaned_data["comments"],
            "votes.csv": form.cleaned_data["votes"],
            "participants-votes.csv": form.cleaned_data["participants_votes"],
            "summary.csv": form.cleaned_data["summary"],
        }
        try:
            export = exchange.read_uploads(files, archive=form.cleaned_data["archive"])
            conversation = exchange.conversation_import(
                actor=request.user,
                challenge=challenge,
                export=export,
                question=form.cleaned_data["question"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The conversation was imported. Its map is being worked out and will appear "
                    "in the report shortly."
                ),
            )
            return redirect(conversation)
    return render(
        request,
        "opinions/conversation_import.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "form": form,
            "file_fields": [
                form[name]
                for name in ("archive", "comments", "votes", "participants_votes", "summary")
            ],
            "breadcrumbs": _crumbs(challenge),
        },
        status=400 if form.errors else 200,
    )


# Taking part ---------------------------------------------------------------------------------


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    vote_form: VoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    statement, progress = selectors.next_statement(user=request.user, conversation=conversation)
    return render(
        request,
        "opinions/conversation.html",
        _context(
            request,
            conversation,
            statement=statement,
            progress=progress,
            vote_form=vote_form,
            cannot_take_part=permissions.why_cannot_take_part(request.user, conversation),
            cannot_add=permissions.why_cannot_add_statement(request.user, conversation),
            votes=VoteValue,
        ),
        status=status,
    )


@_sign_in_first
@require_GET
def conversation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the question and one statement to vote on, chosen to teach the map the most."""
    return _conversation_page(request, _conversation(request, pk))


def _back_to(request: HttpRequest, conversation: Conversation) -> str:
    """Return where to go after a vote: the page it came from in this site, or the
    conversation's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return conversation.get_absolute_url()


@login_required
@_sign_in_first
@require_POST
def vote_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Agree, disagree or pass on a statement, or change a vote."""
    conversation = _conversation(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _conversation_page(request, conversation, vote_form=form, status=400)
    statement = selectors.statement_get(
        conversation=conversation, pk=form.cleaned_data["statement"]
    )
    if statement is None:
        raise Http404
    try:
        services.vote_cast(user=request.user, statement=statement, value=form.cleaned_data["value"])
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect(conversation)
    except ValidationError as error:
        # About the statement, whichever field the service names: shown above the buttons.
        form.add_error(None, error.messages)
        return _conversation_page(request, conversation, vote_form=form, status=400)
    label = VoteValue(form.cleaned_data["value"]).label
    messages.success(
        request,
        _("Your vote on ‘%(statement)s’ is recorded: %(vote)s.")
        % {"statement": statement.text, "vote": str(label).lower()},
    )
    return redirect(_back_to(request, conversation))


@_sign_in_first
@require_GET
def statement_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    """List every statement open for votes, with its votes and yours, to vote or change."""
    conversation = _conversation(request, pk)
    page = _page(
        request, selectors.statements_with_votes(user=request.user, conversation=conversation)
    )
    return render(
        request,
        "opinions/statement_list.html",
        _context(
            request,
            conversation,
            page=page,
            can_vote=permissions.can_take_part(request.user, conversation),
            votes=VoteValue,
            here=request.get_full_path(),
        ),
    )


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def statement_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a statement (seed statements by the leads; others while they may take part)."""
    conversation = _conversation(request, pk)
    cannot = permissions.why_cannot_add_statement(request.user, conversation)
    form = StatementForm(request.POST or None) if not cannot else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            statement = services.statement_add(
                actor=request.user, conversation=conversation, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if statement.status == StatementStatus.PENDING:
                messages.success(
                    request,
                    _("Thank you. Your statement will appear once a moderator has accepted it."),
                )
            else:
                messages.success(request, _("Your statement has been added for people to vote on."))
            if request.POST.get("another"):
                return redirect("opinions:statement_create", conversation.pk)
            return redirect(conversation)
    return render(
        request,
        "opinions/statement_form.html",
        _context(request, conversation, form=form, cannot=cannot),
        status=400 if form is not None and form.errors else 200,
    )


# The report ----------------------------------------------------------------------------------


@_sign_in_first
@require_GET
def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the opinion map: the groups, what each thinks, what unites and divides them."""
    conversation = _conversation(request, pk)
    report = selectors.report_get(user=request.user, conversation=conversation)
    points: list[plot.Point] = []
    if report.ready and report.analysis is not None:
        points = plot.map_points(
            report.analysis.result.get("participants", {}), mine=report.my_participant_id
        )
    legend = [{"group": group, "point": plot.legend_point(group.group)} for group in report.groups]
    return render(
        request,
        "opinions/report.html",
        _context(
            request,
            conversation,
            report=report,
            points=points,
            legend=legend,
            ungrouped=plot.legend_point(-1),
            width=plot.WIDTH,
            height=plot.HEIGHT,
            sampled=report.analysis is not None and len(points) < report.analysis.participants,
        ),
    )


# Running a conversation ----------------------------------------------------------------------


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def conversation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the question or moderation, or close or reopen the conversation."""
    conversation = _run(request, pk)
    initial = {
        "question": conversation.question,
        "description": conversation.description,
        "moderation": conversation.moderation,
        "state": conversation.state,
    }
    form = ConversationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_update(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(conversation)
    return render(
        request,
        "opinions/conversation_edit.html",
        _context(request, conversation, form=form, export_files=exchange.EXPORT_FILES),
        status=400 if form.errors else 200,
    )


MODERATION_TABS = (
    (StatementStatus.PENDING, _("Waiting")),
    (StatementStatus.ACCEPTED, _("Accepted")),
    (StatementStatus.REJECTED, _("Rejected")),
)


@login_required
@_sign_in_first
@require_GET
def moderation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """List the statements waiting for moderation (or those accepted or rejected)."""
    conversation = _run(request, pk)
    status = request.GET.get("status", StatementStatus.PENDING)
    if status not in StatementStatus.values:
        status = StatementStatus.PENDING
    page = _page(request, selectors.moderation_queue(conversation=conversation, status=status))
    counts = selectors.status_counts(conversation=conversation)
    return render(
        request,
        "opinions/moderation.html",
        _context(
            request,
            conversation,
            page=page,
            status=status,
            tabs=[(key, label, counts[key]) for key, label in MODERATION_TABS],
        ),
    )


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def moderate_view(request: HttpRequest, pk: int, statement_id: int) -> HttpResponse:
    """Accept or reject one statement, saying why."""
    conversation = _run(request, pk)
    statement = selectors.statement_get(conversation=conversation, pk=statement_id)
    if statement is None:
        raise Http404
    form = ModerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_moderate(
                actor=request.user, statement=statement, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if form.cleaned_data["status"] == StatementStatus.ACCEPTED:
                messages.success(request, _("The statement was accepted."))
            else:
                messages.success(request, _("The statement was rejected."))
            return redirect(f"{reverse('opinions:moderation', args=[conversation.pk])}")
    return render(
        request,
        "opinions/moderate.html",
        _context(request, conversation, form=form, statement=statement),
        status=400 if form.errors else 200,
    )


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@_sign_in_first
@require_GET
def export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the conversation as a Pol.is export: one zip of the four CSV files."""
    conversation = _run(request, pk)
    return _download(
        exchange.export_zip(conversation),
        f"conversation-{conversation.pk}-polis-export.zip",
        "application/zip",
    )


@login_required
@_sign_in_first
@require_GET
def export_file_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Download one CSV file of the conversation's Pol.is export."""
    conversation = _run(request, pk)
    if name not in exchange.EXPORT_FILES:
        raise Http404
    return _download(
        exchange.export_files(conversation)[name],
        f"conversation-{conversation.pk}-{name}",
        "text/csv; charset=utf-8",
    )
