"""How the API reads request bodies and query strings: JSON, and only text we can store."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from civicflow.api.errors import ApiProblem

UNSTORABLE_TEXT = (
    "This text contains a character that cannot be stored (a NUL character or half of a "
    "surrogate pair). Remove it and try again."
)


def unstorable_text_at(value: Any, path: str = "") -> str | None:
    """Return the dotted path of the first text in ``value`` that cannot be stored, or None.

    PostgreSQL cannot store NUL in text, and text holding half of a UTF-16 surrogate pair
    (which JSON's ``\\ud800`` escapes can produce) cannot be encoded as UTF-8 at all; either
    would fail deep in the database as a server error.
    """
    if isinstance(value, str):
        return path if "\x00" in value or not _encodable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if unstorable_text_at(key) is not None:
                return here
            found = unstorable_text_at(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable_text_at(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse(field: str) -> ApiProblem:
    return ApiProblem(422, UNSTORABLE_TEXT, errors=[{"field": field, "message": UNSTORABLE_TEXT}])


class StorableJsonParser(Parser):
    """Read JSON bodies and query strings, refusing text the database cannot store."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        field = unstorable_text_at(data)
        if field is not None:
            raise _refuse(field)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        field = unstorable_text_at(parsed)
        if field is not None:
            raise _refuse(field)
        return parsed
