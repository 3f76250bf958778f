"""Forms for conversations, statements, votes, moderation and Pol.is imports.

The forms check shape only; the services check every rule and give the messages people see
for them (a statement too long, a duplicate, a vote on a hidden statement).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.opinions.models import (
    STATEMENT_LIMIT,
    ConversationState,
    ModerationMode,
    StatementStatus,
    VoteValue,
)


class ConversationForm(forms.Form):
    question = forms.CharField(
        label=_("What question do you want people to answer?"),
        help_text=_(
            "For example, ‘How should we cut the number of missed bin collections?’ People "
            "answer by voting on short statements and adding their own."
        ),
        error_messages={"required": _("Enter the question people will answer")},
    )
    description = forms.CharField(
        label=_("More about the question"),
        help_text=_("What people should know before they vote."),
        widget=forms.Textarea,
        required=False,
    )
    moderation = forms.ChoiceField(
        label=_("How are new statements moderated?"),
        choices=ModerationMode.choices,
        initial=ModerationMode.POST,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how new statements are moderated")},
    )


class ConversationEditForm(ConversationForm):
    state = forms.ChoiceField(
        label=_("Is the conversation open?"),
        choices=[
            (ConversationState.OPEN, _("Open: people vote and add statements")),
            (ConversationState.CLOSED, _("Closed: the map stays, but nobody can vote")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the conversation is open")},
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        help_text=_("Recorded in the audit log."),
        required=False,
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        help_text=_(
            "One idea, in %(limit)s characters or fewer, that others can agree or disagree "
            "with. For example, ‘Crews should be told about new estates before they open’."
        )
        % {"limit": STATEMENT_LIMIT},
        widget=forms.Textarea,
        strip=False,
        error_messages={"required": _("Enter your statement")},
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    value = forms.TypedChoiceField(
        choices=VoteValue.choices,
        coerce=int,
        error_messages={
            "required": _("Choose agree, disagree or pass"),
            "invalid_choice": _("Choose agree, disagree or pass"),
        },
    )


class ModerateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (StatementStatus.ACCEPTED, _("Accept: people can vote on it")),
            (StatementStatus.REJECTED, _("Reject: hide it and leave it out of the map")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose accept or reject"),
            "invalid_choice": _("Choose accept or reject"),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Needed to reject. Recorded in the audit log."),
        widget=forms.Textarea,
        required=False,
    )


class ImportForm(forms.Form):
    """The files of a Pol.is export: one zip file, or the CSV files one by one."""

    question = forms.CharField(
        label=_("Question"),
        help_text=_("Leave empty to use the topic in the export's summary.csv."),
        required=False,
    )
    archive = forms.FileField(label=_("The export as one zip file"), required=False)
    comments = forms.FileField(label="comments.csv", required=False)
    votes = forms.FileField(label="votes.csv", required=False)
    participants_votes = forms.FileField(label="participants-votes.csv", required=False)
    summary = forms.FileField(label=_("summary.csv"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("archive") and not data.get("comments"):
            raise forms.ValidationError(
                _(
                    "Choose the export’s zip file, or its comments.csv with votes.csv or "
                    "participants-votes.csv"
                )
            )
        return data
