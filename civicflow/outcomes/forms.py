"""Forms for outcomes. They check shape only; the services (and the arithmetic) check every
rule and give the messages people see.

The appraisal editors are plain forms with a fixed number of rows, so they work without
JavaScript: blank rows are left out, and a link asks for more rows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.initiatives.forms import _date
from civicflow.outcomes.models import Direction, NestaLevel, QuestionKind, StoryKind


def _text(
    label: Any, *, max_length: int = 200, required: bool = True, **extra: Any
) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **extra)


def _number(label: Any, *, required: bool = True, hint: Any = "") -> forms.CharField:
    # Numbers are read as text and parsed exactly by the service, which says what is wrong.
    return forms.CharField(
        label=label,
        required=required,
        max_length=40,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class KpiForm(forms.Form):
    name = _text(_("Name"), help_text=_("For example, ‘Falls on the ward a month’"))
    unit = _text(
        _("Unit"), max_length=40, required=False, help_text=_("For example, falls, days or %")
    )
    direction = forms.ChoiceField(
        label=_("Which way is better?"), choices=Direction.choices, widget=forms.RadioSelect
    )
    baseline_value = _number(_("Baseline value"))
    baseline_on = _date(_("Baseline date"), required=True)
    target_value = _number(_("Target value"))
    target_on = _date(_("Target date"), required=True)


class ReadingForm(forms.Form):
    value = _number(_("Value"))
    taken_on = _date(_("Date of the reading"), required=True)
    source = _text(_("Source"), required=False, help_text=_("Where the figure comes from"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _reason(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log with the old figures"),
    )


class ReadingCorrectForm(ReadingForm):
    reason = _reason(_("Why it is being corrected (optional)"))


class ReasonForm(forms.Form):
    """A confirmation page's form: a reason for the record, and nothing else."""

    reason = _reason(_("Why (optional)"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The first row names the columns: date, value, and if you like source and note. "
            "Dates like 2025-03-31 or 31/03/2025."
        ),
    )


class EvidenceLevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Evidence level"), choices=NestaLevel.choices, coerce=int, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What evidence shows it has reached this level"),
    )


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StoryKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What was said, or what happened"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attributed_to = _text(
        _("Who said it, or whose story it is"),
        help_text=_("Without naming them unless they agreed: ‘a resident of Ward 7’"),
    )
    collected_on = _date(_("Date"))


class SavingsForm(forms.Form):
    financial_year = forms.IntegerField(
        label=_("Financial year"),
        help_text=_("The year it starts in: 2025 for April 2025 to March 2026"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    planned = _number(_("Cashable savings planned"), hint=_("In pounds, for example 12500"))
    realised = _number(
        _("Cashable savings realised"), required=False, hint=_("Leave blank until known")
    )
    kept_by_service = _number(
        _("Of which kept by the service that made them"), required=False, hint=_("In pounds")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SurveyForm(forms.Form):
    title = _text(_("Title"))
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_weeks = forms.IntegerField(
        label=_("Send it as a follow-up this many weeks after the initiative is implemented"),
        required=False,
        min_value=1,
        max_value=260,
        help_text=_("Leave blank for a survey you share yourself"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class QuestionForm(forms.Form):
    text = _text(_("Question"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind of answer"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    choices = forms.CharField(
        label=_("Choices, one a line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a question with choices"),
    )
    required = forms.BooleanField(label=_("An answer is needed"), required=False, initial=True)


class LinksForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many anonymous links"),
        min_value=1,
        max_value=500,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


def answer_form(questions: list[Any], data: Any = None) -> forms.Form:
    """Return a form with one field a question, named ``q<id>``."""
    form = forms.Form(data)
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.SATISFACTION:
            field: forms.Field = forms.ChoiceField(
                choices=[
                    ("1", _("1: very dissatisfied")),
                    ("2", _("2: dissatisfied")),
                    ("3", _("3: neither")),
                    ("4", _("4: satisfied")),
                    ("5", _("5: very satisfied")),
                ],
                widget=forms.RadioSelect,
            )
        elif question.kind == QuestionKind.YES_NO:
            field = forms.ChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect
            )
        elif question.kind == QuestionKind.CHOICE:
            field = forms.ChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.RadioSelect
            )
        else:
            field = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
        field.label = question.text
        field.required = False  # the service says which answers are missing
        form.fields[name] = field
    return form


# Appraisal editors -------------------------------------------------------------------------

CBA_ROWS = 8
SROI_INPUT_ROWS = 4
SROI_OUTCOME_ROWS = 4
MAX_ROWS = 60
FLOW_KINDS = [("cost", _("Cost")), ("benefit", _("Benefit"))]
OUTCOME_FIELDS = (
    "label",
    "quantity",
    "proxy",
    "duration",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
)


class AppraisalForm(forms.Form):
    """The title, notes and discounting of an appraisal, with rows for its lines."""

    title = _text(_("Title"), help_text=_("For example, ‘Five-year cost-benefit analysis’"))
    notes = forms.CharField(
        label=_("Assumptions and sources"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, kind: str, rows: int, outcome_rows: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.rows = rows
        self.outcome_rows = outcome_rows
        if kind == "cba":
            self.fields["discount"] = _number(
                _("Discount rate"),
                required=False,
                hint=_(
                    "Leave blank for the Green Book schedule (3.5 % to year 30, then less), "
                    "or give a fixed rate such as 0.035"
                ),
            )
            self.fields["optimism_bias"] = _number(
                _("Optimism bias uplift on costs"),
                required=False,
                hint=_("A fraction: 0.2 raises every cost by 20 %"),
            )
            for i in range(rows):
                self.fields[f"line{i}_kind"] = forms.ChoiceField(
                    label=_("Cost or benefit"), choices=FLOW_KINDS, required=False
                )
                self.fields[f"line{i}_year"] = _number(_("Year"), required=False)
                self.fields[f"line{i}_amount"] = _number(_("Amount (£)"), required=False)
                self.fields[f"line{i}_cashable"] = forms.BooleanField(
                    label=_("Cashable"), required=False
                )
                self.fields[f"line{i}_label"] = _text(_("What it is"), required=False)
        else:
            self.fields["discount_rate"] = _number(
                _("Discount rate"),
                required=False,
                hint=_("Leave blank for 3.5 %, or give a rate such as 0.035"),
            )
            for i in range(rows):
                self.fields[f"input{i}_label"] = _text(_("Input"), required=False)
                self.fields[f"input{i}_value"] = _number(_("Value (£)"), required=False)
            for i in range(outcome_rows):
                for name in OUTCOME_FIELDS:
                    if name == "label":
                        self.fields[f"outcome{i}_label"] = _text(_("Outcome"), required=False)
                    else:
                        self.fields[f"outcome{i}_{name}"] = _number(
                            name.replace("_", "-"), required=False
                        )

    def row_fields(self, prefix: str, count: int, names: tuple[str, ...]) -> list[list[Any]]:
        return [[self[f"{prefix}{i}_{name}"] for name in names] for i in range(count)]

    def cba_rows(self) -> list[list[Any]]:
        return self.row_fields("line", self.rows, ("kind", "year", "amount", "cashable", "label"))

    def input_rows(self) -> list[list[Any]]:
        return self.row_fields("input", self.rows, ("label", "value"))

    def outcome_rows_fields(self) -> list[list[Any]]:
        return self.row_fields("outcome", self.outcome_rows, OUTCOME_FIELDS)

    def inputs_and_places(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Return the appraisal's inputs from the filled rows, and where each line came from
        (``costs[1]`` → ``line3``), to show the arithmetic's errors on the right row."""
        data = self.cleaned_data
        places: dict[str, str] = {}
        if self.kind == "cba":
            lines: dict[str, list[dict[str, Any]]] = {"cost": [], "benefit": []}
            for i in range(self.rows):
                year, amount = data.get(f"line{i}_year"), data.get(f"line{i}_amount")
                label = data.get(f"line{i}_label", "")
                if not (year or amount or label):
                    continue
                kind = data.get(f"line{i}_kind") or "cost"
                places[f"{kind}s[{len(lines[kind])}]"] = f"line{i}"
                lines[kind].append(
                    {
                        "year": year,
                        "amount": amount,
                        "cashable": bool(data.get(f"line{i}_cashable")),
                        "label": label,
                    }
                )
            for kind in lines:
                lines[kind].sort(key=lambda line: _sort_year(line["year"]))
            inputs: dict[str, Any] = {
                "discount": data.get("discount") or "green-book",
                "optimism_bias": data.get("optimism_bias") or "0",
                "costs": lines["cost"],
                "benefits": lines["benefit"],
            }
            return inputs, places
        rows: list[dict[str, Any]] = []
        for i in range(self.rows):
            label, value = data.get(f"input{i}_label", ""), data.get(f"input{i}_value")
            if label or value:
                places[f"inputs[{len(rows)}]"] = f"input{i}"
                rows.append({"label": label, "value": value})
        outcomes: list[dict[str, Any]] = []
        for i in range(self.outcome_rows):
            values = {name: data.get(f"outcome{i}_{name}") for name in OUTCOME_FIELDS}
            if not any(values.values()):
                continue
            places[f"outcomes[{len(outcomes)}]"] = f"outcome{i}"
            for name in ("deadweight", "displacement", "attribution", "drop_off"):
                values[name] = values[name] or "0"
            outcomes.append(values)
        return {
            "discount_rate": data.get("discount_rate") or "0.035",
            "inputs": rows,
            "outcomes": outcomes,
        }, places

    def show_errors(self, errors: dict[str, list[str]], places: dict[str, str]) -> None:
        """Put the service's errors (``costs[1].amount``) on the rows they came from."""
        for key, messages in errors.items():
            line, _dot, name = key.partition(".")
            if line in places and name and f"{places[line]}_{name}" in self.fields:
                self.add_error(f"{places[line]}_{name}", messages)
            elif key in self.fields:
                self.add_error(key, messages)
            else:
                self.add_error(
                    None,
                    [f"{key}: {message}" for message in messages] if key != "__all__" else messages,
                )


def _sort_year(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def appraisal_initial(kind: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Return the editor's initial values for stored inputs."""
    initial: dict[str, Any] = {}
    if kind == "cba":
        discount = inputs.get("discount", "green-book")
        initial["discount"] = "" if discount == "green-book" else discount
        initial["optimism_bias"] = inputs.get("optimism_bias", "0")
        rows = [("cost", line) for line in inputs.get("costs", [])] + [
            ("benefit", line) for line in inputs.get("benefits", [])
        ]
        for i, (flow_kind, line) in enumerate(rows):
            initial[f"line{i}_kind"] = flow_kind
            for name in ("year", "amount", "cashable", "label"):
                initial[f"line{i}_{name}"] = line.get(name)
        return initial
    initial["discount_rate"] = inputs.get("discount_rate", "0.035")
    for i, line in enumerate(inputs.get("inputs", [])):
        initial[f"input{i}_label"], initial[f"input{i}_value"] = (
            line.get("label"),
            line.get("value"),
        )
    for i, outcome in enumerate(inputs.get("outcomes", [])):
        for name in OUTCOME_FIELDS:
            initial[f"outcome{i}_{name}"] = outcome.get(name)
    return initial


def rows_needed(kind: str, inputs: dict[str, Any], asked: int) -> tuple[int, int]:
    """How many rows the editor shows: enough for what is stored, plus blank ones."""
    if kind == "cba":
        stored = len(inputs.get("costs", [])) + len(inputs.get("benefits", []))
        return min(MAX_ROWS, max(asked, stored + 3, CBA_ROWS)), 0
    return (
        min(MAX_ROWS, max(asked, len(inputs.get("inputs", [])) + 2, SROI_INPUT_ROWS)),
        min(MAX_ROWS, max(asked, len(inputs.get("outcomes", [])) + 2, SROI_OUTCOME_ROWS)),
    )
