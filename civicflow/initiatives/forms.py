"""Forms for initiatives. They check shape only; the services check every rule and give the
messages people see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.initiatives.models import (
    DECISION_HINTS,
    Decision,
    EvaluationDesign,
    Stage,
    Status,
)

DATE_PARTS = ("day", "month", "year")


class DateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year in three numeric text fields, in that order
    whatever the browser's language (a native date field shows the browser's order, mm/dd/yyyy
    in an American-English Chromium). Works without JavaScript.

    The parts are posted as ``<name>_day``, ``<name>_month`` and ``<name>_year``. A whole date
    posted under ``<name>`` itself (2026-03-31 or 31/03/2026, as scripts and links send it) is
    read too. ``govuk_field`` draws it as a fieldset of three labelled inputs.
    """

    govuk_kind = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        super().__init__({part: forms.TextInput(attrs=numeric) for part in DATE_PARTS}, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(name):
            return data.get(name)
        return [data.get(f"{name}_{part}", "") for part in DATE_PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in DATE_PARTS)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""


class DateField(forms.DateField):
    """A date entered as day, month and year (``DateInput``), checked as GOV.UK's date input
    pattern says: each part there, a four-figure year, and a real date."""

    widget = DateInput

    def to_python(self, value: Any) -> date | None:
        if not isinstance(value, list | tuple):
            return super().to_python(value)
        day, month, year = (str(part or "").strip() for part in value)
        if not (day or month or year):
            return None
        missing = [
            label
            for label, part in ((_("a day"), day), (_("a month"), month), (_("a year"), year))
            if not part
        ]
        if missing:
            raise forms.ValidationError(
                _("The date must include %(parts)s")
                % {"parts": str(_(" and ")).join(str(part) for part in missing)},
                code="incomplete",
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise forms.ValidationError(_("The year must have 4 numbers"), code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("For example, 31 3 2026"),
        error_messages={"invalid": _("Enter a real date, for example 31 3 2026")},
    )


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("In pounds, for example 12500 or 12500.50"),
        error_messages={"invalid": _("Enter an amount in pounds, for example 12500.50")},
    )


class MemberChoiceField(forms.ModelChoiceField):
    """A member of the organisation, shown with their email address to tell namesakes apart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.email})"


class PeopleForm(forms.Form):
    """A form that chooses people among the organisation's members."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.people_fields:
            field = self.fields[name]
            assert isinstance(field, MemberChoiceField)
            field.queryset = members


class InitiativeForm(PeopleForm):
    people_fields = ("business_owner", "delivery_lead")

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What will change, for whom, and how you will know it worked."),
    )
    business_owner = MemberChoiceField(
        label=_("Business owner"),
        queryset=None,
        required=False,
        empty_label=_("Not chosen yet"),
        help_text=_(
            "The manager of the service that changes. They are accountable for the change and "
            "its benefits, and a gate decision needs one."
        ),
    )
    delivery_lead = MemberChoiceField(
        label=_("Delivery lead"), queryset=None, required=False, empty_label=_("Not chosen yet")
    )
    public = forms.BooleanField(
        label=_("Show this initiative and its decisions on the public accountability page"),
        required=False,
    )


class StartForm(InitiativeForm):
    idea = forms.IntegerField(widget=forms.HiddenInput, required=False)
    grant = forms.IntegerField(widget=forms.HiddenInput, required=False)
    award = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EditForm(InitiativeForm):
    reason = forms.CharField(
        label=_("Why are you changing it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log."),
    )


class TeamForm(PeopleForm):
    people_fields = ("user",)

    user = MemberChoiceField(
        label=_("Person"),
        queryset=None,
        empty_label=_("Choose a member"),
        error_messages={"required": _("Choose a member of the organisation")},
    )
    role = forms.CharField(
        label=_("Role on the initiative"),
        max_length=120,
        help_text=_("For example, data analyst, frontline champion or service designer."),
        error_messages={"required": _("Enter their role on the initiative")},
    )


class StagePlanForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    planned_start = _date(_("Planned start"))
    planned_end = _date(_("Planned end"))
    budget = _money(_("Budget"))
    spent = _money(_("Spend to date"))


class CriterionForm(forms.Form):
    stage = forms.ChoiceField(label=_("Before entering the stage"), choices=Stage.choices)
    text = forms.CharField(
        label=_("Entry criterion"),
        max_length=300,
        help_text=_("Something that must be true first, for example ‘Pilot results reviewed’."),
        error_messages={"required": _("Enter the entry criterion")},
    )


class UpdateForm(forms.Form):
    body = forms.CharField(
        label=_("Progress update"),
        widget=forms.Textarea,
        help_text=_("What happened since the last update, and what happens next."),
        error_messages={"required": _("Enter the update")},
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"), max_length=200, error_messages={"required": _("Enter the milestone")}
    )
    due_on = _date(_("Due"), required=True)


class EvaluationForm(forms.Form):
    question = forms.CharField(
        label=_("Evaluation question"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example, do text reminders cut missed bin collections?"),
        error_messages={"required": _("Enter the evaluation question")},
    )
    design = forms.ChoiceField(
        label=_("Design"), choices=EvaluationDesign.choices, widget=forms.RadioSelect
    )
    sample = forms.CharField(
        label=_("Sample"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who or what is measured, and how many."),
    )
    measures = forms.CharField(
        label=_("Measures"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What is measured. Put more than money: quality, satisfaction, staff time."),
    )
    review_dates = forms.CharField(
        label=_("Review dates"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One a line, day, month and year, for example 30 9 2026 or 30/9/2026. The owner "
            "and the delivery lead are reminded on each date."
        ),
    )

    def clean_review_dates(self) -> list[date]:
        dates: list[date] = []
        for number, line in enumerate(self.cleaned_data["review_dates"].splitlines(), 1):
            if not line.strip():
                continue
            day = _review_date(line.strip())
            if day is None:
                raise forms.ValidationError(
                    _("Line %(number)s: enter a date like 30 9 2026 or 2026-09-30")
                    % {"number": number}
                )
            dates.append(day)
        return dates


def _review_date(text: str) -> date | None:
    """A date written day first (30 9 2026, 30/9/2026, 30-9-2026) or as ISO (2026-09-30)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", " ").replace("-", " ").replace(".", " ").split()
    if len(parts) != 3 or not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(choice, f"{choice.label} – {DECISION_HINTS[choice]}") for choice in Decision],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose go, hold, stop or pivot")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea,
        help_text=_("Why you decided this. It is kept with your name on the register."),
        error_messages={"required": _("Enter the reason for the decision")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What must happen next, or before the next gate."),
    )
    evidence_links = forms.CharField(
        label=_("Evidence considered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Links to the reports and data you considered, one a line."),
    )
    correct_latest = forms.BooleanField(
        label=_("This decision corrects the latest one, which was recorded wrongly"),
        required=False,
    )

    def clean_evidence_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]


class PortfolioFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    stalled = forms.IntegerField(
        label=_("Only those with no update for this many days"),
        min_value=1,
        max_value=3650,
        required=False,
    )
    q = forms.CharField(label=_("Title contains"), required=False, max_length=100)


class RegisterFilterForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("Any decision")), *Decision.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False
    )
    since = _date(_("Decided on or after"))
    until = _date(_("Decided on or before"))
