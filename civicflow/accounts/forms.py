"""Forms for organisation membership, teams, the profile and API tokens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.models import OrganisationKind, Role

ROLE_CHOICES = [(role.value, role.label) for role in Role if role != Role.STAFF]


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of their account"),
        error_messages={
            "required": _("Enter the email address of the person's account"),
            "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
        },
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        help_text=_("Every member is a staff member. Select any other roles they hold."),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the audit log."),
    )


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        help_text=_("Every member is a staff member. Select any other roles they hold."),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the audit log."),
    )


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=150,
        error_messages={"required": _("Enter the team's name")},
    )
    description = forms.CharField(
        label=_("What the team does"), required=False, widget=forms.Textarea, max_length=2000
    )


class TeamMemberForm(forms.Form):
    user = forms.TypedChoiceField(
        label=_("Member to add"),
        coerce=int,
        error_messages={
            "required": _("Select a member to add"),
            "invalid_choice": _("Select a member of the organisation"),
        },
    )

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].choices = [("", _("Select a member")), *members]  # type: ignore[attr-defined]


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Shown beside what you write and do in civicflow."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say what will use it, for example ‘Ward dashboard export’."),
        error_messages={"required": _("Enter a name that says what the token is for")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("366", _("1 year")),
            ("", _("Never")),
        ],
        initial="90",
        widget=forms.RadioSelect,
    )


class AccountEraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and cannot be restored"),
        error_messages={"required": _("Confirm that you understand your account will close")},
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):  # type: ignore[attr-defined]
            raise forms.ValidationError(_("The password is not right"))
        return password


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the organisation's name")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of organisation")},
    )
    description = forms.CharField(
        label=_("What it does"), required=False, widget=forms.Textarea, max_length=2000
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://www.example.gov.uk")},
    )
    administrator_email = forms.EmailField(
        label=_("Email address of its first administrator"),
        help_text=_("They must already have a civicflow account."),
        error_messages={
            "required": _("Enter the email address of the first administrator"),
            "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
        },
    )
