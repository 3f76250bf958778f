"""Lookups of interface text without the empty catalogues Django chains behind each language.

For British English, Python's ``gettext`` also finds each installed app's ``en`` catalogue,
which holds no messages (English is the source language), and Django chains every one of them
behind the language's own catalogue. A message with no translation, which in English is every
message, then walks the whole chain before it is returned as written. The chain holds nothing
that could change a lookup's result, so it is cut out once, when the app registry is ready.
"""

from __future__ import annotations

import gettext
from typing import Any

from django.conf import settings
from django.utils.translation import trans_real


def drop_empty_fallbacks(translation: Any) -> int:
    """Unlink the catalogues with no messages from ``translation``'s chain; return how many.

    A catalogue with nothing but its header (the entry for the empty message) translates
    nothing, and its plural rule only decides between the two forms it is given, which the
    end of the chain does the same way.
    """
    dropped = 0
    node = translation
    while (following := getattr(node, "_fallback", None)) is not None:
        catalog = getattr(following, "_catalog", None)
        # A plain catalogue (a dict), not a language's merged one (Django's TranslationCatalog).
        empty = isinstance(catalog, dict) and set(catalog) <= {""}
        if isinstance(following, gettext.GNUTranslations) and empty:
            node._fallback = following._fallback  # type: ignore[attr-defined]
            dropped += 1
        else:
            node = following
    return dropped


def prepare_languages() -> None:
    """Load each offered language's catalogues now, without the empty ones."""
    for code, _name in settings.LANGUAGES:
        drop_empty_fallbacks(trans_real.translation(code))
