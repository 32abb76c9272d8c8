"""`PORT=8101 make run` (README) sends emails whose links work: the base of every emailed
link follows the port `make run` serves on, unless SITE_URL says otherwise.

The settings are resolved in a fresh interpreter, as `make run` starts them; no server is
started on a fixed port."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from .test_deploy import BASE_DIR, MANAGE_WITHOUT_DOTENV, settings_variables

LOCAL = "partnercenter.settings.local"


def site_url(**environment) -> str:
    """SITE_URL as the local settings (``make run``) resolve it in ``environment``: nothing
    the settings read is inherited from the test run, nor read from a developer's .env."""
    inherited = settings_variables()
    env = {k: v for k, v in os.environ.items() if k not in inherited and not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE=LOCAL, **environment)
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [
            sys.executable,
            "-c",
            MANAGE_WITHOUT_DOTENV,
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_link_base_follows_the_port_of_make_run():
    assert site_url(WEB_PORT="8101") == "http://localhost:8101"


def test_the_default_port_is_8000():
    assert site_url() == "http://localhost:8000"


def test_site_url_wins_over_the_port():
    assert (
        site_url(WEB_PORT="8101", SITE_URL="https://partners.example.com/") == "https://partners.example.com"
    )


def test_make_run_passes_its_port_to_every_process_it_starts():
    """`PORT=8101 make run` gives honcho WEB_PORT=8101, which web, worker and beat inherit,
    and the web process listens on it."""
    env = {**os.environ, "PORT": "8101"}
    make = shutil.which("make")
    assert make, "GNU make is needed (it runs the two commands)"
    dry_run = subprocess.run(  # noqa: S603 - make, on our own Makefile, printing only
        [make, "-n", "run"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert dry_run.returncode == 0, dry_run.stderr
    assert re.search(r"^WEB_PORT=8101 \S*honcho -f Procfile\.dev start$", dry_run.stdout, re.MULTILINE), (
        dry_run.stdout
    )
    procfile = dict(
        line.split(":", 1) for line in (BASE_DIR / "Procfile.dev").read_text().splitlines() if line.strip()
    )
    assert "runserver 127.0.0.1:${WEB_PORT:-8000}" in procfile["web"]
    assert {"worker", "beat"} <= set(procfile)


@pytest.mark.parametrize("value", ["eighty", "80 80"])
def test_a_bad_port_fails_loudly_at_start(value):
    with pytest.raises(AssertionError, match="WEB_PORT|invalid literal"):
        site_url(WEB_PORT=value)
