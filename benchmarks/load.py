"""The bench's HTTP client: requests to the gunicorn it started, timed one by one, at a
given concurrency (threads sending back to back)."""

import http.client
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class Target:
    """What is measured: a name, the request (a function of the run's index, for bodies
    and users that change), the status it must answer and whether it is an API list or
    page the targets apply to."""

    name: str
    request: Callable[[int], Request]
    status: int = 200
    kind: str = "page"  # page, api, action (the submission)


class BenchError(Exception):
    pass


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    ms: float


def send(port: int, request: Request, extra_headers: dict | None = None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "127.0.0.1", **request.headers, **(extra_headers or {})}
    start = time.perf_counter()
    try:
        connection.request(request.method, request.path, body=request.body, headers=headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    ms = (time.perf_counter() - start) * 1000
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body, ms)


def check(target: Target, answer: Answer) -> None:
    if answer.status != target.status:
        raise BenchError(
            f"{target.name}: expected {target.status}, got {answer.status}: {answer.body[:300]!r}"
        )


class Counter:
    """The run's index, shared by the threads (each request gets its own)."""

    def __init__(self, start: int = 0):
        self.lock = threading.Lock()
        self.next = start

    def take(self) -> int:
        with self.lock:
            self.next += 1
            return self.next - 1


def run(port: int, target: Target, *, requests: int, concurrency: int, counter: Counter) -> list[float]:
    """``requests`` timed requests, ``concurrency`` at a time; their times in ms."""
    samples: list[float] = []
    errors: list[Exception] = []
    per_thread = [
        requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)
    ]

    def worker(count: int) -> None:
        try:
            for _ in range(count):
                answer = send(port, target.request(counter.take()))
                check(target, answer)
                samples.append(answer.ms)
        except Exception as error:  # reported below, after the other threads end
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(count,)) for count in per_thread if count]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return samples


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def counted(port: int, target: Target, index: int) -> dict:
    """One request with the middleware's counts: queries, rows returned, rows read."""
    answer = send(port, target.request(index), {"X-Bench-Explain": "1"})
    check(target, answer)
    return {
        "queries": int(answer.headers.get("x-bench-queries", -1)),
        "rows": int(answer.headers.get("x-bench-rows", -1)),
        "read": int(answer.headers.get("x-bench-rows-read", -1)),
    }


def json_body(data: dict) -> bytes:
    return json.dumps(data).encode()
