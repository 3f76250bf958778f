"""The supporters count stays exact when many people support and withdraw at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from civicflow.accounts.services import api_token_create
from civicflow.ideas import services
from civicflow.ideas.models import Idea, Support

pytestmark = pytest.mark.django_db(transaction=True)


def _in_parallel(calls: list[Any]) -> list[Any]:
    """Run each of ``calls`` in its own thread, all starting together; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Any) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_supports_and_withdrawals_keep_the_count_exact(idea, people):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL: SQLite lets only one writer in at a time anyway")
    leaving, arriving = people(8), people(10)
    twice = people(1)[0]
    for person in leaving:
        services.idea_support(user=person, idea=idea)

    def request(person: Any, method: str) -> Any:
        _token, secret = api_token_create(user=person, name="parallel")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

        def call() -> int:
            response = client.generic(
                method, f"/api/v1/ideas/{idea.pk}/support", "", content_type="application/json"
            )
            return response.status_code

        return call

    calls = [request(person, "PUT") for person in arriving]
    calls += [request(person, "DELETE") for person in leaving]
    calls += [request(twice, "PUT"), request(twice, "PUT")]  # the same person, twice at once
    statuses = _in_parallel(calls)

    assert statuses[: len(arriving) + len(leaving)] == [200] * (len(arriving) + len(leaving))
    assert sorted(statuses[-2:]) == [200, 409], "one of the double supports is refused"
    idea.refresh_from_db()
    rows = Support.objects.filter(idea=idea).count()
    assert rows == len(arriving) + 1
    assert idea.supporters_count == rows


def test_parallel_merges_and_supports_keep_both_counts_exact(make_idea, lead, people):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL: SQLite lets only one writer in at a time anyway")
    keeper, duplicate = make_idea(title="Keeper"), make_idea(title="Duplicate")
    backers = people(12)
    for person in backers[:6]:
        services.idea_support(user=person, idea=duplicate)

    def support(person: Any, idea: Idea) -> Any:
        return lambda: services.idea_support(user=person, idea=Idea.objects.get(pk=idea.pk))

    def merge() -> Any:
        return services.idea_merge(
            actor=lead,
            source=Idea.objects.select_related("challenge").get(pk=duplicate.pk),
            target=Idea.objects.get(pk=keeper.pk),
            reason="Same",
        )

    calls = [support(person, keeper) for person in backers[3:12]] + [merge]
    results = _in_parallel(calls)
    errors = [result for result in results if isinstance(result, BaseException)]
    assert not [error for error in errors if "already support" not in str(error)], errors
    for idea in (keeper, duplicate):
        idea.refresh_from_db()
        assert idea.supporters_count == Support.objects.filter(idea=idea).count()
    # Everyone who backed either idea now backs the keeper, each once.
    assert set(Support.objects.filter(idea=keeper).values_list("user_id", flat=True)) == {
        person.pk for person in backers
    }
