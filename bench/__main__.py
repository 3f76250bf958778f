"""Run the foundation benchmarks: ``python -m bench`` (or ``make bench``).

Every figure is a ratio against a reference measured in the same run on the same machine:

* a civicflow page against Django's ceiling, a view that returns "ok" through the same
  middleware (sessions, CSRF, CSP, allauth…);
* an API list against django-ninja's ceiling, an endpoint that returns the same number of
  rows from memory;
* bearer-token authentication against session authentication for the same endpoint.

Each measurement is the median of several rounds of many requests.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="civicflow-bench-")
    (Path(data_dir) / "static").mkdir()
    os.environ.update(
        {
            "CIVICFLOW_MODE": "dev",
            "CIVICFLOW_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "civicflow.config.settings",
            "DEBUG": "false",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = "bench.urls"
    call_command("migrate", verbosity=0)


def _populate() -> tuple[object, str]:
    from civicflow.accounts import services
    from civicflow.accounts.models import Organisation, User

    admin = User.objects.create_user(email="bench@example.com", password="bench-password-1")
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Organisation {i:03d}", slug=f"org-{i:03d}", kind="council")
            for i in range(50)
        ]
    )
    organisation = Organisation.objects.get(slug="org-000")
    services.member_set_roles(actor=None, organisation=organisation, user=admin, roles=["admin"])
    _token, secret = services.api_token_create(user=admin, name="bench")
    return admin, secret


def _per_request(run: Callable[[], object], requests: int) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        run()
    return (time.perf_counter() - start) / requests


def _compare(
    run: Callable[[], object], reference: Callable[[], object], *, requests: int, rounds: int
) -> tuple[float, float, float]:
    """Return the medians of the measured time, the reference time and their ratio.

    The two alternate round by round, so that a busy moment on the machine slows both.
    """
    run()
    reference()
    measured, referenced, ratios = [], [], []
    for _ in range(rounds):
        ref_time = _per_request(reference, requests)
        run_time = _per_request(run, requests)
        measured.append(run_time)
        referenced.append(ref_time)
        ratios.append(run_time / ref_time)
    return statistics.median(measured), statistics.median(referenced), statistics.median(ratios)


def main() -> int:
    _setup()
    from django.test import Client

    admin, secret = _populate()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(admin)  # type: ignore[arg-type]
    bearer = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {secret}")
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    requests = int(os.environ.get("BENCH_REQUESTS", "200"))

    def get(client: Client, path: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return call

    cases = [
        (
            "page: organisations list (50)",
            get(anonymous, "/organisations/?page_size=50"),
            "django ceiling: bare view",
            get(anonymous, "/__ceiling__/bare/"),
        ),
        (
            "page: your account (signed in)",
            get(signed_in, "/account/"),
            "django ceiling: bare view, signed in",
            get(signed_in, "/__ceiling__/bare/"),
        ),
        (
            "api: organisations (50 rows)",
            get(anonymous, "/api/v1/organisations?page_size=50"),
            "ninja ceiling: 50 rows from memory",
            get(anonymous, "/__ceiling__/api/rows"),
        ),
        (
            "api: /me with bearer token",
            get(bearer, "/api/v1/me"),
            "api: /me with session",
            get(signed_in, "/api/v1/me"),
        ),
    ]
    print(f"civicflow foundation benchmarks: median of {rounds} rounds x {requests} requests")
    print(f"{'measured':<36}{'ms/req':>9}  {'reference':<38}{'ms/req':>9}{'ratio':>8}")
    for name, run, ref_name, ref in cases:
        measured, reference, ratio = _compare(run, ref, requests=requests, rounds=rounds)
        print(
            f"{name:<36}{measured * 1000:>9.3f}  {ref_name:<38}{reference * 1000:>9.3f}"
            f"{ratio:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
