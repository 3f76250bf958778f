"""The permission matrix: for every page and API endpoint, what each kind of person gets.

Each row names a route (URL name and method), how to build its URL and request body from the
test world, and a *rule* that says, for every actor, which outcome is expected. Later
capabilities add rows here; ``test_every_route_has_a_row`` fails until they do.

Outcomes:
    ok      the request succeeds (2xx, or a redirect that is not to the sign-in page)
    login   a page redirects to the sign-in page (anonymous people)
    401     the API answers 401 (anonymous callers)
    403     forbidden: a member of the organisation who lacks the role
    404     hidden: a person outside the organisation learns nothing, not even that it exists
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ["staff", "innovation_lead", "assessor", "decision_maker", "admin"]
ACTORS = (
    ["anonymous", "participant", "instance_admin"]
    + [f"in:{r}" for r in ROLES]
    + [f"out:{r}" for r in ROLES]
)


def public(actor: str) -> str:
    """Anyone, signed in or not."""
    return "ok"


def signed_in(api: bool) -> Callable[[str], str]:
    """Anyone signed in."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        return "ok"

    return rule


def instance_admins(actor: str) -> str:
    """Administrators of the whole instance only."""
    if actor == "anonymous":
        return "login"
    return "ok" if actor == "instance_admin" else "403"


def members_with(*roles: str, api: bool = False) -> Callable[[str], str]:
    """Members of the owning organisation who hold one of ``roles`` (any member if none).

    Instance administrators may do everything an organisation administrator may.
    """

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor == "instance_admin":
            return "ok"
        if actor == "participant" or actor.startswith("out:"):
            return "404"
        role = actor.split(":", 1)[1]
        return "ok" if not roles or role in roles else "403"

    return rule


@dataclass
class Route:
    name: str
    method: str
    rule: Callable[[str], str]
    kwargs: Callable[[Any, Any], dict[str, Any]] = field(default=lambda world, user: {})
    data: Callable[[Any, Any], dict[str, Any]] | None = None
    api: bool = False
    json: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def org(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug}


def org_member(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug, "user_id": world.target.pk}


def org_team(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug, "team_slug": world.team.slug}


def org_team_member(world: Any, user: Any) -> dict[str, Any]:
    return {
        "slug": world.organisation.slug,
        "team_slug": world.team.slug,
        "user_id": world.target.pk,
    }


def own_token(world: Any, user: Any) -> dict[str, Any]:
    return {"token_id": world.token_for(user).pk}


def new_member(world: Any, user: Any) -> dict[str, Any]:
    return {"email": world.newcomer.email, "roles": ["assessor"]}


def new_team(world: Any, user: Any) -> dict[str, Any]:
    return {"name": "Night shift"}


TEAM_MANAGERS = ("admin", "innovation_lead")

PAGES = [
    Route("web:home", "GET", public),
    Route("web:cookies", "GET", public),
    Route("web:privacy", "GET", public),
    Route("web:accessibility", "GET", public),
    Route("search:search", "GET", public, data=lambda w, u: {"q": "ward"}),
    Route("accounts:organisations", "GET", public),
    Route("accounts:organisation_create", "GET", instance_admins),
    Route(
        "accounts:organisation_create",
        "POST",
        instance_admins,
        data=lambda w, u: {
            "name": "New Town Council",
            "kind": "council",
            "administrator_email": w.newcomer.email,
        },
    ),
    Route("accounts:organisation", "GET", public, org),
    Route("accounts:members", "GET", members_with(), org),
    Route("accounts:members", "POST", members_with("admin"), org, new_member),
    Route("accounts:member_edit", "GET", members_with("admin"), org_member),
    Route(
        "accounts:member_edit",
        "POST",
        members_with("admin"),
        org_member,
        lambda w, u: {"roles": ["assessor"]},
    ),
    Route("accounts:member_remove", "POST", members_with("admin"), org_member, lambda w, u: {}),
    Route("accounts:teams", "GET", members_with(), org),
    Route("accounts:teams", "POST", members_with(*TEAM_MANAGERS), org, new_team),
    Route("accounts:team", "GET", members_with(), org_team),
    Route(
        "accounts:team",
        "POST",
        members_with(*TEAM_MANAGERS),
        org_team,
        lambda w, u: {"user": str(w.spare.pk)},
    ),
    Route(
        "accounts:team_member_remove",
        "POST",
        members_with(*TEAM_MANAGERS),
        org_team_member,
        lambda w, u: {},
    ),
    Route("accounts:audit", "GET", members_with("admin"), org),
    Route("accounts:audit_csv", "GET", members_with("admin"), org),
    Route("accounts:profile", "GET", signed_in(api=False)),
    Route("accounts:profile", "POST", signed_in(api=False), data=lambda w, u: {"name": "A B"}),
    Route("accounts:data_export", "GET", signed_in(api=False)),
    Route("accounts:account_erase", "GET", signed_in(api=False)),
    Route(
        "accounts:account_erase",
        "POST",
        signed_in(api=False),
        data=lambda w, u: {"password": "correct-horse-battery", "confirm": "on"},
    ),
    Route("accounts:tokens", "GET", signed_in(api=False)),
    Route(
        "accounts:tokens",
        "POST",
        signed_in(api=False),
        data=lambda w, u: {"name": "Script", "expires_in_days": "30"},
    ),
    Route("accounts:token_revoke", "POST", signed_in(api=False), own_token, lambda w, u: {}),
]

API = [
    Route("api-1.0.0:openapi-json", "GET", public, api=True),
    Route("api-1.0.0:openapi-view", "GET", public, api=True),
    Route("api-1.0.0:search_api", "GET", public, data=lambda w, u: {"q": "ward"}, api=True),
    Route("api-1.0.0:me", "GET", signed_in(api=True), api=True),
    Route("api-1.0.0:organisation_list", "GET", public, api=True),
    Route("api-1.0.0:organisation_detail", "GET", public, org, api=True),
    Route("api-1.0.0:member_list", "GET", members_with(api=True), org, api=True),
    Route(
        "api-1.0.0:member_add",
        "POST",
        members_with("admin", api=True),
        org,
        new_member,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:member_set_roles",
        "PUT",
        members_with("admin", api=True),
        org_member,
        lambda w, u: {"roles": ["assessor"]},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:member_remove",
        "DELETE",
        members_with("admin", api=True),
        org_member,
        api=True,
    ),
    Route("api-1.0.0:team_list", "GET", members_with(api=True), org, api=True),
    Route(
        "api-1.0.0:team_create",
        "POST",
        members_with(*TEAM_MANAGERS, api=True),
        org,
        new_team,
        api=True,
        json=True,
    ),
    Route("api-1.0.0:audit_log", "GET", members_with("admin", api=True), org, api=True),
    Route("api-1.0.0:token_list", "GET", signed_in(api=True), api=True),
    Route(
        "api-1.0.0:token_create",
        "POST",
        signed_in(api=True),
        data=lambda w, u: {"name": "Script"},
        api=True,
        json=True,
    ),
    Route("api-1.0.0:token_revoke", "DELETE", signed_in(api=True), own_token, api=True),
]

# Each capability adds a module ``tests/permissions/rows_<app>.py`` with ``ROUTES`` (a list
# of Route) and, if its rows need objects of their own, ``build(world)``, which adds them to
# ``world.extra``; an object a row makes lazily during a test goes in ``world.per_test``,
# which is emptied before each test (the world is built once per module). List the module here.
ROW_MODULES: list[str] = [
    "rows_challenges",
    "rows_ideas",
    "rows_discussion",
    "rows_boards",
    "rows_notifications",
    "rows_opinions",
    "rows_budgets",
    "rows_initiatives",
    "rows_appraisal",
    "rows_library",
    "rows_outcomes",
    "rows_similarity_themes",
    "rows_similarity",
]


def _load_rows() -> tuple[list[Route], list[Any]]:
    import importlib

    routes: list[Route] = []
    builders: list[Any] = []
    for name in ROW_MODULES:
        module = importlib.import_module(f"tests.permissions.{name}")
        routes.extend(module.ROUTES)
        if hasattr(module, "build"):
            builders.append(module.build)
    return routes, builders


_EXTRA_ROUTES, BUILDERS = _load_rows()
ROUTES = PAGES + API + _EXTRA_ROUTES

# Routes that belong to other software and are tested there: Django's admin (instance
# administrators only), django-allauth's sign-in, sign-up and security pages (tested in
# tests/accounts/test_allauth_pages.py), and the API's index.
NOT_IN_MATRIX_NAMESPACES = {"admin"}
NOT_IN_MATRIX_PREFIXES = ("account_", "mfa_")
NOT_IN_MATRIX = {"api-1.0.0:api-root"}
