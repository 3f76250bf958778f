"""Forms for the case library. They check shape only; the services check every rule and give
the messages people see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.library.models import (
    CHECKLIST,
    AdoptionKind,
    EvidenceLevel,
    InnovationType,
    Licence,
    OutcomeArea,
    Sector,
    Sharing,
)

OUTCOME_ROWS = 6


def _blank(choices: Any, label: Any = "") -> list[tuple[Any, Any]]:
    return [("", label or _("Choose…")), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("For example, 2026-03-31"),
        error_messages={"invalid": _("Enter a real date, for example 2026-03-31")},
    )


class CaseForm(forms.Form):
    """A case study with up to six outcomes, each an area, a statement and a figure."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Two or three sentences: what changed, where, and the headline result."),
    )
    problem = forms.CharField(
        label=_("The problem"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    approach = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    costs = forms.CharField(
        label=_("Costs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What it cost to set up and to run, and who paid."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices), required=False)
    innovation_type = forms.ChoiceField(
        label=_("Type of innovation"), choices=_blank(InnovationType.choices), required=False
    )
    evidence_level = forms.ChoiceField(
        label=_("Evidence level"),
        choices=_blank(EvidenceLevel.choices),
        required=False,
        help_text=_("Nesta's Standards of Evidence, from 1 to 5."),
    )
    started_on = _date(_("Started"))
    finished_on = _date(_("Finished"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.CharField(
        label=_("Contact email address"),
        max_length=254,
        required=False,
        help_text=_("Shown to people who can read the case; never in open data exports."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=Licence.choices, initial=Licence.OGL, required=False
    )
    sharing = forms.ChoiceField(
        label=_("Who can see it once published"),
        choices=Sharing.choices,
        initial=Sharing.PUBLIC,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, OUTCOME_ROWS + 1):
            self.fields[f"outcome_{number}_area"] = forms.ChoiceField(
                label=_("Outcome %(n)s: area") % {"n": number},
                choices=_blank(OutcomeArea.choices, _("No outcome")),
                required=False,
            )
            self.fields[f"outcome_{number}_statement"] = forms.CharField(
                label=_("Outcome %(n)s: what changed") % {"n": number},
                max_length=500,
                required=False,
            )
            self.fields[f"outcome_{number}_figure"] = forms.CharField(
                label=_("Outcome %(n)s: figure") % {"n": number},
                max_length=100,
                required=False,
                help_text=_("As published, for example ‘80 %’ or ‘£8m’; leave empty if none."),
            )

    def outcome_rows(self) -> list[list[Any]]:
        return [
            [self[f"outcome_{n}_{part}"] for part in ("area", "statement", "figure")]
            for n in range(1, OUTCOME_ROWS + 1)
        ]

    def case_fields(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        outcomes = []
        for number in range(1, OUTCOME_ROWS + 1):
            area = data.pop(f"outcome_{number}_area", "")
            statement = data.pop(f"outcome_{number}_statement", "")
            figure = data.pop(f"outcome_{number}_figure", "")
            if area or statement or figure:
                outcomes.append({"area": area, "statement": statement, "figure": figure})
        data["outcomes"] = outcomes
        data["evidence_level"] = data.get("evidence_level") or None
        return data

    @staticmethod
    def initial_from(fields: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in fields.items() if k != "outcomes"}
        for number, outcome in enumerate(fields.get("outcomes", []), start=1):
            for part in ("area", "statement", "figure"):
                initial[f"outcome_{number}_{part}"] = outcome[part]
        return initial


class ReviewForm(forms.Form):
    checklist = forms.MultipleChoiceField(
        label=_("Acceptance checklist"),
        choices=list(CHECKLIST.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Confirm each one to publish. If one does not hold, return the case."),
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("published", _("Publish it")), ("returned", _("Return it to the author"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to publish the case or return it")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Needed when you return it: what the author should change."),
    )


class AdoptForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Adopt it for"))
    kind = forms.ChoiceField(
        label=_("Start"),
        choices=AdoptionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to start a challenge or an initiative")},
    )
    adaptations = forms.CharField(
        label=_("What will you adapt?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Who it is for, where you will start, what you will do differently."),
    )
    sharing = forms.ChoiceField(
        label=_("Who can see this adoption on the case's spread page"),
        choices=Sharing.choices,
        initial=Sharing.NETWORK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(o.slug, o.name) for o in organisations]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_("A JSON or CSV file in the format of this library's open data export."),
        error_messages={"required": _("Choose a JSON or CSV file to import")},
    )


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=_blank(Sector.choices, _("Any")), required=False
    )
    innovation_type = forms.ChoiceField(
        label=_("Type of innovation"),
        choices=_blank(InnovationType.choices, _("Any")),
        required=False,
    )
    evidence_level = forms.TypedChoiceField(
        label=_("Evidence level"),
        choices=_blank(EvidenceLevel.choices, _("Any")),
        coerce=int,
        empty_value=None,
        required=False,
    )
    outcome_area = forms.ChoiceField(
        label=_("Outcome area"), choices=_blank(OutcomeArea.choices, _("Any")), required=False
    )
    organisation = forms.SlugField(label=_("Organisation"), max_length=80, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("", _("Relevance, then evidence")),
            ("evidence", _("Strongest evidence first")),
            ("newest", _("Newest first")),
        ],
        required=False,
    )


class MeasuresForm(forms.Form):
    """Which of the initiative's KPIs and appraisals the case publishes."""

    kpis = forms.TypedMultipleChoiceField(
        label=_("KPIs"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each shows its baseline, target and latest reading, kept up to date"),
    )
    appraisals = forms.TypedMultipleChoiceField(
        label=_("Cost-benefit analyses and SROIs"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each shows its net present value and benefit-cost ratio, or its SROI ratio"),
    )

    def __init__(
        self, *args: Any, kpis: list[tuple[int, str]], appraisals: list[tuple[int, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["kpis"].choices = kpis  # type: ignore[attr-defined]
        self.fields["appraisals"].choices = appraisals  # type: ignore[attr-defined]
