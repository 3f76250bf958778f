"""Forms for writing, reporting and moderating comments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.discussion.models import BODY_LIMIT, DETAILS_LIMIT, FlagReason
from civicflow.discussion.services import REASON_LIMIT

_BODY_ERRORS = {
    "required": _("Enter your comment"),
    "max_length": _("Your comment must be 5,000 characters or fewer"),
}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        widget=forms.Textarea,
        max_length=BODY_LIMIT,
        error_messages=_BODY_ERRORS,
        help_text=_("Be respectful. Do not include personal information about anyone."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea,
        max_length=BODY_LIMIT,
        error_messages=_BODY_ERRORS,
    )


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea,
        max_length=BODY_LIMIT,
        error_messages=_BODY_ERRORS,
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting it?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select why you are reporting it"),
            "invalid_choice": _("Select one of the reasons in the list"),
        },
    )
    details = forms.CharField(
        label=_("Tell the moderators more"),
        help_text=_("Needed if you selected ‘Something else’."),
        widget=forms.Textarea,
        required=False,
        max_length=DETAILS_LIMIT,
        error_messages={"max_length": _("Details must be 1,000 characters or fewer")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == FlagReason.OTHER and not cleaned.get("details"):
            self.add_error("details", _("Say what is wrong with it"))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The author is told this reason. It is kept in the audit log."),
        widget=forms.Textarea,
        max_length=REASON_LIMIT,
        error_messages={
            "required": _("Enter the reason"),
            "max_length": _("The reason must be 1,000 characters or fewer"),
        },
    )
