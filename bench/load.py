"""A small HTTP load generator: threads with httpx, bounded in time and in requests.

Only for a server this process started on the loopback address. Each request's latency is
kept, so a phase reports its throughput and its percentiles.
"""

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

LOOPBACK = ("127.0.0.1", "localhost")


@dataclass
class Phase:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p95(self) -> float:
        return self.percentile(95)

    def merge(self, other: "Phase") -> "Phase":
        return Phase(
            self.label,
            self.seconds + other.seconds,
            self.latencies + other.latencies,
            self.statuses + other.statuses,
        )


def run_phase(
    *,
    base_url: str,
    label: str,
    paths: Sequence[str] | Callable[[int], str],
    clients: int,
    seconds: float,
    max_requests: int,
) -> Phase:
    """`clients` threads send GET requests for `seconds` (or until `max_requests`)."""
    host = httpx.URL(base_url).host
    if host not in LOOPBACK:
        raise ValueError(f"The load generator only targets this machine, not {host!r}.")
    pick = paths if callable(paths) else (lambda i: paths[i % len(paths)])
    counter = iter(range(max_requests))
    lock = threading.Lock()
    phase = Phase(label)
    deadline = time.perf_counter() + seconds

    def worker():
        latencies, statuses = [], Counter()
        with httpx.Client(base_url=base_url, timeout=30) as client:
            while time.perf_counter() < deadline:
                with lock:
                    number = next(counter, None)
                if number is None:
                    break
                start = time.perf_counter()
                try:
                    status = client.get(pick(number)).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                latencies.append(time.perf_counter() - start)
                statuses[status] += 1
        with lock:
            phase.latencies.extend(latencies)
            phase.statuses.update(statuses)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


def wait_until_up(url: str, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
