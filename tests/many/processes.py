"""Start and stop the processes of the many-processes test: a private redis-server, web
servers (gunicorn), Celery workers and beats, each in a process group of its own so
that stopping one stops its children too, and only what this test started."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def wait_for(predicate, seconds=60.0, every=0.2, what="the condition"):
    """Poll ``predicate`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


class Processes:
    def __init__(self, logs: Path, env: dict[str, str]):
        self.logs = logs
        self.env = env
        self.started: dict[str, subprocess.Popen] = {}

    def start(
        self, name: str, *args: str, env: dict[str, str] | None = None, real_clock: bool = False
    ) -> subprocess.Popen:
        """Start ``args`` as ``name``. ``real_clock``: without the suite's fake clock (make
        test-calendar's libfaketime breaks redis-server); the portal's own processes keep
        it, so that they share the test's time."""
        log = (self.logs / f"{name}.log").open("wb")
        environment = {**self.env, **(env or {})}
        if real_clock:
            environment = {
                k: v for k, v in environment.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")
            }
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and programs
            list(args),
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.started[name] = process
        return process

    def python(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        return self.start(name, sys.executable, *args, env=env)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def running(self, name: str) -> bool:
        return self.started[name].poll() is None

    def stop_all(self):
        for process in self.started.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def report(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.log(name)[-3000:]}" for name in self.started)


def healthy(base_url: str) -> bool:
    try:
        return requests.get(f"{base_url}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False
