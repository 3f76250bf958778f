"""The static files storage works out each hashed address once, and gets it right."""

from __future__ import annotations

import json
from unittest import mock

from whitenoise.storage import CompressedManifestStaticFilesStorage

from civicflow.core.staticfiles import StaticFilesStorage


def storage_with_manifest(tmp_path) -> StaticFilesStorage:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"site.css": "site.0123abcd.css"}, "version": "1.1", "hash": "x"})
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_addresses_come_from_the_manifest_and_are_worked_out_once(tmp_path, settings):
    settings.DEBUG = False
    storage = storage_with_manifest(tmp_path)
    with mock.patch.object(
        CompressedManifestStaticFilesStorage, "url", autospec=True, return_value="/static/x"
    ) as parent:
        assert storage.url("site.css") == "/static/x"
        assert storage.url("site.css") == "/static/x"
        assert storage.url("other.css") == "/static/x"
    assert parent.call_count == 2


def test_the_hashed_address_is_the_manifest_s(tmp_path, settings):
    settings.DEBUG = False
    storage = storage_with_manifest(tmp_path)
    assert storage.url("site.css") == "/static/site.0123abcd.css"
    assert storage.url("site.css") == "/static/site.0123abcd.css"
