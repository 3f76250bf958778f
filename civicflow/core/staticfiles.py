"""Static files storage: WhiteNoise's compressed manifest, with addresses worked out once.

Every page names the same stylesheet, scripts and icon; working out a hashed address from the
manifest takes a few URL parses each time. The manifest is read when the process starts and
does not change while it runs, so each name's address is kept once worked out.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """``CompressedManifestStaticFilesStorage`` that remembers each name's address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)
        return address
