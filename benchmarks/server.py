"""The processes the bench starts and stops: gunicorn (sync workers) and a Celery worker,
under ``benchmarks.settings`` on a given database."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .load import BenchError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOGS = ROOT / "var" / "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "BENCH_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }


class Process:
    def __init__(self, name: str, command: list[str], database_url: str):
        LOGS.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log = LOGS / f"{name}.log"
        with self.log.open("w") as log:
            self.popen = subprocess.Popen(  # noqa: S603 - our own command line
                command,
                cwd=ROOT,
                env=environment(database_url),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def fail(self, message: str):
        tail = self.log.read_text()[-2000:] if self.log.exists() else ""
        raise BenchError(f"{self.name}: {message}\n{tail}")


class Gunicorn(Process):
    def __init__(self, database_url: str, *, workers: int = 2, name: str = "gunicorn"):
        self.port = free_port()
        super().__init__(
            name,
            [
                str(BIN / "gunicorn"),
                "partnercenter.wsgi:application",
                "--config", "python:partnercenter.gunicorn",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers),
                "--worker-class", "sync",
                "--timeout", "120",
                "--log-level", "warning",
            ],
            database_url,
        )  # fmt: skip
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        from .load import Request, send

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                self.fail("exited at start")
            try:
                if send(self.port, Request("GET", "/bench/floor/")).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.fail("not ready in time")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def worker_rss_mib(self) -> list[float]:
        """Each web worker's resident memory (VmRSS), in MiB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


class CeleryWorker(Process):
    def __init__(self, database_url: str, *, concurrency: int = 2):
        super().__init__(
            "celery",
            [
                str(BIN / "celery"), "-A", "partnercenter", "worker", "-Q", "bench",
                "--concurrency", str(concurrency), "--pool", "prefork", "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            database_url,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                self.fail("exited at start")
            if "ready." in self.log.read_text():
                return
            time.sleep(0.1)
        self.fail("not ready in time")
