"""Forms of the duplicates page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.similarity.models_themes import REASON_MAX


class PairForm(forms.Form):
    """Two ideas, by id, and why they are not duplicates (optional)."""

    first = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    second = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why are they not duplicates? (optional)"),
        required=False,
        max_length=REASON_MAX,
        error_messages={"max_length": _("Reason must be 1,000 characters or fewer")},
    )
