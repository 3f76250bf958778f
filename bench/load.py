"""A small HTTP load generator: several processes, keep-alive connections, per-request times.

It stays within this repository so the benchmark needs nothing but Python. Every process
sends requests back to back for a fixed time (closed loop), so the request rate is what the
server sustains at that concurrency.
"""

from __future__ import annotations

import http.client
import multiprocessing
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A request plan: given the process number and the request number, what to send.
Plan = Callable[[int, int], tuple[str, str, dict[str, str], bytes | None]]


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


def _worker(port: int, plan: Plan, number: int, duration: float, out: Any) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    count = 0
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline:
        method, path, headers, body = plan(number, count)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = 0
        latencies.append((time.perf_counter() - start) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        if not 200 <= status < 400:
            errors += 1
        count += 1
    connection.close()
    out.put((latencies, statuses, errors))


def run_load(port: int, plan: Plan, *, concurrency: int, duration: float) -> LoadResult:
    """Send requests from ``concurrency`` processes for ``duration`` seconds."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    processes = [
        context.Process(target=_worker, args=(port, plan, number, duration, out))
        for number in range(concurrency)
    ]
    start = time.perf_counter()
    for process in processes:
        process.start()
    results = [out.get() for _ in processes]
    for process in processes:
        process.join()
    seconds = time.perf_counter() - start
    latencies = [value for result in results for value in result[0]]
    statuses: dict[int, int] = {}
    for _lat, counts, _errors in results:
        for status, number in counts.items():
            statuses[status] = statuses.get(status, 0) + number
    return LoadResult(
        requests=len(latencies),
        errors=sum(result[2] for result in results),
        seconds=seconds,
        latencies_ms=latencies,
        statuses=statuses,
    )
