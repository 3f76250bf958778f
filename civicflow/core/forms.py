"""Helpers shared by the pages' forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form


def apply_validation_error(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: against its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
