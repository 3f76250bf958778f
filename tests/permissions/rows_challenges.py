"""Permission matrix rows for challenges: every page and endpoint, for every actor.

Rows run against three challenges of the home organisation: a published challenge open to the
public, a published challenge for its staff only, and a draft, which only its innovation leads
and administrators may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicflow.challenges import services
from civicflow.challenges.phases import PhaseDates
from tests.permissions.matrix import Route, members_with, public, signed_in

MANAGERS = ("innovation_lead", "admin")


@dataclass
class ChallengeRoute(Route):
    """A row about one of the three challenges; its id names which."""

    state: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name} [{self.state}]" if self.state else super().id


def build(world: Any) -> None:
    """Add the public, staff-only and draft challenges to ``world.extra``."""
    now = timezone.now()
    made = {}
    for state, audience in (("public", "public"), ("staff", "staff"), ("draft", "public")):
        challenge = services.challenge_create(
            actor=None,
            organisation=world.organisation,
            kind="open_call",
            phases=[PhaseDates("develop", now - timedelta(days=1), now + timedelta(days=30))],
            title=f"Missed bins ({state})",
            summary="Help us miss fewer bins.",
            problem="Too many bins are missed.",
            driver="cost_pressure",
            audience=audience,
        )
        if state != "draft":
            services.challenge_move(actor=None, challenge=challenge, to="published")
        made[state] = challenge
    world.extra["challenges"] = made


def org(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug}


def challenge(state: str) -> Callable[[Any, Any], dict[str, Any]]:
    def kwargs(world: Any, user: Any) -> dict[str, Any]:
        return {
            "slug": world.organisation.slug,
            "challenge_slug": world.extra["challenges"][state].slug,
        }

    return kwargs


def _local(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def challenge_form(world: Any, user: Any) -> dict[str, Any]:
    return {
        "kind": "open_call",
        "title": "Quieter wards at night",
        "summary": "Help patients sleep.",
        "problem": "Wards are noisy at night.",
        "driver": "demand",
        "audience": "public",
        "phase_develop_starts_at": _local(1),
        "phase_develop_ends_at": _local(20),
    }


def challenge_json(world: Any, user: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "kind": "open_call",
        "title": "Quieter wards at night",
        "summary": "Help patients sleep.",
        "problem": "Wards are noisy at night.",
        "driver": "demand",
        "audience": "public",
        "phases": [
            {
                "key": "develop",
                "starts_at": (now + timedelta(days=1)).isoformat(),
                "ends_at": (now + timedelta(days=20)).isoformat(),
            }
        ],
    }


def row(name: str, method: str, rule: Any, state: str = "", **options: Any) -> ChallengeRoute:
    kwargs = challenge(state) if state else org
    return ChallengeRoute(name, method, rule, kwargs, state=state, **options)


MANAGE = members_with(*MANAGERS)
MANAGE_API = members_with(*MANAGERS, api=True)

PAGES: list[Route] = [
    ChallengeRoute("challenges:list", "GET", public),
    row("challenges:organisation", "GET", public),
    row("challenges:create", "GET", MANAGE),
    row("challenges:create", "POST", MANAGE, data=challenge_form),
    row("challenges:detail", "GET", public, "public"),
    row("challenges:detail", "GET", members_with(), "staff"),
    row("challenges:detail", "GET", MANAGE, "draft"),
    row("challenges:edit", "GET", MANAGE, "public"),
    row("challenges:edit", "GET", MANAGE, "draft"),
    row("challenges:edit", "POST", MANAGE, "public", data=challenge_form),
    row("challenges:move", "POST", MANAGE, "draft", data=lambda w, u: {"to": "published"}),
    row("challenges:move", "POST", MANAGE, "public", data=lambda w, u: {"to": "closed"}),
    row(
        "challenges:follow",
        "POST",
        signed_in(api=False),
        "public",
        data=lambda w, u: {"action": "follow"},
    ),
    row(
        "challenges:follow", "POST", members_with(), "staff", data=lambda w, u: {"action": "follow"}
    ),
    row("challenges:follow", "POST", MANAGE, "draft", data=lambda w, u: {"action": "follow"}),
]

API: list[Route] = [
    ChallengeRoute("api-1.0.0:challenge_list", "GET", public, api=True),
    row("api-1.0.0:challenge_detail", "GET", public, "public", api=True),
    row("api-1.0.0:challenge_detail", "GET", members_with(api=True), "staff", api=True),
    row("api-1.0.0:challenge_detail", "GET", MANAGE_API, "draft", api=True),
    row(
        "api-1.0.0:challenge_create",
        "POST",
        MANAGE_API,
        data=challenge_json,
        api=True,
        json=True,
    ),
    row(
        "api-1.0.0:challenge_update",
        "PATCH",
        MANAGE_API,
        "public",
        data=lambda w, u: {"title": "Missed bins and fly-tipping"},
        api=True,
        json=True,
    ),
    row(
        "api-1.0.0:challenge_update",
        "PATCH",
        MANAGE_API,
        "draft",
        data=lambda w, u: {"summary": "Help us."},
        api=True,
        json=True,
    ),
    row(
        "api-1.0.0:challenge_set_status",
        "POST",
        MANAGE_API,
        "draft",
        data=lambda w, u: {"status": "published", "reason": "Ready"},
        api=True,
        json=True,
    ),
    row(
        "api-1.0.0:challenge_set_status",
        "POST",
        MANAGE_API,
        "staff",
        data=lambda w, u: {"status": "closed"},
        api=True,
        json=True,
    ),
    row("api-1.0.0:challenge_follow", "PUT", signed_in(api=True), "public", api=True),
    row("api-1.0.0:challenge_follow", "PUT", members_with(api=True), "staff", api=True),
    row("api-1.0.0:challenge_unfollow", "DELETE", signed_in(api=True), "public", api=True),
    row("api-1.0.0:challenge_unfollow", "DELETE", members_with(api=True), "staff", api=True),
]

ROUTES: list[Route] = PAGES + API
