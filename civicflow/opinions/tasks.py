"""Background work for opinion maps: bringing a conversation's map up to date."""

from __future__ import annotations

from django.tasks import task

from civicflow.opinions import services


@task()
def analyse_conversation(conversation_id: int) -> bool:
    """Work out the conversation's opinion map from its current votes; return whether it
    could be drawn (False while there are not enough votes)."""
    analysis = services.analysis_refresh(conversation_id=conversation_id)
    return analysis is not None and analysis.ready
