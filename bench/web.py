"""Benchmark the ideas pages and API under load: ``python -m bench.web``.

With 10,000 ideas, 2,000 people and 50,000 supports in one challenge, it serves civicflow with
granian and several worker processes and measures, for the idea list page, an idea page, the
ideas API list and the support call, the requests per second and the median (p50) and 99th
percentile (p99) latency, beside a bare Django view served the same way in the same run. Each
figure is printed with its ratio to the bare view, and each request's query count beside it
(for a read, "first/again" where a second request is served from the shared cache).

Environment: BENCH_IDEAS, BENCH_USERS, BENCH_SUPPORTS (sizes), BENCH_WORKERS (server
processes, default 2), BENCH_CONCURRENCY (client processes, default 4), BENCH_SECONDS (per
measurement, default 5), BENCH_ROUNDS (default 3), BENCH_REDIS_URL (the shared cache, see
``_redis_url``). Numbers are medians over the rounds.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.load import LoadResult, Plan, run_load
from bench.server import running_server

SIZES = {
    "ideas": int(os.environ.get("BENCH_IDEAS", "10000")),
    "users": int(os.environ.get("BENCH_USERS", "2000")),
    "supports": int(os.environ.get("BENCH_SUPPORTS", "50000")),
}
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def _environment() -> dict[str, str]:
    data_dir = tempfile.mkdtemp(prefix="civicflow-bench-web-")
    (Path(data_dir) / "static").mkdir()
    env = {
        "CIVICFLOW_MODE": "demo",
        "DEBUG": "false",
        "CIVICFLOW_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "civicflow.config.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    redis_url = _redis_url()
    if redis_url:
        env["REDIS_URL"] = redis_url
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    if not redis_url:
        os.environ.pop("REDIS_URL", None)
    return env


def _redis_url() -> str:
    """Return the Redis to share the cache through, emptied first; '' to use the database cache.

    A deployment with several app servers shares its cache through Redis, so the bench does too
    when one answers at BENCH_REDIS_URL (default: database 15 on this machine's Redis, which the
    bench empties). BENCH_REDIS_URL=none measures with the database cache instead.
    """
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    if url.lower() in {"", "none", "off"}:
        return ""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except Exception as error:  # any failure means: no Redis here
        print(f"No Redis at {url} ({error}); the cache is the database's.", file=sys.stderr)
        return ""
    return url


def _populate(rng: random.Random) -> dict[str, Any]:
    """Make the organisation, challenge, people, ideas and supports; return what plans need."""
    from django.core.management import call_command
    from django.utils import timezone

    from civicflow.accounts import services as accounts
    from civicflow.accounts.models import Organisation, User
    from civicflow.challenges import services as challenges
    from civicflow.challenges.phases import PhaseDates
    from civicflow.ideas.models import Idea, Support

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    lead = User.objects.create_user(email="lead@bench.example", password=None)
    accounts.member_set_roles(
        actor=None, organisation=organisation, user=lead, roles=["innovation_lead"]
    )
    now = timezone.now()
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind="open_call",
        phases=[PhaseDates("develop", now - timedelta(days=1), now + timedelta(days=60))],
        title="Bench call",
        summary="A call for ideas with many ideas.",
        problem="Measuring how the ideas pages hold up.",
        driver="demand",
        audience="public",
        allow_self_support=True,
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    users = User.objects.bulk_create(
        [
            User(email=f"person{i}@bench.example", name=f"Person {i}", password="!")
            for i in range(SIZES["users"])
        ],
        batch_size=1000,
    )
    user_ids = [user.pk for user in users]
    types = ["service", "process", "organisational", "communication", "conceptual"]
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                organisation=organisation,
                challenge=challenge,
                author_id=rng.choice(user_ids),
                title=f"Idea {i}: {rng.choice(['Fewer', 'Faster', 'Kinder', 'Cheaper'])} "
                f"{rng.choice(['visits', 'forms', 'rotas', 'repairs'])}",
                summary="A short summary of what would change and for whom.",
                description="A longer description. " * 20,
                innovation_type=rng.choice(types),
                scale=rng.choice(["continuous", "disruptive"]),
                benefit_saves_money=rng.random() < 0.5,
                benefit_improves_quality=rng.random() < 0.5,
            )
            for i in range(SIZES["ideas"])
        ],
        batch_size=1000,
    )
    idea_ids = [idea.pk for idea in ideas]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < SIZES["supports"]:
        pairs.add((rng.choice(idea_ids), rng.choice(user_ids)))
    Support.objects.bulk_create(
        [Support(idea_id=idea_id, user_id=user_id) for idea_id, user_id in pairs],
        batch_size=2000,
    )
    counts: dict[int, int] = {}
    for idea_id, _user_id in pairs:
        counts[idea_id] = counts.get(idea_id, 0) + 1
    for idea in ideas:
        idea.supporters_count = counts.get(idea.pk, 0)
    Idea.objects.bulk_update(ideas, ["supporters_count"], batch_size=1000)
    # Tokens for the support calls, and fresh (idea, person) pairs nobody has supported yet.
    tokens: dict[int, str] = {}
    for user_id in user_ids[:400]:
        _token, secret = accounts.api_token_create(user=User.objects.get(pk=user_id), name="bench")
        tokens[user_id] = secret
    fresh = [
        (idea_id, user_id, tokens[user_id])
        for user_id in tokens
        for idea_id in rng.sample(idea_ids, 60)
        if (idea_id, user_id) not in pairs
    ]
    rng.shuffle(fresh)
    return {
        "slug": organisation.slug,
        "challenge": challenge.slug,
        "ideas": idea_ids,
        "fresh": fresh,
    }


def _query_count(method: str, path: str, headers: dict[str, str]) -> str:
    """Return the queries a request makes; for a read, first and then again once cached."""
    first = _queries_once(method, path, headers)
    if method != "GET":
        return str(first)
    again = _queries_once(method, path, headers)
    return str(first) if again == first else f"{first}/{again}"


def _queries_once(method: str, path: str, headers: dict[str, str]) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        HTTP_HOST="127.0.0.1",
        **{f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()},
    )
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method.lower())(path)
    assert response.status_code < 400, (path, response.status_code)
    return len(queries)


def _plans(data: dict[str, Any]) -> list[tuple[str, Plan, tuple[str, str, dict[str, str]]]]:
    ideas = data["ideas"]
    list_path = f"/organisations/{data['slug']}/challenges/{data['challenge']}/ideas/"
    api_path = f"/api/v1/organisations/{data['slug']}/challenges/{data['challenge']}/ideas"
    pages = max(1, min(50, len(ideas) // 20))
    fresh = data["fresh"]

    def idea_list(worker: int, n: int) -> Any:
        return "GET", f"{list_path}?page={1 + (worker * 7 + n) % pages}", {}, None

    def idea_page(worker: int, n: int) -> Any:
        return "GET", f"/ideas/{ideas[(worker * 7919 + n * 104729) % len(ideas)]}/", {}, None

    def api_list(worker: int, n: int) -> Any:
        return "GET", f"{api_path}?page={1 + (worker * 7 + n) % pages}", {}, None

    def support(worker: int, n: int) -> Any:
        # Each process walks its own stripe of the fresh pairs, continuing where the last
        # round stopped, so no (idea, person) pair is supported twice.
        index = (SUPPORT_OFFSET[0] + n) * CONCURRENCY + worker
        idea_id, _user_id, secret = fresh[index % len(fresh)]
        return (
            "PUT",
            f"/api/v1/ideas/{idea_id}/support",
            {"Authorization": f"Bearer {secret}", "Content-Length": "0"},
            b"",
        )

    sample_secret = fresh[-1][2]
    return [
        ("idea list page", idea_list, ("GET", f"{list_path}?page=2", {})),
        ("idea page", idea_page, ("GET", f"/ideas/{ideas[0]}/", {})),
        ("ideas API list", api_list, ("GET", f"{api_path}?page=2", {})),
        (
            "support (API PUT)",
            support,
            (
                "PUT",
                f"/api/v1/ideas/{fresh[-1][0]}/support",
                {"Authorization": f"Bearer {sample_secret}"},
            ),
        ),
    ]


# How many supports each client process has sent in earlier rounds (read after fork).
SUPPORT_OFFSET = [0]


def _bare(worker: int, n: int) -> Any:
    return "GET", "/__ceiling__/bare/", {}, None


def main() -> int:
    env = _environment()
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"
    rng = random.Random(20261122)
    print(
        f"Populating: {SIZES['ideas']:,} ideas, {SIZES['users']:,} people, "
        f"{SIZES['supports']:,} supports…",
        flush=True,
    )
    data = _populate(rng)
    plans = _plans(data)
    queries = {name: _query_count(*sample) for name, _plan, sample in plans}
    print(
        f"granian, {WORKERS} worker processes; {CONCURRENCY} client processes; "
        f"{SECONDS:g} s per measurement; medians of {ROUNDS} rounds; "
        f"cache: {'Redis' if os.environ.get('REDIS_URL') else 'the database'}",
        flush=True,
    )
    header = (
        f"{'case':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>10}"
        f"{'bare req/s':>12}{'ratio':>8}"
    )
    rows = []
    with running_server(env=env, workers=WORKERS) as port:
        for name, plan, _sample in plans:
            rates, bare_rates, p50s, p99s, ratios = [], [], [], [], []
            errors = 0
            for _round in range(ROUNDS):
                bare: LoadResult = run_load(port, _bare, concurrency=CONCURRENCY, duration=SECONDS)
                measured = run_load(port, plan, concurrency=CONCURRENCY, duration=SECONDS)
                if name.startswith("support"):
                    SUPPORT_OFFSET[0] += measured.requests  # more than any one process sent
                errors += measured.errors
                rates.append(measured.rate)
                bare_rates.append(bare.rate)
                p50s.append(measured.p50)
                p99s.append(measured.p99)
                ratios.append(measured.rate / bare.rate if bare.rate else float("nan"))
            rows.append(
                (
                    name,
                    statistics.median(rates),
                    statistics.median(p50s),
                    statistics.median(p99s),
                    queries[name],
                    statistics.median(bare_rates),
                    statistics.median(ratios),
                    errors,
                )
            )
    print(header)
    for name, rate, p50, p99, count, bare_rate, ratio, errors in rows:
        note = f"  ({errors} errors)" if errors else ""
        print(
            f"{name:<20}{rate:>9.1f}{p50:>9.1f}{p99:>9.1f}{count:>10}{bare_rate:>12.1f}"
            f"{ratio:>8.3f}{note}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
