"""The case library: case studies of what worked, their editorial reviews, and adoptions.

A case study belongs to the organisation that publishes it and is shared publicly, with the
network (members of any organisation on the instance) or kept private to its organisation.
It is written directly or drafted from a finished initiative, and an editor reviews it against
the acceptance checklist before it is published. Another organisation adopts a published case
by starting a challenge or an initiative of its own linked to it; the case's spread page shows
every adoption beside the original's results.

A case's outcomes come in two kinds, kept apart on every page. *Reported* outcomes are the
case's own statements, each with its published figure (or none). *Measured* results are the
KPIs, cost-benefit analyses and SROIs of the initiative the case was drafted from, read live
from the outcomes app; only those the case's editors choose to publish with it are shown, so a
public case never shows more of a private initiative than they decided. A case imported from
open data keeps the measured results its source published, as they were exported.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import AppendOnlyError, TimeStampedModel

# Cases are typed with the same kinds of innovation as ideas.
from civicflow.ideas.models import InnovationType

TITLE_MAX = 200
SUMMARY_MAX = 2_000
TEXT_MAX = 10_000
STATEMENT_MAX = 500
FIGURE_MAX = 100
CONTACT_NAME_MAX = 150
NOTE_MAX = 5_000
OUTCOMES_MAX = 12


class Sector(models.TextChoices):
    HEALTH = "health", _("Health")
    SOCIAL_CARE = "social_care", _("Social care")
    EDUCATION = "education", _("Education")
    POLICING = "policing", _("Policing and justice")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    HOUSING = "housing", _("Housing")
    TRANSPORT = "transport", _("Transport")
    CENTRAL_GOVERNMENT = "central_government", _("Central government")


class EvidenceLevel(models.IntegerChoices):
    """Nesta's Standards of Evidence, the scale the outcomes app assesses initiatives on."""

    LOGIC = 1, _("Level 1: a logical reason why it should work")
    CHANGE = 2, _("Level 2: data show a positive change")
    CAUSAL = 3, _("Level 3: a comparison shows it caused the change")
    EXPLAINED = 4, _("Level 4: independent evaluations explain why and how it works")
    REPLICATED = 5, _("Level 5: it has been replicated elsewhere with the same impact")


class OutcomeArea(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health and wellbeing")
    MONEY = "money", _("Money saved or earned")
    QUALITY = "quality", _("Quality of service")
    ACCESS = "access", _("Access and convenience")
    STAFF = "staff", _("Staff time and satisfaction")
    EMPLOYMENT = "employment", _("Jobs and employment")
    ENVIRONMENT = "environment", _("Environment")
    PARTICIPATION = "participation", _("Participation and ideas")


class Licence(models.TextChoices):
    OGL = "OGL-UK-3.0", _("Open Government Licence v3.0")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC0 = "CC0-1.0", _("Creative Commons Zero (public domain)")
    RESERVED = "all-rights-reserved", _("All rights reserved (not open data)")


OPEN_LICENCES = frozenset({Licence.OGL, Licence.CC_BY, Licence.CC_BY_SA, Licence.CC0})


class Sharing(models.TextChoices):
    PUBLIC = "public", _("Public: anyone, signed in or not")
    NETWORK = "network", _("Network only: members of any organisation on this service")
    PRIVATE = "private", _("Private: members of our organisation only")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


# The acceptance checklist an editor confirms before publishing (after OPSI's criteria).
CHECKLIST: dict[str, Any] = {
    "public_sector": _("The public sector is integral to it"),
    "new_in_context": _("It is new in its context"),
    "implemented": _("It was implemented, at least as a pilot"),
    "evidence": _("There is some evidence of its impact"),
}


class CaseStudy(TimeStampedModel):
    """What an organisation did about a problem, what came of it, and what it learnt.

    ``reference`` is the case's identity in open data: it travels with exports and imports,
    so the same case is recognised on another instance. ``source_initiative`` is the finished
    initiative the case was drafted from, if any.
    """

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="case_studies"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"))
    problem = models.TextField(_("the problem"))
    approach = models.TextField(_("what was done"))
    costs = models.TextField(_("costs"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    innovation_type = models.CharField(
        _("type of innovation"), max_length=20, choices=InnovationType.choices
    )
    evidence_level = models.PositiveSmallIntegerField(
        _("evidence level"), choices=EvidenceLevel.choices
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.OGL
    )
    sharing = models.CharField(
        _("who can see it"), max_length=10, choices=Sharing.choices, default=Sharing.PUBLIC
    )
    contact_name = models.CharField(_("contact name"), max_length=CONTACT_NAME_MAX, blank=True)
    contact_email = models.EmailField(_("contact email address"), blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    source_initiative = models.OneToOneField(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_study",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    # The source initiative's measures published with the case, read live when shown.
    published_kpis = models.ManyToManyField("outcomes.Kpi", blank=True, related_name="+")
    published_appraisals = models.ManyToManyField(
        "outcomes.Appraisal", blank=True, related_name="+"
    )
    # Measured results as an imported open-data record carried them ({"kpis", "appraisals"}).
    measured_at_source = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        indexes = [
            models.Index(fields=["status", "sharing"], name="case_visible_idx"),
            models.Index(fields=["organisation", "status"], name="case_org_status_idx"),
            models.Index(fields=["-evidence_level", "-published_at"], name="case_evidence_idx"),
        ]
        constraints = [
            # The same organisation does not publish two cases of the same name.
            models.UniqueConstraint(
                Lower("title"), "organisation", name="case_title_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__gte=1, evidence_level__lte=5),
                name="case_evidence_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(finished_on__isnull=True)
                | Q(finished_on__gte=models.F("started_on")),
                name="case_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="case_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:case", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def is_open_data(self) -> bool:
        return (
            self.is_published and self.sharing == Sharing.PUBLIC and self.licence in OPEN_LICENCES
        )

    @property
    def year(self) -> int | None:
        moment = self.finished_on or self.started_on
        return moment.year if moment else None


class CaseOutcome(models.Model):
    """One result of a case, in words, with its published figure if there is one."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="outcomes")
    area = models.CharField(_("outcome area"), max_length=20, choices=OutcomeArea.choices)
    statement = models.CharField(_("what changed"), max_length=STATEMENT_MAX)
    figure = models.CharField(_("figure"), max_length=FIGURE_MAX, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "position", "id"]
        indexes = [models.Index(fields=["area", "case"], name="case_outcome_area_idx")]

    def __str__(self) -> str:
        return f"{self.figure} {self.statement}".strip()


class ReviewDecision(models.TextChoices):
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    IMPORTED = "imported", _("Imported as published open data")


class CaseReviewQuerySet(models.QuerySet["CaseReview"]):
    """Editorial reviews may be read and added, never changed or removed."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Reviews cannot be changed; review the case again.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Reviews cannot be deleted.")


class CaseReview(models.Model):
    """An editor's review of a submitted case against the checklist: published or returned
    with reasons. Append-only."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    checklist = models.JSONField(default=dict)
    reasons = models.TextField(_("reasons"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="case_reviews",
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = CaseReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.case}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Reviews cannot be changed; review the case again.")
        super().save(*args, **kwargs)


class AdoptionKind(models.TextChoices):
    CHALLENGE = "challenge", _("A challenge, to ask for ideas on how to adapt it")
    INITIATIVE = "initiative", _("An initiative, to pilot it straight away")


class Adoption(TimeStampedModel):
    """An organisation taking up a published case: the challenge or initiative it started
    from it, and what it will adapt.

    ``sharing`` says who sees the adoption (and the progress of what it started) on the
    source case's spread page; the linked challenge or initiative keeps its own visibility.
    """

    case = models.ForeignKey(CaseStudy, on_delete=models.PROTECT, related_name="adoptions")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="adoptions"
    )
    kind = models.CharField(max_length=10, choices=AdoptionKind.choices)
    challenge = models.OneToOneField(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoption",
    )
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoption",
    )
    adaptations = models.TextField(_("what we will adapt"))
    sharing = models.CharField(
        _("who can see this adoption"),
        max_length=10,
        choices=Sharing.choices,
        default=Sharing.NETWORK,
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="adoption_once_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(kind="challenge", initiative__isnull=True)
                | Q(kind="initiative", challenge__isnull=True),
                name="adoption_links_its_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.case}"

    @property
    def started(self) -> Any:
        """The challenge or initiative the adoption started (None if it was deleted)."""
        return self.initiative if self.kind == AdoptionKind.INITIATIVE else self.challenge
