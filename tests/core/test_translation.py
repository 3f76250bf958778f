"""Interface text: the empty catalogues are cut out of each language's chain, nothing else."""

from __future__ import annotations

import gettext
import io
import struct

from django.utils import translation
from django.utils.translation import trans_real

from civicflow.core.translation import drop_empty_fallbacks


def catalogue(messages: dict[str, str]) -> gettext.GNUTranslations:
    """Build a compiled catalogue in memory, with a header and ``messages``."""
    entries = {
        "": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
        **messages,
    }
    keys = sorted(entries)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(entries[k].encode() + b"\0" for k in keys)
    n = len(keys)
    start = 7 * 4 + 16 * n
    id_table, str_table, offset = [], [], 0
    for k in keys:
        id_table += [len(k.encode()), start + offset]
        offset += len(k.encode()) + 1
    offset = 0
    for k in keys:
        str_table += [len(entries[k].encode()), start + len(ids) + offset]
        offset += len(entries[k].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    data = header + struct.pack(f"{2 * n}i", *id_table) + struct.pack(f"{2 * n}i", *str_table)
    return gettext.GNUTranslations(io.BytesIO(data + ids + strs))


def chain(translation) -> list:
    found = []
    node = translation._fallback
    while node is not None:
        found.append(node)
        node = getattr(node, "_fallback", None)
    return found


def test_empty_catalogues_are_unlinked_and_the_rest_kept():
    first = catalogue({"Apply": "Apply now"})
    empty_a, empty_b = catalogue({}), catalogue({})
    kept = catalogue({"Cancel": "Stop"})
    first.add_fallback(empty_a)
    first.add_fallback(kept)
    first.add_fallback(empty_b)
    assert drop_empty_fallbacks(first) == 2
    assert chain(first) == [kept]
    assert first.gettext("Apply") == "Apply now"
    assert first.gettext("Cancel") == "Stop"
    assert first.gettext("Unknown") == "Unknown"
    assert first.ngettext("%d idea", "%d ideas", 1) == "%d idea"
    assert first.ngettext("%d idea", "%d ideas", 3) == "%d ideas"


def test_the_offered_languages_carry_no_empty_catalogues_and_still_translate():
    for code in ("en-gb", "cy"):
        loaded = trans_real.translation(code)
        plain = [getattr(node, "_catalog", None) for node in chain(loaded)]
        assert not [c for c in plain if isinstance(c, dict) and set(c) <= {""}]
    with translation.override("en-gb"):
        assert translation.gettext("Unknown words stay as written") == (
            "Unknown words stay as written"
        )
        # Django's own British English catalogue is still consulted.
        assert translation.gettext("This field is required.") == "This field is required."
