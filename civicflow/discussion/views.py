"""Pages for comment threads, writing and reporting comments, and the moderation queue.

Each view parses input, checks a permission predicate, calls one service or selector and
renders. Whether a person may see a target is the owning app's rule: a target they cannot see
answers 404 (or the sign-in page, to someone not signed in), as if it did not exist.

Forms are plain HTML and work without JavaScript. Where htmx sends them from a thread, the
answer is the thread again, so the page updates in place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicflow.accounts import selectors as account_selectors
from civicflow.accounts.models import Organisation
from civicflow.accounts.permissions import can_see_organisation_private
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import PageRequestError, page_request, paginate
from civicflow.discussion import permissions, selectors, services
from civicflow.discussion.forms import CommentForm, EditForm, FlagForm, ReasonForm, ReplyForm
from civicflow.discussion.models import Comment, Flag, FlagStatus
from civicflow.discussion.registry import rules_for

THREAD_TEMPLATE = "discussion/_thread.html"


# Looking things up ---------------------------------------------------------------------------


def _target(request: HttpRequest, label: str, object_id: int) -> Any | None:
    """Return the target if ``request.user`` may see it, else None."""
    target = selectors.target_get(label=label, object_id=object_id)
    if target is None or not permissions.can_view_target(request.user, target):
        return None
    return target


def _not_visible(request: HttpRequest) -> HttpResponse:
    """Send someone not signed in to sign in; tell anyone else there is nothing here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _comment(request: HttpRequest, comment_id: int) -> tuple[Comment, Any]:
    """Return the comment and its target if the user may see them, else 404."""
    comment = selectors.comment_get(comment_id=comment_id)
    if comment is None:
        raise Http404
    target = selectors.target_of(comment)
    if target is None or not permissions.can_view_target(request.user, target):
        raise Http404
    return comment, target


def _flag(request: HttpRequest, flag_id: int) -> Flag:
    """Return the flag if the user moderates its organisation; 404 to outsiders, else 403."""
    flag = selectors.flag_get(flag_id=flag_id)
    if flag is None or not can_see_organisation_private(request.user, flag.organisation):
        raise Http404
    if not permissions.can_moderate(request.user, flag.organisation):
        raise PermissionDenied
    return flag


def _next_url(request: HttpRequest, default: str) -> str:
    """Return the page to go back to: the ``next`` the form sent, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _thread_url(target: Any, comment: Comment | None = None) -> str:
    url = reverse(
        "discussion:thread",
        kwargs={"label": target._meta.label_lower, "object_id": target.pk},
    )
    if comment is None:
        return url
    page = selectors.comment_page_number(comment=comment, page_size=_page_size())
    return f"{url}?page={page}#{comment.anchor}"


def _page_size() -> int:
    return selectors.THREAD_LIMIT


def _back_to(request: HttpRequest, target: Any, comment: Comment) -> str:
    """Return where to go after writing ``comment``: back where the form was, at the comment."""
    wanted = _next_url(request, "")
    if wanted:
        return f"{wanted.split('#', 1)[0]}#{comment.anchor}"
    return _thread_url(target, comment)


def _target_link(target: Any) -> dict[str, str]:
    return {"text": str(target), "href": rules_for(target).url(target)}


# The thread ----------------------------------------------------------------------------------


def thread_context(
    request: HttpRequest,
    target: Any,
    *,
    form: Form | None = None,
    reply_to: int | None = None,
    reply_form: Form | None = None,
    paged: bool = False,
    notice: str = "",
    next_url: str = "",
) -> dict[str, Any]:
    """Return what ``discussion/_thread.html`` needs to show the thread on ``target``."""
    wanted = None
    if paged:
        try:
            wanted = page_request(request.GET, default_size=_page_size())
        except PageRequestError:
            wanted = page_request({}, default_size=_page_size())
    thread = selectors.thread_for(user=request.user, target=target, page_request=wanted)
    reply_errors = reply_form.errors.get("body") if reply_form is not None else None
    return {
        "thread": thread,
        "form": form if form is not None else (CommentForm() if thread.can_comment else None),
        "reply_to": reply_to,
        "reply_value": reply_form.data.get("body", "") if reply_form is not None else "",
        "reply_errors": reply_errors,
        "paged": paged,
        "htmx": not paged,
        "notice": notice,
        "next": next_url or request.get_full_path(),
        "thread_url": _thread_url(target),
        "request": request,
    }


def render_thread(request: HttpRequest, target: Any, **options: Any) -> str:
    """Return the thread on ``target`` as HTML, for ``{% comment_thread %}`` and htmx.

    Nothing for someone who may not see ``target``: the page around it should not have been
    shown to them, but the comments are not given away if it was.
    """
    if not permissions.can_view_target(request.user, target):
        return ""
    return render_to_string(THREAD_TEMPLATE, thread_context(request, target, **options), request)


def _thread_fragment(request: HttpRequest, target: Any, **options: Any) -> HttpResponse:
    """Answer htmx with the thread, updated. Errors come back in it, so htmx swaps them in."""
    next_url = _next_url(request, _thread_url(target))
    return HttpResponse(render_thread(request, target, next_url=next_url, **options))


@require_http_methods(["GET", "POST"])
def thread_view(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    """Show the whole discussion on a target, page by page; post a comment on it."""
    target = _target(request, label, object_id)
    if target is None or (request.method == "POST" and not request.user.is_authenticated):
        return _not_visible(request)
    form = None
    if request.method == "POST":
        if not permissions.can_comment(request.user, target):
            raise PermissionDenied
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = services.comment_create(
                    author=request.user, target=target, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if request.htmx:  # type: ignore[attr-defined]
                    return _thread_fragment(
                        request, target, notice=_("Your comment has been posted.")
                    )
                messages.success(request, _("Your comment has been posted."))
                return redirect(_back_to(request, target, comment))
        if request.htmx:  # type: ignore[attr-defined]
            return _thread_fragment(request, target, form=form)
    next_url = _next_url(request, "") if request.method == "POST" else ""
    context = thread_context(request, target, form=form, paged=True, next_url=next_url)
    context.update({"target": target, "breadcrumbs": [_target_link(target)]})
    return render(
        request,
        "discussion/thread.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


# Writing comments ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reply_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Reply to a comment."""
    comment, target = _comment(request, comment_id)
    may_comment = permissions.can_comment(request.user, target)
    if not permissions.can_reply(request.user, comment, may_comment=may_comment):
        raise PermissionDenied
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                reply = services.comment_create(
                    author=request.user,
                    target=target,
                    body=form.cleaned_data["body"],
                    parent=comment,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if request.htmx:  # type: ignore[attr-defined]
                    return _thread_fragment(
                        request, target, notice=_("Your reply has been posted.")
                    )
                messages.success(request, _("Your reply has been posted."))
                return redirect(_back_to(request, target, reply))
        if request.htmx:  # type: ignore[attr-defined]
            return _thread_fragment(request, target, reply_to=comment.pk, reply_form=form)
    return _comment_page(request, "discussion/reply.html", comment, target, form)


def _comment_page(
    request: HttpRequest,
    template: str,
    comment: Comment,
    target: Any,
    form: Form | None,
    **extra: Any,
) -> HttpResponse:
    moderator = permissions.can_moderate_target(request.user, target)
    context = {
        "comment": comment,
        "author_name": selectors.author_name_for(
            request.user, comment, hidden=selectors.names_hidden(request.user, target)
        ),
        "body": selectors.comment_body_for(request.user, comment, moderator=moderator),
        "target": target,
        "form": form,
        "next": _next_url(request, ""),
        "back": _thread_url(target) + f"#{comment.anchor}",
        "breadcrumbs": [_target_link(target)],
        **extra,
    }
    return render(
        request, template, context, status=400 if form is not None and form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Change your own comment, for a short while after posting it."""
    comment, target = _comment(request, comment_id)
    if not permissions.is_author(request.user, comment):
        raise PermissionDenied
    editable = permissions.can_edit_comment(request.user, comment)
    if request.method == "GET" and not editable:
        return _comment_page(
            request,
            "discussion/edit.html",
            comment,
            target,
            None,
            closed=services.edit_window_closed_message()
            if not comment.is_deleted and not comment.is_hidden
            else _("This comment can no longer be changed."),
        )
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your comment has been changed."))
            return redirect(_back_to(request, target, comment))
    return _comment_page(request, "discussion/edit.html", comment, target, form)


@login_required
@require_http_methods(["GET", "POST"])
def delete_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Delete your own comment, after confirming. Replies to it stay."""
    comment, target = _comment(request, comment_id)
    if not permissions.can_delete_comment(request.user, comment):
        if comment.is_deleted and permissions.is_author(request.user, comment):
            raise Http404
        raise PermissionDenied
    if request.method == "POST":
        services.comment_delete(actor=request.user, comment=comment)
        messages.success(request, _("Your comment has been deleted."))
        return redirect(_back_to(request, target, comment))
    return _comment_page(request, "discussion/delete.html", comment, target, None)


# Moderating comments -------------------------------------------------------------------------


def _moderate_comment(request: HttpRequest, comment_id: int, *, hide: bool) -> HttpResponse:
    comment, target = _comment(request, comment_id)
    if not permissions.can_moderate(request.user, comment.organisation):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.comment_hide if hide else services.comment_restore
        try:
            service(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The comment is hidden. Its author has been told why.")
                if hide
                else _("The comment is shown again. Its author has been told."),
            )
            return redirect(_back_to(request, target, comment))
    return _comment_page(
        request,
        "discussion/moderate_comment.html",
        comment,
        target,
        form,
        hide=hide,
        action=reverse(
            "discussion:comment_hide" if hide else "discussion:comment_restore",
            kwargs={"comment_id": comment.pk},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Hide a comment, giving the reason (moderators)."""
    return _moderate_comment(request, comment_id, hide=True)


@login_required
@require_http_methods(["GET", "POST"])
def comment_restore_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Show a hidden comment again, giving the reason (moderators)."""
    return _moderate_comment(request, comment_id, hide=False)


# Reporting -----------------------------------------------------------------------------------


def _flag_page(
    request: HttpRequest, *, target: Any, comment: Comment | None, action: str
) -> HttpResponse:
    user = request.user
    if comment is not None:
        allowed = permissions.can_flag_comment(
            user, comment, may_flag=permissions.can_flag(user, target)
        )
    else:
        allowed = permissions.can_flag_target(user, target)
    already = selectors.has_flagged(user=user, target=target, comment=comment)
    form = FlagForm(request.POST or None) if allowed and not already else None
    if request.method == "POST":
        if form is None:
            form = FlagForm(request.POST)
            form.is_valid()
        if form.is_valid():
            try:
                services.flag_raise(
                    reporter=user,
                    target=target,
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you. A moderator will look at what you reported.")
                )
                back = _thread_url(target) + (f"#{comment.anchor}" if comment else "")
                return redirect(_next_url(request, back))
    moderator = permissions.can_moderate_target(user, target)
    return render(
        request,
        "discussion/flag.html",
        {
            "target": target,
            "comment": comment,
            "author_name": selectors.author_name_for(
                user, comment, hidden=selectors.names_hidden(user, target)
            )
            if comment is not None
            else "",
            "body": selectors.comment_body_for(user, comment, moderator=moderator)
            if comment is not None
            else "",
            "form": form,
            "already": already,
            "allowed": allowed,
            "action": action,
            "next": _next_url(request, ""),
            "back": _thread_url(target),
            "breadcrumbs": [_target_link(target)],
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag_comment_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Report a comment to the moderators."""
    comment, target = _comment(request, comment_id)
    return _flag_page(
        request,
        target=target,
        comment=comment,
        action=reverse("discussion:flag_comment", kwargs={"comment_id": comment.pk}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag_target_view(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    """Report the thing under discussion itself (an idea, say) to the moderators."""
    target = _target(request, label, object_id)
    if target is None or rules_for(target).set_hidden is None:
        raise Http404
    return _flag_page(
        request,
        target=target,
        comment=None,
        action=reverse("discussion:flag_target", kwargs={"label": label, "object_id": target.pk}),
    )


# The moderation queue ------------------------------------------------------------------------


def _moderated_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = account_selectors.organisation_get(slug=slug)
    if organisation is None or not can_see_organisation_private(request.user, organisation):
        raise Http404
    if not permissions.can_moderate(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET"])
def queue_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List what people have reported in an organisation, for its moderators to decide."""
    organisation = _moderated_organisation(request, slug)
    show = request.GET.get("show", "open")
    if show not in selectors.QUEUE_STATUSES:
        show = "open"
    try:
        wanted = page_request(request.GET)
    except PageRequestError:
        wanted = page_request({})
    page = paginate(selectors.moderation_queue(organisation=organisation, show=show), wanted)
    for flag in page.object_list:
        _name_comment_author(request.user, flag)
    counts = selectors.open_flag_counts(organisation=organisation)
    return render(
        request,
        "discussion/queue.html",
        {
            "organisation": organisation,
            "page": page,
            "show": show,
            "open_count": counts.get(FlagStatus.OPEN, 0),
            "hidden_count": counts.get(FlagStatus.HIDDEN, 0),
            "views": [
                {"key": "open", "text": _("Waiting for a decision")},
                {"key": "hidden", "text": _("Hidden")},
                {"key": "decided", "text": _("All decisions")},
            ],
            "breadcrumbs": [
                {"text": _("Organisations"), "href": reverse("accounts:organisations")},
                {"text": organisation.name, "href": organisation.get_absolute_url()},
            ],
        },
    )


def _name_comment_author(user: Any, flag: Flag, target: Any = None) -> None:
    """Set ``flag.author_name``: who wrote the reported comment, as ``user`` may see it."""
    comment = flag.comment
    if comment is not None and target is None:
        target = getattr(flag, "target", None)
    flag.author_name = (  # type: ignore[attr-defined]
        selectors.author_name_for(user, comment, hidden=selectors.names_hidden(user, target))
        if comment is not None
        else ""
    )


def _flag_decision_page(request: HttpRequest, flag: Flag, form: Form, status: int) -> HttpResponse:
    target = selectors.target_of(flag)
    _name_comment_author(request.user, flag, target)
    return render(
        request,
        "discussion/flag_decide.html",
        {
            "flag": flag,
            "organisation": flag.organisation,
            "target": target,
            "target_url": _thread_url(target) if target is not None else "",
            "form": form,
            "breadcrumbs": [
                {"text": flag.organisation.name, "href": flag.organisation.get_absolute_url()},
                {
                    "text": _("Moderation"),
                    "href": reverse("discussion:queue", kwargs={"slug": flag.organisation.slug}),
                },
            ],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def flag_view(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Show one report with the decisions a moderator can make about it."""
    flag = _flag(request, flag_id)
    return _flag_decision_page(request, flag, ReasonForm(), 200)


def _decide(request: HttpRequest, flag_id: int, decision: str) -> HttpResponse:
    flag = _flag(request, flag_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        service = {
            "hide": services.flag_hide,
            "restore": services.flag_restore,
            "dismiss": services.flag_dismiss,
        }[decision]
        try:
            service(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                {
                    "hide": _("Hidden. The author has been told why."),
                    "restore": _("Restored. The author has been told."),
                    "dismiss": _("Report dismissed. Nothing was hidden."),
                }[decision],
            )
            return redirect(reverse("discussion:queue", kwargs={"slug": flag.organisation.slug}))
    return _flag_decision_page(request, flag, form, 400)


@login_required
@require_POST
def flag_hide_view(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Uphold a report: hide what it is about (moderators)."""
    return _decide(request, flag_id, "hide")


@login_required
@require_POST
def flag_restore_view(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Show again what was hidden after a report (moderators)."""
    return _decide(request, flag_id, "restore")


@login_required
@require_POST
def flag_dismiss_view(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Dismiss a report: what it is about stays (moderators)."""
    return _decide(request, flag_id, "dismiss")
