"""The library's rules: writing, review, sharing, adoption and drafting from an initiative."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicflow.core.models import AuditEvent
from civicflow.initiatives.models import SourceKind
from civicflow.library import permissions, selectors, services
from civicflow.library.models import Adoption, CaseReview, CaseStatus, CaseStudy
from civicflow.search.services import index_object
from tests.factories import UserFactory, member
from tests.initiatives.helpers import initiative_at
from tests.library.helpers import case_fields, published_case

ALL_TICKED = ["public_sector", "new_in_context", "implemented", "evidence"]


def _actions(case):
    return list(AuditEvent.objects.for_target(case).order_by("id").values_list("action", flat=True))


def test_a_case_is_drafted_submitted_and_published_with_its_audit(author, editor, organisation):
    case = services.case_create(actor=author, organisation=organisation, **case_fields())
    assert case.status == CaseStatus.DRAFT
    assert [o.figure for o in case.outcomes.all()] == ["80 %"]
    services.case_submit(actor=author, case=case)
    review = services.case_review(
        actor=editor, case=case, decision="published", checklist=ALL_TICKED
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert review.checklist == dict.fromkeys(ALL_TICKED, True)
    assert _actions(case) == ["case.drafted", "case.submitted", "case.published"]


def test_publishing_needs_every_checklist_item_and_returning_needs_reasons(
    author, editor, organisation
):
    case = services.case_create(actor=author, organisation=organisation, **case_fields())
    services.case_submit(actor=author, case=case)
    with pytest.raises(ValidationError) as error:
        services.case_review(
            actor=editor, case=case, decision="published", checklist=ALL_TICKED[:3]
        )
    assert "some evidence of its impact" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.case_review(actor=editor, case=case, decision="returned")
    assert "what the author needs to change" in str(error.value)
    assert not CaseReview.objects.exists()
    services.case_review(
        actor=editor, case=case, decision="returned", reasons="Add the falls figures."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    # The author changes it and submits it again.
    services.case_edit(actor=author, case=case, **case_fields(costs="Two days of staff time."))
    services.case_submit(actor=author, case=case)
    assert case.status == CaseStatus.SUBMITTED


def test_only_editors_review_and_authors_cannot_change_a_submitted_case(
    author, editor, organisation
):
    case = services.case_create(actor=author, organisation=organisation, **case_fields())
    services.case_submit(actor=author, case=case)
    with pytest.raises(PermissionDenied):
        services.case_review(actor=author, case=case, decision="published", checklist=ALL_TICKED)
    with pytest.raises(PermissionDenied):
        services.case_edit(actor=author, case=case, **case_fields())
    services.case_edit(actor=editor, case=case, **case_fields(lessons="Start small."))


@pytest.mark.parametrize(
    ("override", "field", "words"),
    [
        ({"title": ""}, "title", "Enter the title"),
        ({"summary": "<script>alert(1)</script>"}, "summary", "Take the HTML out"),
        ({"sector": "space"}, "sector", "Choose a sector"),
        ({"evidence_level": 7}, "evidence_level", "from 1"),
        ({"finished_on": "2013-01-01"}, "finished_on", "on or after the start"),
        ({"contact_email": "not an email"}, "contact_email", "right format"),
        ({"outcomes": [{"area": "joy", "statement": "x"}]}, "outcomes", "Outcome 1"),
        ({"outcomes": [{"area": "safety", "statement": "<b>x</b>"}]}, "outcomes", "HTML"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(
    author, organisation, override, field, words
):
    with pytest.raises(ValidationError) as error:
        services.case_create(actor=author, organisation=organisation, **case_fields(**override))
    assert words in " ".join(error.value.message_dict[field])
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="case.").exists()


def test_a_second_case_of_the_same_name_is_refused(author, organisation):
    services.case_create(actor=author, organisation=organisation, **case_fields())
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=author,
            organisation=organisation,
            **case_fields(title="NURSES' DESKS IN THE BAYS"),
        )
    assert "already has a case study" in str(error.value)


def test_outsiders_cannot_write_for_an_organisation(organisation, outsider_staff):
    with pytest.raises(PermissionDenied):
        services.case_create(actor=outsider_staff, organisation=organisation, **case_fields())


def test_sharing_decides_who_reads_a_published_case(author, editor, organisation, outsider_staff):
    public = published_case(author=author, editor=editor, organisation=organisation)
    network = published_case(
        author=author, editor=editor, organisation=organisation, title="N", sharing="network"
    )
    private = published_case(
        author=author, editor=editor, organisation=organisation, title="P", sharing="private"
    )
    draft = services.case_create(actor=author, organisation=organisation, **case_fields(title="D"))
    resident = UserFactory()
    from django.contrib.auth.models import AnonymousUser

    def seen(user):
        return set(selectors.visible_cases(user).values_list("title", flat=True))

    assert seen(author) == {public.title, "N", "P", "D"}
    assert seen(outsider_staff) == {public.title, "N"}
    assert seen(resident) == {public.title}
    assert seen(AnonymousUser()) == {public.title}
    assert not permissions.can_view_case(outsider_staff, private)
    assert not permissions.can_view_case(outsider_staff, draft)
    assert permissions.can_view_case(outsider_staff, network)


def test_search_finds_published_cases_only_for_those_they_are_shared_with(
    author, editor, organisation, outsider_staff
):
    private = published_case(
        author=author,
        editor=editor,
        organisation=organisation,
        title="Kaizen boards on wards",
        sharing="private",
    )
    shown = published_case(
        author=author, editor=editor, organisation=organisation, title="Kaizen huddles"
    )
    for case in (private, shown):
        index_object(label="library.casestudy", object_id=case.pk)
    found = selectors.library(user=outsider_staff, filters=selectors.CaseFilters(q="kaizen"))
    assert [c.title for c in found.cases] == ["Kaizen huddles"]
    found = selectors.library(user=author, filters=selectors.CaseFilters(q="kaizen"))
    assert {c.title for c in found.cases} == {"Kaizen boards on wards", "Kaizen huddles"}


def test_facets_count_the_cases_found(author, editor, organisation):
    published_case(author=author, editor=editor, organisation=organisation)
    published_case(
        author=author,
        editor=editor,
        organisation=organisation,
        title="Video suites",
        sector="policing",
        evidence_level=1,
        outcomes=[{"area": "staff", "statement": "Officers' time released", "figure": ""}],
    )
    result = selectors.library(user=author, filters=selectors.CaseFilters(sector="policing"))
    assert [c.title for c in result.cases] == ["Video suites"]
    facets = {facet.key: {k: n for k, _l, n in facet.options} for facet in result.facets}
    assert facets["outcome_area"]["staff"] == 1 and facets["outcome_area"]["safety"] == 0
    by_evidence = selectors.library(user=author).cases
    assert [c.evidence_level for c in by_evidence] == [2, 1]


# Adoption ----------------------------------------------------------------------------------


def test_adopting_a_case_starts_an_initiative_linked_to_it(case, adopter, other_organisation):
    adoption = services.case_adopt(
        actor=adopter,
        case=case,
        organisation=other_organisation,
        kind="initiative",
        adaptations="We will start on our stroke ward.",
    )
    initiative = adoption.initiative
    assert initiative.organisation == other_organisation
    assert initiative.source_kind == SourceKind.CASE
    assert initiative.source_case_id == case.pk
    assert "stroke ward" in initiative.summary
    spread = selectors.spread(user=adopter, case=case)
    assert [row.progress.label for row in spread.rows] == ["Test"]
    assert _actions(case)[-1] == "case.adopted"


def test_adopting_into_a_challenge_drafts_one(case, adopter, other_organisation):
    adoption = services.case_adopt(
        actor=adopter,
        case=case,
        organisation=other_organisation,
        kind="challenge",
        adaptations="Ask our ward teams how to make it work here.",
        sharing="public",
    )
    assert adoption.challenge.organisation == other_organisation
    assert adoption.challenge.status == "draft"
    assert "Adopted from" in adoption.challenge.evidence


def test_adoption_refusals(case, adopter, other_organisation, organisation, editor, author):
    with pytest.raises(ValidationError) as error:
        services.case_adopt(
            actor=adopter,
            case=case,
            organisation=other_organisation,
            kind="initiative",
            adaptations="",
        )
    assert "what you will adapt" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.case_adopt(
            actor=editor,
            case=case,
            organisation=organisation,
            kind="initiative",
            adaptations="Again.",
        )
    assert "own case study" in str(error.value)
    staff = member(other_organisation)
    with pytest.raises(PermissionDenied):
        services.case_adopt(
            actor=staff,
            case=case,
            organisation=other_organisation,
            kind="initiative",
            adaptations="Try it.",
        )
    services.case_adopt(
        actor=adopter,
        case=case,
        organisation=other_organisation,
        kind="initiative",
        adaptations="Try it.",
    )
    with pytest.raises(ValidationError) as error:
        services.case_adopt(
            actor=adopter,
            case=case,
            organisation=other_organisation,
            kind="challenge",
            adaptations="Again.",
        )
    assert "adopted this case already" in str(error.value)
    assert Adoption.objects.count() == 1


def test_a_private_case_cannot_be_adopted_by_another_organisation(
    author, editor, organisation, adopter, other_organisation
):
    private = published_case(
        author=author, editor=editor, organisation=organisation, sharing="private"
    )
    with pytest.raises(ValidationError) as error:
        services.case_adopt(
            actor=adopter,
            case=private,
            organisation=other_organisation,
            kind="initiative",
            adaptations="Try it.",
        )
    assert "no published case study with this number that you can see" in str(error.value)
    assert not Adoption.objects.exists()
    assert not other_organisation.initiatives.exists()


def test_a_private_adoption_is_hidden_from_the_source_organisation(
    case, adopter, other_organisation, author
):
    services.case_adopt(
        actor=adopter,
        case=case,
        organisation=other_organisation,
        kind="initiative",
        adaptations="Quietly.",
        sharing="private",
    )
    spread = selectors.spread(user=author, case=case)
    assert spread.rows == [] and spread.hidden == 1
    assert len(selectors.spread(user=adopter, case=case).rows) == 1


# From an initiative -----------------------------------------------------------------------


def test_a_finished_initiative_drafts_a_case_for_its_owner(organisation, editor, author):
    decider = member(organisation, "decision_maker")
    initiative = initiative_at(
        lead=editor,
        decider=decider,
        owner=author,
        organisation=organisation,
        stage="scale",
        summary="Texts the evening before bin day.",
    )
    case = services.case_draft_from_initiative(actor=editor, initiative=initiative)
    assert case.status == CaseStatus.DRAFT
    assert case.source_initiative == initiative
    assert case.title == initiative.title
    assert case.contact_email == author.email
    assert "Gate decisions on the way" in case.approach
    assert case.sector == "local_government"
    with pytest.raises(ValidationError):
        services.case_draft_from_initiative(actor=editor, initiative=initiative)
    # The owner completes it before submitting: the problem and outcomes are missing.
    with pytest.raises(ValidationError) as error:
        services.case_submit(actor=editor, case=case)
    assert "problem" in error.value.message_dict
    where = selectors.where_it_went(user=author, initiative=initiative)
    assert where["case"] == case


def test_an_initiative_still_in_test_has_nothing_to_write_up(organisation, editor, author):
    decider = member(organisation, "decision_maker")
    initiative = initiative_at(
        lead=editor, decider=decider, owner=author, organisation=organisation
    )
    with pytest.raises(ValidationError) as error:
        services.case_draft_from_initiative(actor=editor, initiative=initiative)
    assert "evaluation or scale" in str(error.value)
