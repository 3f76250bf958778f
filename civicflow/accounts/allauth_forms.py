"""django-allauth's forms with GOV.UK labels, hints and error messages."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms
from django.utils.translation import gettext_lazy as _

EMAIL = {
    "label": _("Email address"),
    "required": _("Enter your email address"),
    "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
}
PASSWORD = {"label": _("Password"), "required": _("Enter your password")}
NEW_PASSWORD = {
    "label": _("Create a password"),
    "required": _("Enter a password"),
    "hint": _("Use at least 10 characters. Avoid common passwords and all-number passwords."),
}
NEW_PASSWORD_AGAIN = {"label": _("Confirm your password"), "required": _("Confirm your password")}
CODE = {
    "label": _("Code from your authenticator app"),
    "required": _("Enter the 6-digit code from your authenticator app"),
    "hint": _("Or enter one of your recovery codes."),
}


class GovukFieldsMixin:
    """Apply GOV.UK labels, hints and 'required' messages to the fields named in ``govuk``."""

    govuk: dict[str, dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, texts in self.govuk.items():
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            field.label = texts["label"]
            if "hint" in texts:
                field.help_text = texts["hint"]
            for key in ("required", "invalid"):
                if key in texts:
                    field.error_messages[key] = texts[key]


class LoginForm(GovukFieldsMixin, account_forms.LoginForm):
    govuk = {
        "login": EMAIL,
        "password": PASSWORD,
        "remember": {"label": _("Keep me signed in on this device")},
    }


class SignupForm(GovukFieldsMixin, account_forms.SignupForm):
    govuk = {"email": EMAIL, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}


class AddEmailForm(GovukFieldsMixin, account_forms.AddEmailForm):
    govuk = {"email": {**EMAIL, "label": _("New email address")}}


class ChangePasswordForm(GovukFieldsMixin, account_forms.ChangePasswordForm):
    govuk = {
        "oldpassword": {
            "label": _("Current password"),
            "required": _("Enter your current password"),
        },
        "password1": {**NEW_PASSWORD, "label": _("New password")},
        "password2": {**NEW_PASSWORD_AGAIN, "label": _("Confirm your new password")},
    }


class SetPasswordForm(GovukFieldsMixin, account_forms.SetPasswordForm):
    govuk = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD_AGAIN}


class ResetPasswordForm(GovukFieldsMixin, account_forms.ResetPasswordForm):
    govuk = {"email": EMAIL}


class ResetPasswordKeyForm(GovukFieldsMixin, account_forms.ResetPasswordKeyForm):
    govuk = {
        "password1": {**NEW_PASSWORD, "label": _("New password")},
        "password2": {**NEW_PASSWORD_AGAIN, "label": _("Confirm your new password")},
    }


class ReauthenticateForm(GovukFieldsMixin, account_forms.ReauthenticateForm):
    govuk = {"password": PASSWORD}


class MfaAuthenticateForm(GovukFieldsMixin, mfa_base_forms.AuthenticateForm):
    govuk = {"code": CODE}


class MfaReauthenticateForm(GovukFieldsMixin, mfa_base_forms.ReauthenticateForm):
    govuk = {"code": CODE}


class ActivateTotpForm(GovukFieldsMixin, mfa_totp_forms.ActivateTOTPForm):
    govuk = {
        "code": {
            "label": _("Code from your authenticator app"),
            "required": _("Enter the 6-digit code from your authenticator app"),
        }
    }
