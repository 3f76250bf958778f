"""Forms for budgets, projects, phases, results and ``.pb`` imports.

The forms check shape only; the services check every rule and give the messages people see.
Ballots are read from the request by the view, one field per project, as their number varies.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.budgets.counting import Completion, TieBreak, Utility
from civicflow.budgets.models import BallotKind, Eligibility, Phase
from civicflow.challenges.forms import LocalDateTimeField


class BudgetForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    total = forms.IntegerField(
        label=_("Total budget, in whole pounds"),
        min_value=1,
        error_messages={"required": _("Enter the total budget")},
    )
    ballot_kind = forms.ChoiceField(
        label=_("Kind of ballot"),
        choices=BallotKind.choices,
        initial=BallotKind.APPROVAL_BUDGET,
        widget=forms.RadioSelect,
    )
    max_choices = forms.IntegerField(
        label=_("Most projects a voter may choose (optional)"), min_value=1, required=False
    )
    points = forms.IntegerField(
        label=_("Points each voter spreads (cumulative ballots)"), min_value=1, required=False
    )
    min_choices = forms.IntegerField(
        label=_("Fewest projects a voter must choose (optional)"), min_value=0, required=False
    )
    max_points_per_project = forms.IntegerField(
        label=_("Most points on one project (cumulative ballots, optional)"),
        min_value=1,
        required=False,
    )
    eligibility = forms.ChoiceField(
        label=_("Who may vote"),
        choices=Eligibility.choices,
        initial=Eligibility.RESIDENTS,
        widget=forms.RadioSelect,
    )
    voting_opens_at = LocalDateTimeField(label=_("Voting opens (optional)"), required=False)
    voting_closes_at = LocalDateTimeField(label=_("Voting closes (optional)"), required=False)
    districts = forms.CharField(
        label=_("Districts or categories with their own budget (optional)"),
        help_text=_("One a line, its name and its budget, for example: North, 40000"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean_districts(self) -> dict[str, int]:
        districts: dict[str, int] = {}
        for number, line in enumerate(self.cleaned_data["districts"].splitlines(), 1):
            if not line.strip():
                continue
            name, _comma, amount = line.rpartition(",")
            try:
                value = int(amount.strip().replace("£", ""))
            except ValueError:
                value = 0
            if not name.strip() or value <= 0:
                raise forms.ValidationError(
                    _("Line %(number)s: write the name, a comma and a whole amount above 0")
                    % {"number": number}
                )
            if name.strip() in districts:
                raise forms.ValidationError(
                    _("Line %(number)s: %(name)s is there twice")
                    % {"number": number, "name": name.strip()}
                )
            districts[name.strip()] = value
        return districts


class BudgetEditForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    voting_opens_at = LocalDateTimeField(label=_("Voting opens (optional)"), required=False)
    voting_closes_at = LocalDateTimeField(label=_("Voting closes (optional)"), required=False)
    reason = forms.CharField(
        label=_("Why are you making this change? (optional)"), max_length=500, required=False
    )


class ProjectForm(forms.Form):
    title = forms.CharField(
        label=_("Project title"),
        max_length=200,
        error_messages={"required": _("Enter the project's title")},
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    cost = forms.IntegerField(
        label=_("Cost, in whole pounds"),
        min_value=1,
        error_messages={"required": _("Enter the cost")},
    )
    category = forms.CharField(label=_("Category (optional)"), max_length=120, required=False)
    location = forms.CharField(label=_("Location (optional)"), max_length=200, required=False)
    idea = forms.IntegerField(
        label=_("Number of the idea it came from (optional)"),
        help_text=_("The number at the end of the idea's web address."),
        min_value=1,
        required=False,
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move the budget to"), choices=Phase.choices)


class PublishForm(forms.Form):
    utility = forms.ChoiceField(
        label=_("What a supporter gains from a project (Method of Equal Shares)"),
        choices=[(u.value, u.value) for u in Utility],
        initial=Utility.COST.value,
    )
    completion = forms.ChoiceField(
        label=_("How to spend the money the method leaves"),
        choices=[(c.value, c.value) for c in Completion],
        initial=Completion.ADD1.value,
    )
    tie_break = forms.ChoiceField(
        label=_("Ties broken by"),
        choices=[(t.value, t.value) for t in TieBreak],
        initial=TieBreak.ID.value,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("A pabulib .pb file"),
        error_messages={"required": _("Choose a .pb file to import")},
    )


class PaperBallotForm(forms.Form):
    code = forms.CharField(label=_("Voting code (if the vote uses codes)"), required=False)
    reference = forms.CharField(
        label=_("Reference written on the paper ballot (optional)"), max_length=64, required=False
    )


class EligibleVotersForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses of the people who may vote"),
        help_text=_("One a line. This replaces the list."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class CodesForm(forms.Form):
    how_many = forms.IntegerField(
        label=_("How many paper voting codes to make"),
        min_value=1,
        max_value=10000,
        error_messages={"required": _("Enter how many codes to make")},
    )
