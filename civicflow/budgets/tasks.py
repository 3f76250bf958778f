"""Background work for participatory budgets: counting many ballots and publishing the result."""

from __future__ import annotations

from django.tasks import task

from civicflow.budgets import services


@task()
def publish_results(
    budget_id: int, actor_id: int, utility: str, completion: str, tie_break: str
) -> bool:
    """Count the budget's ballots with both rules and publish the results; return whether it
    published (False if the budget moved on or the person lost the role meanwhile)."""
    return services.results_publish_queued(
        budget_id=budget_id,
        actor_id=actor_id,
        utility=utility,
        completion=completion,
        tie_break=tie_break,
    )
