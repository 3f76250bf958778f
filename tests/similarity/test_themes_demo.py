"""The demo high street challenge: clear themes, near-duplicates, and loading twice is harmless."""

from __future__ import annotations

from civicflow.demo.network import _load_network
from civicflow.ideas.models import Idea
from civicflow.similarity.demo_themes import TITLE, load_demo
from civicflow.similarity.models_themes import Theme
from civicflow.similarity.selectors_themes import duplicate_report


def test_the_demo_challenge_has_themes_and_near_duplicates(db):
    _load_network()
    load_demo()
    themes = list(Theme.objects.filter(challenge__title=TITLE))
    labels = " | ".join(theme.label.lower() for theme in themes)
    assert len(themes) >= 4, labels
    for word in ("bus", "shop", "toilets", "cycle"):
        assert word in labels, labels
    challenge = themes[0].challenge
    pairs = {(p.first.title, p.second.title) for p in duplicate_report(challenge=challenge).pairs}
    flat = {title for pair in pairs for title in pair}
    assert {"Open the public toilets on Sundays", "Public toilets open on Sundays"} <= flat
    assert "Seats at the bus stops" in flat
    before = (Idea.objects.count(), Theme.objects.count())
    load_demo()
    assert (Idea.objects.count(), Theme.objects.count()) == before
