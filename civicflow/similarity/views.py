"""Pages of similarity: the similar ideas, challenges and cases for a draft, as a fragment the
idea and challenge forms fetch with htmx as the author types (the forms show the same list
without JavaScript when the author checks a description)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civicflow.challenges.selectors import visible_challenges
from civicflow.similarity.selectors import draft_text, while_writing


@login_required
@require_GET
def while_writing_view(request: HttpRequest) -> HttpResponse:
    """The similar items for the draft in the query (title, summary, description or problem),
    for ``writing`` an idea (in ``challenge``) or a challenge."""
    query = request.GET
    writing = "challenge" if query.get("writing") == "challenge" else "idea"
    challenge = None
    if (challenge_id := query.get("challenge", "")).isdigit():
        challenge = visible_challenges(request.user).filter(pk=int(challenge_id)).first()
    text = draft_text(
        query.get("title", ""),
        query.get("summary", ""),
        query.get("description", "") or query.get("problem", ""),
    )
    check = while_writing(user=request.user, text=text, writing=writing, challenge=challenge)
    response = render(
        request,
        "similarity/_similar_results.html",
        {"check": check, "checked": bool(text), "writing": writing, "live": True},
    )
    response["Cache-Control"] = "private, no-store"
    return response
