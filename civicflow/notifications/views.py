"""Pages for your notifications, how you hear about them, and unsubscribing from emails.

Each view parses input, checks who is asking, calls one service or selector and renders.
Someone else's notification answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.core.pagination import paginate_request as _page
from civicflow.notifications import kinds, links, selectors, services
from civicflow.notifications.forms import SCOPE_ALL, PreferencesForm, UnsubscribeForm
from civicflow.notifications.models import Notification
from civicflow.notifications.tokens import BadToken, unsubscribe_read


def _local(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Redirect to the page the form was on, if it is on this site, else the list."""
    target = request.POST.get("next", "")
    return redirect(target if _local(request, target) else "notifications:list")


def _own(request: HttpRequest, notification_id: int) -> Notification:
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    return notification


@login_required
@require_GET
def notification_list_view(request: HttpRequest) -> HttpResponse:
    """List your notifications, newest first, unread ones marked."""
    unread_only = request.GET.get("show") == "unread"
    page = _page(request, selectors.notification_list(user=request.user, unread_only=unread_only))
    rows = [
        {
            "notification": notification,
            "kind_name": kinds.kind_name(notification.kind),
            "has_link": bool(links.site_path(notification.url)),
        }
        for notification in page.object_list
    ]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "rows": rows,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_GET
def notification_open_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification as read and go to what it is about."""
    notification = _own(request, notification_id)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    target = links.site_path(notification.url)
    return redirect(target if _local(request, target) else "notifications:list")


@login_required
@require_POST
def notification_mark_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of your notifications as read."""
    notification = _own(request, notification_id)
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    messages.success(request, _("‘%(title)s’ marked as read.") % {"title": notification.title})
    return _back(request)


@login_required
@require_POST
def notification_mark_all_read_view(request: HttpRequest) -> HttpResponse:
    """Mark all your notifications as read."""
    marked = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            marked,
        )
        % {"count": marked}
        if marked
        else _("You have no unread notifications."),
    )
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request: HttpRequest) -> HttpResponse:
    """Choose how you hear about each group of notifications."""
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, initial=selectors.preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your choices about notifications have been saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # mail programs post here for one-click unsubscribe (RFC 8058); the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm, then stop, the emails an unsubscribe link is about; no sign-in needed."""
    try:
        wanted = unsubscribe_read(token)
        user = selectors.person_to_unsubscribe(wanted)
    except BadToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    names = [str(group.label).lower() for group in _groups(wanted.groups)]
    these = _("Only emails about %(groups)s") % {"groups": _join(names)} if names else ""
    # A mail program's one-click request may carry nothing the form knows: it still counts.
    form = UnsubscribeForm(request.POST if request.method == "POST" else None, these_label=these)
    if request.method == "POST" and form.is_valid():
        everything = not wanted.groups or form.cleaned_data.get("scope") == SCOPE_ALL
        services.email_turn_off(user=user, groups=() if everything else wanted.groups)
        return render(
            request,
            "notifications/unsubscribe_done.html",
            {"groups": "" if everything else _join(names)},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"form": form, "names": names},
        status=400 if form.errors else 200,
    )


def _groups(keys: tuple[str, ...]) -> list[kinds.KindGroup]:
    return [group for group in kinds.GROUPS if group.key in keys]


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
