"""Forms for choosing how to hear about notifications, and for unsubscribing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicflow.notifications import kinds
from civicflow.notifications.models import Delivery


class PreferencesForm(forms.Form):
    """One question for each group of notifications: how do you want to hear about it?"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in kinds.GROUPS:
            self.fields[group.key] = forms.ChoiceField(
                label=group.label,
                help_text=group.hint,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select how you want to hear about %(group)s")
                    % {"group": str(group.label).lower()},
                    "invalid_choice": _("Select one of the ways to hear about %(group)s")
                    % {"group": str(group.label).lower()},
                },
            )


SCOPE_THESE = "these"
SCOPE_ALL = "all"


class UnsubscribeForm(forms.Form):
    """Which emails to stop: those the link came from, or every email."""

    scope = forms.ChoiceField(
        label=_("Which emails do you want to stop?"),
        choices=[(SCOPE_THESE, ""), (SCOPE_ALL, "")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Select which emails you want to stop")},
    )

    def __init__(self, *args: Any, these_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [  # type: ignore[attr-defined]
            (SCOPE_THESE, these_label),
            (
                SCOPE_ALL,
                _("All notification emails from %(service)s")
                % {"service": settings.CIVICFLOW_SERVICE_NAME},
            ),
        ]
        self.initial.setdefault("scope", SCOPE_THESE)
