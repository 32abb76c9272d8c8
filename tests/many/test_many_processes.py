"""Every process is replaceable and safe to run several of (issue 13, "Many machines"):
two web servers, two Celery workers and two Celery beats run at once on one PostgreSQL
(this test's database), one Redis (a private redis-server) and one object store (moto's S3
server). A journey goes across both web servers: the application is submitted through
one and confirmed through the other; the partner uploads a document through one and the
reviewer downloads it through the other. Nothing is done twice: each email is sent once,
each audit row is written once, and only one beat queues the periodic sweeps."""

import email
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection
from django.test import Client

from enrollment.models import Enrollment, EnrollmentDocument
from partnercenter.accounts.services import api_token_issue
from partnercenter.audit.models import Event
from partnercenter.notifications.delivery import message_id
from partnercenter.notifications.models import Notification
from tests.enrollment.test_partner_actions import PDF
from tests.object_store import free_port, s3_server  # noqa: F401

from .processes import Processes, healthy, wait_for

pytestmark = [pytest.mark.many_processes, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Portal:
    """The running processes and where their output lands."""

    def __init__(self, tmp_path: Path, s3):
        self.mail = tmp_path / "mail"
        logs = tmp_path / "logs"
        logs.mkdir()
        self.redis_port = free_port()
        self.web = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
        self.bucket = s3.new_bucket()
        self.s3 = s3
        env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.many.settings",
            DATABASE_URL=database_url(),
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            SITE_URL=self.web[0],
            SWEEP_INTERVAL_SECONDS="1",
            LOG_LEVEL="INFO",
            **s3.environment(self.bucket),
        )
        self.processes = Processes(logs, env)

    def start(self):
        p = self.processes
        p.start(
            "redis",
            "redis-server",
            "--port",
            str(self.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            real_clock=True,
        )
        wait_for(self._redis_up, 20, what="the private redis-server")
        for n, url in enumerate(self.web, 1):
            p.python(
                f"web{n}",
                *("-m", "gunicorn", "partnercenter.wsgi:application", "--workers", "1"),
                *("--bind", url.removeprefix("http://"), "--access-logfile", "-"),
                env={"EMAIL_URL": f"filemail://{self.mail / f'web{n}'}"},
            )
        for n in (1, 2):
            p.python(
                f"worker{n}",
                *("-m", "celery", "-A", "partnercenter", "worker", "--loglevel=INFO"),
                *("--concurrency=1", f"--hostname=worker{n}@%h"),
                env={"EMAIL_URL": f"filemail://{self.mail / f'worker{n}'}"},
            )
            p.python(
                f"beat{n}",
                *("-m", "celery", "-A", "partnercenter", "beat", "--loglevel=INFO"),
                env={"EMAIL_URL": f"filemail://{self.mail / f'beat{n}'}"},
            )
        for url in self.web:
            wait_for(lambda url=url: healthy(url), 90, what=f"{url}/healthz\n{p.report()}")

    def _redis_up(self) -> bool:
        try:
            return redis.Redis(port=self.redis_port).ping()
        except redis.ConnectionError:
            return False

    def emails(self) -> list[email.message.Message]:
        """Every email any process wrote (the file backend: one file per connection)."""
        found = []
        for path in sorted(self.mail.glob("*/*")):
            for chunk in path.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk))
        return found


def text_of(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    return ""


def token_session(user) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {api_token_issue(user=user)[1]}"
    return session


def ok(response, status=200) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:2000])
    return response.json()


@pytest.fixture
def portal(tmp_path, s3_server, transactional_db):  # noqa: F811 - the fixture imported above
    running = Portal(tmp_path, s3_server)
    try:
        running.start()
        yield running
    finally:
        running.processes.stop_all()


def test_a_journey_across_two_web_servers_does_everything_once(
    portal, admin, application, reviewer, settings
):
    web_a, web_b = portal.web
    settings.SITE_URL = web_a  # as the processes have it: the Message-IDs below
    partner, staff = token_session(admin), token_session(reviewer)

    # Submitted through web A; a worker sends the primary contact's email.
    created = ok(partner.post(f"{web_a}/api/v1/enrollments/", json=application, timeout=30), 201)
    enrollment = Enrollment.objects.get(pk=created["id"])
    contact = enrollment.partner.contact_email
    verification = wait_for(
        lambda: [m for m in portal.emails() if m["To"] == contact], 60, what="the verification email"
    )[0]
    token = LINK.search(text_of(verification)).group(1)

    # Confirmed through web B; a worker (or a sweep: whichever claims first) runs the checks.
    confirmed = ok(requests.post(f"{web_b}/api/v1/email-verifications/", json={"token": token}, timeout=30))
    assert confirmed["status"] == "in_review"
    wait_for(lambda: Event.objects.of(enrollment).filter(kind="checks_completed").exists(), 60, what="checks")

    # The reviewer (web B) asks; the partner answers with a document (web A).
    review_url = f"{web_b}/api/v1/review/enrollments/{enrollment.pk}/"
    ok(staff.post(f"{review_url}claim/", timeout=30))
    asked = ok(
        staff.post(f"{review_url}request-info/", json={"message": "Send the registration."}, timeout=30)
    )
    assert asked["status"] == "action_needed"
    answered = ok(
        partner.post(
            f"{web_a}/api/v1/enrollments/{enrollment.pk}/respond/",
            data={
                "message": "The registration is attached.",
                "check": "business_verification",
                "document_type": "business_registration",
            },
            files={"document": ("registration.pdf", PDF, "application/pdf")},
            timeout=30,
        )
    )
    assert answered["status"] == "in_review"

    # The document is in the shared bucket, not on web A's disk, and web B serves it to
    # the reviewer after its permission check.
    document = EnrollmentDocument.objects.get(enrollment=enrollment)
    stored = portal.s3.client().get_object(Bucket=portal.bucket, Key=document.file.name)
    assert stored["Body"].read() == PDF
    browser = Client()
    browser.force_login(reviewer)
    cookies = {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}
    download = requests.get(f"{web_b}/review/documents/{document.pk}/", cookies=cookies, timeout=30)
    assert download.status_code == 200, download.text[:2000]
    assert download.content == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert requests.get(
        f"{web_a}/review/documents/{document.pk}/", timeout=30, allow_redirects=False
    ).status_code in (
        302,
        403,
        404,
    )

    # Every email queued goes out; then a few more sweeps run, and nothing comes twice.
    wait_for(
        lambda: (
            Notification.objects.count() >= 2 and not Notification.objects.exclude(status="sent").exists()
        ),
        60,
        what="every email sent",
    )
    beat_logs = lambda: portal.processes.log("beat1") + portal.processes.log("beat2")  # noqa: E731
    sweeps_so_far = beat_logs().count("enrollments-sweep")
    wait_for(
        lambda: beat_logs().count("enrollments-sweep") >= sweeps_so_far + 3, 30, what="three more sweeps"
    )

    sent = portal.emails()
    ids = Counter(message["Message-ID"] for message in sent)
    assert ids == Counter({message_id(n): 1 for n in Notification.objects.all()}), ids
    rows = Counter(Event.objects.values_list("kind", "object_type", "object_id"))
    assert [row for row, count in rows.items() if count > 1] == []
    kinds = set(Event.objects.of(enrollment).values_list("kind", flat=True))
    assert {"submitted", "checks_completed", "claimed", "info_requested", "responded_with_document"} <= kinds

    # Both beats are up; only the one holding the lock queued the sweeps.
    assert portal.processes.running("beat1") and portal.processes.running("beat2"), portal.processes.report()
    queued = [name for name in ("beat1", "beat2") if "Sending due task" in portal.processes.log(name)]
    assert len(queued) == 1, portal.processes.report()
    assert all(portal.processes.running(name) for name in ("web1", "web2", "worker1", "worker2"))
