"""The idea list's results, rendered once and shared by every app server until an idea changes.

A challenge's list of ideas is read far more often than it changes, and most readers see the
same thing: everyone but moderators sees the ideas that are not hidden. So the rendered results
(the count, the page of ideas and the page links) are kept in the shared cache under a key made
of the challenge, what the reader may see, the filters, the page and the language, together with
the challenge's *list version* at the time. Every service that changes what a list shows calls
:func:`changed`, which moves the version on, so the next reader renders afresh; a rendering is
used only while its version is still the challenge's. The one thing that differs between
readers who share a rendering — whether they support an idea — is filled in per reader.

Entries expire after ``TTL`` seconds, so a change made outside the idea services, such as an
author's new name, shows within minutes. The versions are ``core.versions`` counters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.forms import Form
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civicflow.challenges.models import Challenge
from civicflow.core import versions
from civicflow.core.pagination import PageRequestError, page_request, paginate
from civicflow.ideas import selectors
from civicflow.ideas.blind import authors_hidden
from civicflow.ideas.selectors import IdeaFilters

TTL = 300
TEMPLATE = "ideas/includes/idea_results.html"
FILTERS_TEMPLATE = "ideas/includes/idea_filter_fields.html"
# Where the rendering says "you support it" for one reader; filled in per reader.
MARKER = "<!--supported:{}-->"
UNFILLED = re.compile(r"<!--supported:\d+-->")


def _version_key(challenge_id: int) -> str:
    return f"ideas:list-version:{challenge_id}"


def version(challenge_id: int) -> int:
    """Return the list version of a challenge, starting one if there is none."""
    return versions.current(_version_key(challenge_id))


def changed(*challenge_ids: int) -> None:
    """Say that what the idea lists of these challenges show has changed.

    The version moves on once the transaction commits. A reader who rendered before then
    stored the old list under the old version, which nobody asks for afterwards.
    """
    versions.move_on(*(_version_key(challenge_id) for challenge_id in challenge_ids))


@dataclass(frozen=True)
class Results:
    """The rendered results of an idea list, the ideas on the page, and the filter fields."""

    html: SafeString
    idea_ids: list[int]
    count: int
    filter_fields: SafeString


def _query(filters: dict[str, str], params: Any) -> QueryDict:
    """The query string the results stand for: the valid filters and a valid page request."""
    query = QueryDict(mutable=True)
    for name in sorted(filters):
        query[name] = filters[name]
    try:
        wanted = page_request(params)
    except PageRequestError:
        wanted = page_request({})
    if wanted.size != page_request({}).size:
        query["page_size"] = str(wanted.size)
    query["page"] = str(wanted.number)
    return query


def _filters_key(form_class: type[Form], data: Any, challenge_id: int) -> str:
    """The filter fields depend on the query string and, through its themes, the challenge."""
    values = repr(
        [
            (name, data.getlist(name) if isinstance(data, QueryDict) else data.get(name))
            for name in [*form_class.base_fields, "theme"]
        ]
    )
    digest = hashlib.blake2b(values.encode(), digest_size=12).hexdigest()
    return f"ideas:filters:{challenge_id}:{get_language() or ''}:{digest}"


def results(
    *,
    request: Any,
    challenge: Challenge,
    form_class: type[Form],
    filters: dict[str, str],
    filtered: bool,
) -> Results:
    """Return the rendered results of ``challenge``'s idea list for this request's reader.

    The list version, the shared rendering and the filter fields come in one round trip to the
    cache. A rendering is stored with the version it was made at and used only while that is
    still the challenge's version. The filter form (``form_class`` bound to the query string)
    is built only when its fields are not in the cache.
    """
    user = request.user
    scope = selectors.idea_list_scope(user=user, challenge=challenge)
    blind = authors_hidden(user, challenge)
    if scope is not None and blind:
        scope = f"{scope}-blind"  # the same list, without its authors' names
    query = _query(filters, request.GET)
    version_key = _version_key(challenge.pk)
    filters_key = _filters_key(form_class, request.GET, challenge.pk)
    results_key = ""
    if scope is not None:
        digest = hashlib.blake2b(query.urlencode().encode(), digest_size=12).hexdigest()
        results_key = f"ideas:list:{challenge.pk}:{scope}:{get_language() or ''}:{digest}"
    found = cache.get_many([key for key in (version_key, results_key, filters_key) if key])
    current = found.get(version_key)
    if current is None and scope is not None:
        current = version(challenge.pk)
    stored = found.get(results_key)
    if stored is not None and stored[0] == current:
        _version, text, idea_ids, count = stored
    else:
        page = paginate(
            selectors.idea_list(user=user, challenge=challenge, filters=IdeaFilters(**filters)),
            page_request(query),
        )
        text = str(
            render_to_string(
                TEMPLATE,
                {
                    "page": page,
                    "query": query,
                    "filtered": filtered,
                    "organisation": challenge.organisation,
                    "challenge": challenge,
                    "blind": blind,
                },
            )
        )
        idea_ids = [idea.pk for idea in page.object_list]
        count = page.paginator.count
        if scope is not None:
            cache.set(results_key, (current, text, idea_ids, count), TTL)
    # The fields hold the challenge's themes, which change with its list version.
    if current is None:
        current = version(challenge.pk)
    stored_fields = found.get(filters_key)
    if stored_fields is not None and stored_fields[0] == current:
        fields = stored_fields[1]
    else:
        form = form_class(request.GET, challenge_id=challenge.pk)  # type: ignore[call-arg]
        form.is_valid()
        fields = str(render_to_string(FILTERS_TEMPLATE, {"filter_form": form}))
        cache.set(filters_key, (current, fields), TTL)
    supported = selectors.supported_ids(user=user, idea_ids=idea_ids)
    if supported:
        note = escape(" · " + _("you support it"))
        for idea_id in supported:
            text = text.replace(MARKER.format(idea_id), note)
    text = UNFILLED.sub("", text)
    # Safe: renderings of escaping templates, with markers swapped for escaped text.
    return Results(
        html=mark_safe(text),  # noqa: S308
        idea_ids=idea_ids,
        count=count,
        filter_fields=mark_safe(fields),  # noqa: S308
    )
