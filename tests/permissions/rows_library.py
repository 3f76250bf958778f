"""Permission matrix rows for the case library: every page and endpoint, for every actor.

The home organisation publishes a public case, a network-only case and a private case, and
has a draft and a submitted case; the other organisation publishes a public case that the home
organisation's leads may adopt. The rows prove that the private case and the drafts reach no
one outside the home organisation (pages, spread, API), that network cases reach members of
any organisation but not the public, and that only editors (innovation leads and
administrators) review, and only leads and administrators adopt.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from civicflow.library import services
from tests.factories import member
from tests.library.helpers import case_fields, published_case
from tests.permissions.matrix import Route, members_with, org, public

EDITORS = ("innovation_lead", "admin")


def build(world: Any) -> None:
    """Add the home organisation's cases and the other organisation's public case."""
    author = member(world.organisation, name="Ada Author")
    editor = world.people["in:innovation_lead"]
    home = world.organisation
    shown = published_case(author=author, editor=editor, organisation=home, title="Shown")
    network = published_case(
        author=author, editor=editor, organisation=home, title="Network", sharing="network"
    )
    private = published_case(
        author=author, editor=editor, organisation=home, title="Private", sharing="private"
    )
    draft = services.case_create(actor=author, organisation=home, **case_fields(title="Draft"))
    submitted = services.case_create(
        actor=author, organisation=home, **case_fields(title="Submitted")
    )
    services.case_submit(actor=author, case=submitted)
    their_editor = world.people["out:innovation_lead"]
    theirs = published_case(
        author=their_editor, editor=their_editor, organisation=world.other, title="Theirs"
    )
    from civicflow.initiatives import services as initiatives

    initiative = initiatives.initiative_start(
        actor=editor, organisation=home, title="Kaizen boards", business_owner=author
    )
    for _step in range(2):
        initiatives.gate_decide(
            actor=world.people["in:decision_maker"],
            initiative=initiative,
            decision="go",
            reason="The results so far support going on.",
        )
    measured = published_case(author=author, editor=editor, organisation=home, title="Measured")
    written_up = initiatives.initiative_start(
        actor=editor, organisation=home, title="Ward desks", business_owner=author
    )
    from civicflow.library.models import CaseStudy
    from civicflow.outcomes import services as outcomes

    kpi = outcomes.kpi_create(
        actor=editor,
        owner=written_up,
        name="Falls a month",
        direction="lower",
        baseline_value="10",
        baseline_on=date(2025, 1, 1),
        target_value="2",
        target_on=date(2025, 12, 31),
    )
    CaseStudy.objects.filter(pk=measured.pk).update(source_initiative=written_up)
    measured.refresh_from_db()
    world.extra["library"] = {
        "measured": measured,
        "measured_kpi": kpi,
        "initiative": initiative,
        "shown": shown,
        "network": network,
        "private": private,
        "draft": draft,
        "submitted": submitted,
        "theirs": theirs,
    }


def _pk(name: str, api: bool = False) -> Any:
    def kwargs(world: Any, user: Any) -> dict[str, Any]:
        pk = world.extra["library"][name].pk
        return {"case_id": pk} if api else {"pk": pk}

    return kwargs


def network_only(api: bool = False) -> Any:
    """Members of any organisation; not the public."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        return "404" if actor == "participant" else "ok"

    return rule


def signed_in_page(actor: str) -> str:
    return "login" if actor == "anonymous" else "ok"


def importers(api: bool = False) -> Any:
    """Editors of any organisation and instance administrators; a case for the home
    organisation is refused (422) to editors elsewhere."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor == "instance_admin":
            return "ok"
        role = actor.split(":")[-1]
        if role not in EDITORS:
            return "403"
        return "422" if api and actor.startswith("out:") else "ok"

    return rule


def adopters(api: bool = False) -> Any:
    """The home organisation's leads and administrators adopt the other organisation's case;
    anyone else signed in is refused (for the API, naming an organisation they are not in
    is invalid input)."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor in ("in:innovation_lead", "in:admin"):
            return "ok"
        if api and (actor in ("participant", "instance_admin") or actor.startswith("out:")):
            return "422"
        return "403"

    return rule


def own_private(api: bool = False) -> Any:
    """Adopting the home organisation's private case: hidden outside it; inside it, the
    organisation cannot adopt its own case."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor == "participant" or actor.startswith("out:"):
            return "404"
        if not api:
            return "403"
        if actor in ("in:innovation_lead", "in:admin", "instance_admin"):
            return "422"
        return "403"

    return rule


def case_editors(api: bool = False) -> Any:
    """The publishing organisation's editors (and instance administrators) choose what a
    public case publishes; anyone else, who may read the case, is refused."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        return "ok" if actor in ("instance_admin", "in:innovation_lead", "in:admin") else "403"

    return rule


def measures_form(world: Any, user: Any) -> dict[str, Any]:
    return {"kpis": [world.extra["library"]["measured_kpi"].pk]}


def _initiative(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": world.extra["library"]["initiative"].pk}


def adopt_form(world: Any, user: Any) -> dict[str, Any]:
    return {
        "organisation": world.organisation.slug,
        "kind": "initiative",
        "adaptations": "We start on one ward.",
        "sharing": "network",
    }


def case_form(world: Any, user: Any) -> dict[str, Any]:
    data = {k: v for k, v in case_fields(title="New one").items() if k != "outcomes"}
    data.update(outcome_1_area="safety", outcome_1_statement="Falls came down")
    return data


def case_json(world: Any, user: Any) -> dict[str, Any]:
    return case_fields(title="New one")


def review_form(world: Any, user: Any) -> dict[str, Any]:
    return {"decision": "returned", "reasons": "Add the figures."}


def import_json(world: Any, user: Any) -> dict[str, Any]:
    record = json.loads(services.export_json([world.extra["library"]["shown"]]))["cases"][0]
    return {"cases": [{**record, "reference": "", "title": "Imported"}]}


MEMBERS = members_with()
MEMBERS_API = members_with(api=True)

ROUTES: list[Route] = [
    Route("library:index", "GET", public),
    Route("library:export_json", "GET", public),
    Route("library:export_csv", "GET", public),
    Route("library:queue", "GET", signed_in_page),
    Route("library:import", "GET", importers()),
    Route("library:from_initiative", "GET", members_with(*EDITORS), _initiative),
    Route("library:from_initiative", "POST", members_with(*EDITORS), _initiative, lambda w, u: {}),
    Route("library:case", "GET", public, _pk("shown")),
    Route("library:case", "GET", network_only(), _pk("network")),
    Route("library:case", "GET", MEMBERS, _pk("private")),
    Route("library:case", "GET", MEMBERS, _pk("draft")),
    Route("library:spread", "GET", public, _pk("shown")),
    Route("library:spread", "GET", MEMBERS, _pk("private")),
    Route("library:edit", "GET", members_with(*EDITORS), _pk("submitted")),
    Route("library:edit", "POST", members_with(*EDITORS), _pk("submitted"), case_form),
    Route("library:measures", "GET", case_editors(), _pk("measured")),
    Route("library:measures", "POST", case_editors(), _pk("measured"), measures_form),
    Route("library:submit", "POST", members_with(*EDITORS), _pk("draft"), lambda w, u: {}),
    Route("library:review", "GET", members_with(*EDITORS), _pk("submitted")),
    Route("library:review", "POST", members_with(*EDITORS), _pk("submitted"), review_form),
    Route("library:new", "GET", MEMBERS, org),
    Route("library:new", "POST", MEMBERS, org, case_form),
    Route("library:adopt", "GET", adopters(), _pk("theirs")),
    Route(
        "library:adopt",
        "POST",
        adopters(),
        _pk("theirs"),
        lambda w, u: {**adopt_form(w, u), "organisation": "home"},
    ),
    Route("library:adopt", "GET", own_private(), _pk("private")),
    # API
    Route("api-1.0.0:case_list", "GET", public, api=True),
    Route("api-1.0.0:case_open_data", "GET", public, api=True),
    Route("api-1.0.0:case_detail", "GET", public, _pk("shown", True), api=True),
    Route("api-1.0.0:case_detail", "GET", network_only(True), _pk("network", True), api=True),
    Route("api-1.0.0:case_detail", "GET", MEMBERS_API, _pk("private", True), api=True),
    Route("api-1.0.0:case_detail", "GET", MEMBERS_API, _pk("draft", True), api=True),
    Route("api-1.0.0:case_spread", "GET", public, _pk("shown", True), api=True),
    Route("api-1.0.0:case_spread", "GET", MEMBERS_API, _pk("private", True), api=True),
    Route("api-1.0.0:case_create", "POST", MEMBERS_API, org, case_json, api=True, json=True),
    Route(
        "api-1.0.0:case_edit",
        "PUT",
        members_with(*EDITORS, api=True),
        _pk("submitted", True),
        case_json,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:case_submit",
        "POST",
        members_with(*EDITORS, api=True),
        _pk("draft", True),
        lambda w, u: {},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:case_review",
        "POST",
        members_with(*EDITORS, api=True),
        _pk("submitted", True),
        review_form,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:case_adopt",
        "POST",
        own_private(True),
        _pk("private", True),
        adopt_form,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:case_adopt",
        "POST",
        adopters(True),
        _pk("theirs", True),
        adopt_form,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:case_measures",
        "PUT",
        case_editors(True),
        _pk("measured", True),
        measures_form,
        api=True,
        json=True,
    ),
    Route("api-1.0.0:case_import", "POST", importers(True), data=import_json, api=True, json=True),
]
