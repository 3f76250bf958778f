"""Template tags that render Django forms as GOV.UK Design System components."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

register = template.Library()


def _field_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if getattr(widget, "govuk_kind", "") == "date":  # day, month and year fields
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


_INPUT_WIDTH = {
    "email": "govuk-!-width-two-thirds",
    "url": "govuk-!-width-two-thirds",
    "number": "govuk-input--width-10",
    "password": "govuk-!-width-one-half",
}


@register.simple_tag
def govuk_field(field: forms.BoundField, label_size: str = "", width: str = "") -> str:
    """Render ``field`` with its label, hint and error message, as GOV.UK does."""
    kind = _field_kind(field)
    input_type = getattr(field.field.widget, "input_type", "text")
    value = field.value()
    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "id": field.id_for_label or field.auto_id,
        "name": field.html_name,
        "input_type": input_type,
        "value": "" if value is None or input_type == "password" else value,
        "errors": field.errors,
        "label_size": label_size,
        "width": width or _INPUT_WIDTH.get(input_type, ""),
        "autocomplete": field.field.widget.attrs.get("autocomplete", ""),
        "required": field.field.required,
    }
    if kind == "date":
        context.update(_date_parts(field, value))
    if kind in {"checkboxes", "radios", "select"}:
        chosen = value if isinstance(value, list | tuple) else [value]
        chosen_text = {str(item) for item in chosen if item is not None}
        context["options"] = [
            {
                "value": option_value,
                "label": option_label,
                "checked": str(option_value) in chosen_text,
                "id": f"{context['id']}-{index}" if index else context["id"],
            }
            for index, (option_value, option_label) in enumerate(field.field.choices)  # type: ignore[attr-defined]
        ]
    return render_to_string("web/govuk/field.html", context)


_DATE_PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))


def _date_parts(field: forms.BoundField, value: Any) -> dict[str, Any]:
    """The day, month and year inputs of a date field, with what was typed or the date set."""
    widget: Any = field.field.widget
    values = list(value) if isinstance(value, list | tuple) else widget.decompress(value)
    base = field.auto_id or field.html_name
    return {
        "id": base,
        "parts": [
            {
                "id": f"{base}_{key}",
                "name": f"{field.html_name}_{key}",
                "label": label,
                "width": width,
                "value": "" if part is None else part,
            }
            for (key, label, width), part in zip(_DATE_PARTS, values, strict=False)
        ],
    }


@register.simple_tag
def govuk_error_summary(*forms_to_check: forms.BaseForm | None) -> str:
    """Render the error summary that links to each field in error, or nothing."""
    errors: list[dict[str, str]] = []
    for form in forms_to_check:
        if form is None or not form.errors:
            continue
        # An error about the whole form links to its first field, where the person starts.
        first = next((form[name] for name in form.fields if not form[name].is_hidden), None)
        first_anchor = f"#{first.id_for_label or first.auto_id}" if first is not None else ""
        for message in form.non_field_errors():
            errors.append({"href": first_anchor, "text": str(message)})
        for name in form.fields:
            if name in form.errors:
                bound = form[name]
                anchor = bound.id_for_label or bound.auto_id
                for message in form.errors[name]:
                    errors.append({"href": f"#{anchor}", "text": str(message)})
    if not errors:
        return ""
    return render_to_string("web/govuk/error_summary.html", {"errors": errors})


@register.inclusion_tag("web/govuk/pagination.html", takes_context=True)
def govuk_pagination(context: dict[str, Any], page: Any, query: Any = None) -> dict[str, Any]:
    """Render previous and next links and page numbers for a Django ``Page``.

    The links keep the request's query string, or ``query`` (a ``QueryDict``) where given.
    """
    base = query if query is not None else context["request"].GET

    def link(number: int) -> str:
        params = base.copy()
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    numbers: list[dict[str, Any]] = []
    if page.paginator.num_pages > 1:
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
            if isinstance(number, int):
                numbers.append(
                    {"number": number, "href": link(number), "current": number == page.number}
                )
            else:
                numbers.append({"ellipsis": True})
    return {
        "page": page,
        "numbers": numbers,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }
