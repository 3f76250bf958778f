"""The demo opinion map: 300 simulated residents in real opinion groups, loaded once."""

from __future__ import annotations

import time

from civicflow.demo.network import demo_load
from civicflow.opinions.demo import AGREED, DISAGREED, PARTICIPANTS, QUESTION, STATEMENTS
from civicflow.opinions.models import Analysis, Conversation, Vote


def test_the_demo_has_a_map_with_two_or_three_groups_and_loads_once(db):
    demo_load()
    conversation = Conversation.objects.get(question=QUESTION)
    assert conversation.challenge.title == "Fewer missed bin collections"
    assert conversation.statements.count() == STATEMENTS
    assert conversation.participants.filter(user=None).count() == PARTICIPANTS
    analysis = Analysis.objects.get(conversation=conversation)
    assert analysis.ready
    assert 2 <= analysis.groups <= 3
    texts = dict(conversation.statements.values_list("pk", "text"))
    agreed = {texts[s["statement_id"]] for s in analysis.result["consensus"]["agree"]}
    disagreed = {texts[s["statement_id"]] for s in analysis.result["consensus"]["disagree"]}
    assert agreed and agreed <= set(AGREED)
    assert disagreed <= set(DISAGREED)
    votes = Vote.objects.count()
    started = time.perf_counter()
    demo_load()
    assert time.perf_counter() - started < 30
    assert Conversation.objects.filter(question=QUESTION).count() == 1
    assert Vote.objects.count() == votes
