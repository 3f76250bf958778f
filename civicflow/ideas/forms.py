"""Forms for putting forward, finding, deciding on and merging ideas."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.ideas import theme_filter
from civicflow.ideas.models import (
    AFFECTED_MAX,
    DECISION_STATUSES,
    DESCRIPTION_MAX,
    FEEDBACK_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Benefit,
    IdeaStatus,
    InnovationType,
    Scale,
)


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("Say what your idea is in a few words."),
        error_messages={
            "required": _("Enter a title for your idea"),
            "max_length": _("Title must be 150 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea,
        help_text=_("One or two sentences, shown in the list of ideas. Up to 300 characters."),
        error_messages={
            "required": _("Enter a short summary of your idea"),
            "max_length": _("Summary must be 300 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Describe your idea"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea,
        help_text=_("What would change, how it would work, and what it would need."),
        error_messages={
            "required": _("Describe your idea"),
            "max_length": _("Description must be 20,000 characters or fewer"),
        },
    )
    innovation_type = forms.ChoiceField(
        label=_("What type of innovation is it?"),
        choices=InnovationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of innovation")},
    )
    scale = forms.ChoiceField(
        label=_("How big a change is it?"),
        choices=Scale.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A continuous improvement makes something that exists work better; a disruptive "
            "innovation does it in a new way."
        ),
        error_messages={"required": _("Select how big a change it is")},
    )
    benefits = forms.MultipleChoiceField(
        label=_("What benefits do you expect?"),
        choices=Benefit.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
        error_messages={"required": _("Select at least one expected benefit")},
    )
    affected = forms.CharField(
        label=_("Who would it affect?"),
        required=False,
        max_length=AFFECTED_MAX,
        widget=forms.Textarea,
        help_text=_("For example residents of a ward, carers, or the staff of a team."),
        error_messages={"max_length": _("Who it would affect must be 2,000 characters or fewer")},
    )


class IdeaEditForm(IdeaForm):
    # The version the editor started from, so a save never overwrites a newer one unseen.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _with_any(choices: list[tuple[str, Any]], any_label: Any) -> list[tuple[str, Any]]:
    return [("", any_label), *choices]


class IdeaFilterForm(forms.Form):
    """The filters of the list of ideas. Unknown values are ignored rather than refused.

    Given a ``challenge_id`` whose ideas have themes, the form has a theme filter too; its
    choices change with the challenge, so :meth:`filters_in` leaves it to the view.
    """

    def __init__(self, *args: Any, challenge_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = theme_filter.choices(challenge_id) if challenge_id is not None else []
        if themes:
            self.fields["theme"] = forms.ChoiceField(
                label=_("Theme"),
                required=False,
                choices=_with_any(themes, _("Any theme")),
            )

    innovation_type = forms.ChoiceField(
        label=_("Type of innovation"),
        required=False,
        choices=_with_any(InnovationType.choices, _("Any type")),
    )
    scale = forms.ChoiceField(
        label=_("Scale"), required=False, choices=_with_any(Scale.choices, _("Any scale"))
    )
    benefit = forms.ChoiceField(
        label=_("Expected benefit"),
        required=False,
        choices=_with_any(Benefit.choices, _("Any benefit")),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_with_any(IdeaStatus.choices, _("Any status but merged")),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("newest", _("Newest")), ("supported", _("Most supported"))],
    )

    def filters(self) -> dict[str, str]:
        """Return the valid filters (invalid ones are dropped, so a bad link still lists)."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value and name not in self.errors
        }

    @classmethod
    def filters_in(cls, data: Mapping[str, Any]) -> dict[str, str]:
        """Return what ``cls(data).filters()`` returns, without building the form.

        The list page reads its filters on every request, and building the form copies every
        field and its choices; the form itself is built only when its fields are rendered.
        """
        found = {}
        for name, allowed in _filter_choices(cls).items():
            value = data.get(name)
            if value and str(value) in allowed:
                found[name] = str(value)
        return found


@functools.cache
def _filter_choices(form_class: type[forms.Form]) -> dict[str, frozenset[str]]:
    """The values each filter of ``form_class`` accepts (its choices are fixed)."""
    return {
        name: frozenset(str(value) for value, _label in field.choices)  # type: ignore[attr-defined]
        for name, field in form_class.base_fields.items()
    }


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(status.value, status.label) for status in DECISION_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the idea's new status")},
    )
    feedback = forms.CharField(
        label=_("Feedback for the authors and supporters"),
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea,
        help_text=_("Shown on the idea and sent to its authors and supporters."),
        error_messages={
            "required": _("Enter feedback that explains the decision"),
            "max_length": _("Feedback must be 5,000 characters or fewer"),
        },
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing it?"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea,
        help_text=_("Shown to its supporters and co-authors."),
        error_messages={"max_length": _("Reason must be 1,000 characters or fewer")},
    )


class CoAuthorInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to invite"),
        help_text=_("They need a civicflow account. They can accept or decline."),
        error_messages={
            "required": _("Enter the email address of the person to invite"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )


class MergeForm(forms.Form):
    target = forms.TypedChoiceField(
        label=_("Merge it into"),
        coerce=int,
        error_messages={
            "required": _("Select the idea to merge it into"),
            "invalid_choice": _("Select an open idea in the same challenge"),
        },
    )
    reason = forms.CharField(
        label=_("Why are they duplicates?"),
        max_length=REASON_MAX,
        widget=forms.Textarea,
        help_text=_("Shown to the authors and supporters of both ideas."),
        error_messages={
            "required": _("Enter why these ideas are duplicates"),
            "max_length": _("Reason must be 1,000 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Select an idea")), *targets]  # type: ignore[attr-defined]
