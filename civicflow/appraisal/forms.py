"""Forms for appraisal pages. They check shape only; the services check every rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.appraisal.models import BarrierKind, DecisionKind
from civicflow.appraisal.models.panels import RankBy
from civicflow.challenges.forms import LocalDateTimeField


class CriterionForm(forms.Form):
    name = forms.CharField(
        label=_("Criterion"), max_length=120, error_messages={"required": _("Enter the name")}
    )
    description = forms.CharField(
        label=_("What it means"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    weight = forms.IntegerField(
        label=_("Weight, from 1 to 10"),
        min_value=1,
        max_value=10,
        initial=1,
        error_messages={"required": _("Enter the weight")},
    )


class PanelForm(forms.Form):
    reviews_per_submission = forms.IntegerField(
        label=_("Reviews for each submission"), min_value=1, max_value=20, initial=2
    )
    blind = forms.BooleanField(
        label=_("Blind: assessors do not see authors or organisations"), required=False
    )
    rank_by = forms.ChoiceField(
        label=_("Rank by"),
        choices=RankBy.choices,
        initial=RankBy.STANDARDISED,
        widget=forms.RadioSelect,
    )


class AssessorForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Assessor"), coerce=int, choices=())

    def __init__(self, *args: Any, people: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.pk, str(p)) for p in people]


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this submission?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a conflict of interest")},
    )
    details = forms.CharField(
        label=_("If yes, what is it?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    idea = forms.TypedChoiceField(label=_("Submission"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    tier = forms.TypedChoiceField(
        label=_("Prize tier (awards of a prize)"),
        coerce=int,
        choices=(),
        required=False,
        empty_value=None,
    )
    reason = forms.CharField(
        label=_("Reason (kept on record and published with the results)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason")},
    )

    def __init__(
        self, *args: Any, ideas: Iterable[Any] = (), tiers: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        idea, tier = self.fields["idea"], self.fields["tier"]
        assert isinstance(idea, forms.ChoiceField) and isinstance(tier, forms.ChoiceField)
        idea.choices = [(i.pk, i.title) for i in ideas]
        tier.choices = [("", "—"), *[(t.pk, t.name) for t in tiers]]


class BusinessCaseForm(forms.Form):
    point = forms.CharField(
        label=_("Point: what will change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the point")},
    )
    justification = forms.CharField(
        label=_("Justification: why it will work"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the justification")},
    )
    illustration = forms.CharField(
        label=_("Illustration: an example or evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    benefits = forms.CharField(
        label=_("Benefits"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    costs = forms.CharField(
        label=_("Costs"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    cost_total = forms.IntegerField(label=_("Total cost, in pounds"), min_value=0, required=False)
    involved_frontline_staff = forms.BooleanField(
        label=_("Frontline staff were involved"), required=False
    )
    involved_service_users = forms.BooleanField(
        label=_("Service users were involved"), required=False
    )
    involvement = forms.CharField(
        label=_("Who was involved, and how"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in BarrierKind:
            self.fields[f"barrier_{kind.value}"] = forms.CharField(
                label=_("%(barrier)s: how it will be countered (leave empty if it does not apply)")
                % {"barrier": kind.label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def barriers(self) -> dict[str, str]:
        return {
            kind.value: self.cleaned_data[f"barrier_{kind.value}"]
            for kind in BarrierKind
            if self.cleaned_data.get(f"barrier_{kind.value}", "").strip()
        }


# Prizes, fund rounds and hack days ---------------------------------------------------------

TIER_ROWS = 3
MILESTONE_ROWS = 3
MONEY_MAX = 10**12


def _money(label: Any, *, required: bool = True, min_value: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=MONEY_MAX,
        required=required,
        error_messages={
            "required": _("Enter the amount, in whole pounds"),
            "invalid": _("Enter the amount as a whole number of pounds, like 25000"),
            "min_value": _("Enter an amount of %(limit_value)s or more"),
            "max_value": _("Enter a smaller amount"),
        },
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _commas(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


class PrizeForm(forms.Form):
    pot = _money(_("Prize pot, in pounds"))
    closes_at = LocalDateTimeField(
        label=_("Entries close"),
        help_text=_("For example 31/05/2027 17:00"),
        error_messages={"required": _("Enter when entries close")},
    )
    questions = forms.CharField(
        label=_("Eligibility questions"),
        help_text=_("One question a line. Entrants must answer yes to each to be eligible."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, TIER_ROWS + 1):
            first = i == 1
            self.fields[f"tier_{i}_name"] = forms.CharField(
                label=_("Tier %(n)s: name, such as Winner or Runner-up") % {"n": i},
                max_length=120,
                required=first,
                error_messages={"required": _("Name at least one tier, such as Winner")},
            )
            self.fields[f"tier_{i}_amount"] = _money(
                _("Tier %(n)s: award for each place, in pounds") % {"n": i}, required=first
            )
            self.fields[f"tier_{i}_places"] = forms.IntegerField(
                label=_("Tier %(n)s: places") % {"n": i},
                min_value=1,
                max_value=100,
                initial=1,
                required=False,
            )

    def tier_rows(self) -> list[list[Any]]:
        return [
            [self[f"tier_{i}_name"], self[f"tier_{i}_amount"], self[f"tier_{i}_places"]]
            for i in range(1, TIER_ROWS + 1)
        ]

    def tiers(self) -> list[tuple[str, int, int]]:
        data = self.cleaned_data
        return [
            (data[f"tier_{i}_name"], data[f"tier_{i}_amount"], data[f"tier_{i}_places"] or 1)
            for i in range(1, TIER_ROWS + 1)
            if data.get(f"tier_{i}_name") or data.get(f"tier_{i}_amount")
        ]

    def question_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("questions", ""))


class PrizeTiersForm(forms.Form):
    """The prize's tiers, each with a box to remove it, and empty rows to add new ones."""

    NEW_ROWS = 2

    def __init__(self, *args: Any, tiers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tier_ids = []
        for tier in tiers:
            self.tier_ids.append(tier.pk)
            # A tier that stays needs every field; one being removed needs none.
            removing = self.is_bound and bool(self.data.get(f"tier_{tier.pk}_remove"))
            self._row(f"tier_{tier.pk}", tier.name, initial=tier, required=not removing)
            self.fields[f"tier_{tier.pk}_remove"] = forms.BooleanField(
                label=_("Remove %(name)s") % {"name": tier.name}, required=False
            )
        for i in range(1, self.NEW_ROWS + 1):
            self._row(f"new_{i}", _("New tier %(n)s") % {"n": i})

    def _row(self, prefix: str, title: Any, initial: Any = None, required: bool = False) -> None:
        self.fields[f"{prefix}_name"] = forms.CharField(
            label=_("%(tier)s: name") % {"tier": title},
            max_length=120,
            required=required,
            initial=initial.name if initial else None,
            error_messages={"required": _("Enter the tier's name, or remove the tier")},
        )
        self.fields[f"{prefix}_amount"] = _money(
            _("%(tier)s: award for each place, in pounds") % {"tier": title}, required=required
        )
        self.fields[f"{prefix}_amount"].initial = initial.amount if initial else None
        self.fields[f"{prefix}_places"] = forms.IntegerField(
            label=_("%(tier)s: places") % {"tier": title},
            min_value=1,
            max_value=100,
            initial=initial.places if initial else 1,
            required=required,
            error_messages={"required": _("Enter how many places the tier has")},
        )

    def rows(self) -> list[dict[str, Any]]:
        """Each tier's fields, and its remove box (None for a new tier), in order."""
        found = [(f"tier_{pk}", pk) for pk in self.tier_ids]
        found += [(f"new_{i}", None) for i in range(1, self.NEW_ROWS + 1)]
        return [
            {
                "fields": [self[f"{p}_name"], self[f"{p}_amount"], self[f"{p}_places"]],
                "remove": self[f"{p}_remove"] if pk is not None else None,
                "new": pk is None,
                "initial_name": self.fields[f"{p}_name"].initial,
            }
            for p, pk in found
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix, kept in [
            (f"tier_{pk}", not data.get(f"tier_{pk}_remove")) for pk in self.tier_ids
        ] + [
            (f"new_{i}", bool(data.get(f"new_{i}_name") or data.get(f"new_{i}_amount")))
            for i in range(1, self.NEW_ROWS + 1)
        ]:
            if not kept:
                continue
            if not data.get(f"{prefix}_name") and f"{prefix}_name" not in self.errors:
                self.add_error(f"{prefix}_name", _("Enter the tier's name, or remove the tier"))
            if data.get(f"{prefix}_amount") is None and f"{prefix}_amount" not in self.errors:
                self.add_error(f"{prefix}_amount", _("Enter the award for each place"))
        return data

    def changes(self) -> list[tuple[int | None, str, int, int]]:
        """The tiers to keep, change and add: (id or None, name, award, places)."""
        data = self.cleaned_data
        kept: list[tuple[int | None, str, int, int]] = [
            (pk, data[f"tier_{pk}_name"], data[f"tier_{pk}_amount"], data[f"tier_{pk}_places"] or 1)
            for pk in self.tier_ids
            if not data.get(f"tier_{pk}_remove")
        ]
        kept += [
            (None, data[f"new_{i}_name"], data[f"new_{i}_amount"], data[f"new_{i}_places"] or 1)
            for i in range(1, self.NEW_ROWS + 1)
            if data.get(f"new_{i}_name") or data.get(f"new_{i}_amount")
        ]
        return kept


class EligibilityForm(forms.Form):
    def __init__(self, *args: Any, questions: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no")},
            )

    def answers(self) -> dict[int, bool]:
        return {int(name[2:]): bool(value) for name, value in self.cleaned_data.items()}


class FundForm(forms.Form):
    budget = _money(_("Budget for the round, in pounds"))
    max_award = _money(_("Largest single grant, in pounds (optional)"), required=False)
    outcome_based = forms.BooleanField(
        label=_("Pay grants when outcomes are achieved (outcome-based commissioning)"),
        required=False,
    )


class ApplicationForm(forms.Form):
    idea = forms.TypedChoiceField(
        label=_("Your idea"),
        help_text=_("Ideas you put forward in this round, or co-write with their author."),
        coerce=int,
        choices=(),
        error_messages={"required": _("Choose the idea you apply for")},
    )
    amount_requested = _money(_("Amount you ask for, in pounds"))
    plan = forms.CharField(
        label=_("Your plan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Enter your plan")},
    )
    outcomes = forms.CharField(
        label=_("Outcomes you will achieve"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
    )
    organisation_name = forms.CharField(
        label=_("Applying organisation (optional)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, ideas: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["idea"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.pk, i.title) for i in ideas]
        for i in range(1, MILESTONE_ROWS + 1):
            self.fields[f"m_{i}_title"] = forms.CharField(
                label=_("Milestone %(n)s") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"m_{i}_due_on"] = forms.DateField(
                label=_("Milestone %(n)s: due") % {"n": i},
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                required=False,
                error_messages={"invalid": _("Enter a real date, for example 2027-03-31")},
            )
            self.fields[f"m_{i}_payment"] = _money(
                _("Milestone %(n)s: payment when met, in pounds") % {"n": i},
                required=False,
                min_value=0,
            )
            self.fields[f"m_{i}_outcome"] = forms.CharField(
                label=_("Milestone %(n)s: outcome that triggers payment") % {"n": i},
                max_length=300,
                required=False,
            )

    def milestone_rows(self) -> list[list[Any]]:
        return [
            [
                self[f"m_{i}_title"],
                self[f"m_{i}_due_on"],
                self[f"m_{i}_payment"],
                self[f"m_{i}_outcome"],
            ]
            for i in range(1, MILESTONE_ROWS + 1)
        ]

    def base_rows(self) -> list[Any]:
        return [self[name] for name in ("idea", "amount_requested", "plan", "outcomes")] + [
            self["organisation_name"]
        ]

    def milestones(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "title": data.get(f"m_{i}_title", ""),
                "due_on": data.get(f"m_{i}_due_on"),
                "payment": data.get(f"m_{i}_payment") or 0,
                "outcome": data.get(f"m_{i}_outcome", ""),
            }
            for i in range(1, MILESTONE_ROWS + 1)
            if data.get(f"m_{i}_title") or data.get(f"m_{i}_payment") or data.get(f"m_{i}_outcome")
        ]


class GrantForm(forms.Form):
    application = forms.TypedChoiceField(
        label=_("Application"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Choose an application")},
    )
    amount = _money(_("Grant, in pounds"))
    reason = forms.CharField(
        label=_("Reason (kept on record and published with the results)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        error_messages={"required": _("Enter the reason")},
    )
    letter = forms.CharField(
        label=_("Award letter (leave empty for the standard letter)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )

    def __init__(self, *args: Any, applications: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.pk, f"{a.idea.title} ({a.amount_requested:,})") for a in applications]


class ReportForm(forms.Form):
    milestone = forms.TypedChoiceField(
        label=_("Milestone"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Choose a milestone")},
    )
    report = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        error_messages={"required": _("Say what happened")},
    )
    outcome_achieved = forms.TypedChoiceField(
        label=_("Was the milestone's outcome achieved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the outcome was achieved")},
    )

    def __init__(self, *args: Any, milestones: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["milestone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m.pk, m.title) for m in milestones]


class PaymentForm(forms.Form):
    amount = _money(_("Payment, in pounds"))
    milestone = forms.TypedChoiceField(
        label=_("For milestone"),
        coerce=int,
        choices=(),
        required=False,
        empty_value=None,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, milestones: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["milestone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No milestone")), *[(m.pk, m.title) for m in milestones]]


class HackDayForm(forms.Form):
    starts_at = LocalDateTimeField(
        label=_("Starts"),
        help_text=_("For example 14/03/2027 09:30"),
        error_messages={"required": _("Enter when the hack day starts")},
    )
    ends_at = LocalDateTimeField(
        label=_("Ends"),
        help_text=_("For example 15/03/2027 17:00"),
        error_messages={"required": _("Enter when the hack day ends")},
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.CharField(
        label=_("Online link"),
        help_text=_("A web address starting https://, if people can join online"),
        max_length=200,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=100_000,
        error_messages={"required": _("Enter how many people can come")},
    )


class RegistrationForm(forms.Form):
    skills = forms.CharField(
        label=_("Skills you bring"),
        help_text=_("Separate them with commas, for example: nursing, Python, service design"),
        max_length=1_000,
        error_messages={"required": _("Say at least one skill you bring")},
    )

    def skill_list(self) -> list[str]:
        return _commas(self.cleaned_data["skills"])


class TeamForm(forms.Form):
    idea = forms.TypedChoiceField(
        label=_("Idea the team works on"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Choose an idea")},
    )
    name = forms.CharField(
        label=_("Team name"), max_length=120, error_messages={"required": _("Name the team")}
    )
    skills_needed = forms.CharField(
        label=_("Skills the team still needs"),
        help_text=_("Separate them with commas"),
        max_length=1_000,
        required=False,
    )

    def __init__(self, *args: Any, ideas: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["idea"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.pk, i.title) for i in ideas]

    def skill_list(self) -> list[str]:
        return _commas(self.cleaned_data.get("skills_needed", ""))


class PrototypeForm(forms.Form):
    description = forms.CharField(
        label=_("What you built"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Describe the prototype")},
    )
    link = forms.CharField(
        label=_("Link to the prototype"),
        help_text=_("A web address starting https://"),
        max_length=200,
        required=False,
    )
    screenshots = forms.CharField(
        label=_("Links to screenshots"),
        help_text=_("One web address a line, up to 10"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def screenshot_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("screenshots", ""))
