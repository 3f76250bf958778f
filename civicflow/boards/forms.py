"""Forms for cards, their moves and effects, board leads and the roll-up's filters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.boards import effects
from civicflow.boards.models import Status


class CardForm(forms.Form):
    title = forms.CharField(
        label=_("Short name for the change"),
        help_text=_("For example, ‘Move the nurses’ desks into the bays’."),
        max_length=120,
        error_messages={
            "required": _("Enter a short name for the change"),
            "max_length": _("Short name must be 120 characters or fewer"),
        },
    )
    problem = forms.CharField(
        label=_("What problem have you noticed?"),
        help_text=_("Say what happens, where and how often."),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": _("Enter the problem you noticed"),
            "max_length": _("The problem must be 2,000 characters or fewer"),
        },
    )
    change = forms.CharField(
        label=_("What change do you propose?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": _("Enter the change you propose"),
            "max_length": _("The change must be 2,000 characters or fewer"),
        },
    )


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Move the card to"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where to move the card"),
            "invalid_choice": _("Select one of the columns listed"),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the audit log, and told to whoever raised the card."),
        error_messages={"max_length": _("The reason must be 500 characters or fewer")},
    )

    def __init__(self, *args: Any, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (status, Status(status).label) for status in choices
        ]


class EffectForm(forms.Form):
    """The effect of a change; the date it was measured is three fields, as GOV.UK asks."""

    before = forms.CharField(
        label=_("Figure before the change"),
        max_length=30,
        error_messages={"required": _("Enter the figure before the change")},
    )
    after = forms.CharField(
        label=_("Figure after the change"),
        max_length=30,
        error_messages={"required": _("Enter the figure after the change")},
    )
    unit = forms.CharField(
        label=_("What the figures count"),
        help_text=_("For example, falls per month, or minutes per handover."),
        max_length=60,
        error_messages={
            "required": _("Enter what the figures count, like falls per month"),
            "max_length": _("The unit must be 60 characters or fewer"),
        },
    )
    measured_on = forms.CharField(label=_("Day"), required=False, max_length=2)
    measured_on_month = forms.CharField(label=_("Month"), required=False, max_length=2)
    measured_on_year = forms.CharField(label=_("Year"), required=False, max_length=4)
    note = forms.CharField(
        label=_("Note on how it was measured"),
        help_text=_("For example, the three months before the change against the three after."),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"max_length": _("The note must be 2,000 characters or fewer")},
    )
    adopt = forms.BooleanField(label=_("Mark the change as adopted"), required=False)

    def _figure(self, name: str, label: str) -> Decimal:
        try:
            return effects.parse_figure(self.cleaned_data[name], name=f"the {label} figure")
        except effects.FigureError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_before(self) -> Decimal:
        return self._figure("before", "before")

    def clean_after(self) -> Decimal:
        return self._figure("after", "after")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [
            (cleaned.get(name) or "").strip()
            for name in ("measured_on", "measured_on_month", "measured_on_year")
        ]
        if not any(parts):
            self.add_error("measured_on", _("Enter the date the after figure was measured"))
            return cleaned
        try:
            day, month, year = (int(part) for part in parts)
            cleaned["measured_on_date"] = date(year, month, day)
        except ValueError:
            self.add_error(
                "measured_on",
                _("The date the after figure was measured must be a real date, like 27 3 2025"),
            )
        return cleaned


class BoardLeadForm(forms.Form):
    user = forms.TypedChoiceField(
        label=_("Team member to make a lead"),
        coerce=int,
        error_messages={
            "required": _("Select a team member"),
            "invalid_choice": _("Select a member of the team"),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the audit log."),
        error_messages={"max_length": _("The reason must be 500 characters or fewer")},
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Select a team member")), *members]  # type: ignore[attr-defined]


PERIOD_CHOICES = [
    ("", _("Any time")),
    ("3m", _("Last 3 months")),
    ("6m", _("Last 6 months")),
    ("12m", _("Last 12 months")),
]


class ImprovementFilterForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"), required=False)
    period = forms.ChoiceField(label=_("Adopted in"), required=False, choices=PERIOD_CHOICES)

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All teams")), *teams]  # type: ignore[attr-defined]
