"""Forms for appraisal pages. They check shape only; the services check every rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.appraisal.models import BarrierKind, DecisionKind
from civicflow.appraisal.models.panels import RankBy


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
