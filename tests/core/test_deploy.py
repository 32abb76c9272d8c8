"""Deployment: the production settings pass Django's deployment checks and refuse to
start without their secrets; docker-compose.yml, the Dockerfile and .env.example agree
with what the settings read."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SETTINGS_DIR = BASE_DIR / "partnercenter" / "settings"
PRODUCTION = "partnercenter.settings.production"
APP_SERVICES = ("migrate", "web", "worker", "beat")

# env("NAME"), env.str("NAME", default=...), env.list("NAME"), env.db(...), ...
ENV_CALL = re.compile(r"""\benv(?:\.(?P<kind>[a-z_]+))?\(\s*["'](?P<name>[A-Z][A-Z0-9_]*)["']""")
# ${NAME}, ${NAME:-default}, ${NAME:?message} in docker-compose.yml
COMPOSE_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")

# `python manage.py ...`, except that a developer's .env (which base.py reads and which
# docker compose reads too) cannot change the outcome: only the environment given counts.
MANAGE_WITHOUT_DOTENV = (
    "import runpy, sys, environ; "
    "environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None); "
    "sys.argv = ['manage.py', *sys.argv[1:]]; "
    "runpy.run_path('manage.py', run_name='__main__')"
)


def settings_variables() -> set[str]:
    """Every variable name read in partnercenter/settings/*.py."""
    names = set()
    for source in SETTINGS_DIR.glob("*.py"):
        names |= {match["name"] for match in ENV_CALL.finditer(source.read_text())}
    return names


def required_in_production() -> set[str]:
    """The variables production.py reads without a default: it cannot start without them."""
    tree = ast.parse((SETTINGS_DIR / "production.py").read_text())
    required = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
        )
        if is_env and not any(keyword.arg == "default" for keyword in node.keywords):
            required.add(node.args[0].value)
    return required


def production_env(**overrides) -> dict[str, str]:
    """A realistic production environment. Nothing that Django or the settings read is
    inherited from the test run (conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, for one)."""
    inherited = settings_variables()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in inherited and not key.startswith("DJANGO_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="partners.example.com",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        EMAIL_URL="consolemail://",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:6379/15",
        SITE_URL="https://partners.example.com",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "-c", MANAGE_WITHOUT_DOTENV, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- The production settings ------------------------------------------------------------


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_the_variables_production_requires_are_the_known_secrets():
    assert required_in_production() == {"SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "EMAIL_URL"}


@pytest.mark.parametrize("name", sorted(required_in_production()))
def test_production_settings_refuse_to_start_without(name):
    env = production_env()
    del env[name]
    result = manage("check", env=env)
    assert result.returncode != 0, result.stdout
    assert name in result.stderr, result.stderr
    assert "ImproperlyConfigured" in result.stderr, result.stderr


# --- docker-compose.yml ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def service_env(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def command_line(service: dict) -> str:
    command = service.get("command") or service.get("entrypoint") or ""
    return command if isinstance(command, str) else " ".join(command)


def test_compose_describes_every_production_process(compose):
    services = compose["services"]
    assert {*APP_SERVICES, "postgres", "redis", "mailpit"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["postgres"]["healthcheck"]
    assert any("/var/lib/postgresql/data" in volume for volume in services["postgres"]["volumes"])
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "8025:8025" in services["mailpit"]["ports"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_runs_the_production_settings_with_what_they_require(compose, name):
    env = service_env(compose["services"][name])
    assert env["DJANGO_SETTINGS_MODULE"] == PRODUCTION
    for variable in required_in_production():
        assert env.get(variable), f"{name} does not set {variable}"
    # Secrets: compose fails loudly when they are not given.
    for secret in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS"):
        assert re.fullmatch(rf"\$\{{{secret}:\?.+\}}", env[secret]), env[secret]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert "smtp://mailpit:1025" in env["EMAIL_URL"]
    # Plain HTTP inside the compose; TLS belongs in front of it.
    assert env["SECURE_SSL_REDIRECT"].lower() == "false"
    for variable in ("SITE_URL", "DEFAULT_FROM_EMAIL", "CSRF_TRUSTED_ORIGINS", "AWS_STORAGE_BUCKET_NAME"):
        assert variable in env, f"{name} does not pass {variable}"


def test_app_services_share_one_environment(compose):
    envs = [service_env(compose["services"][name]) for name in APP_SERVICES]
    assert all(env == envs[0] for env in envs)


def test_compose_commands(compose):
    services = compose["services"]
    assert "manage.py migrate --noinput" in command_line(services["migrate"])
    web = command_line(services["web"])
    assert "gunicorn" in web
    assert "partnercenter.wsgi:application" in web
    assert "0.0.0.0:8000" in web
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    worker, beat = command_line(services["worker"]), command_line(services["beat"])
    assert "-A partnercenter" in worker
    assert " worker" in worker
    assert "-A partnercenter" in beat
    assert " beat" in beat
    # The schedule lives in Redis (celery-redbeat), not in a file of the container.
    assert "--schedule" not in beat


def test_web_worker_and_beat_start_after_the_migration(compose):
    for name in ("web", "worker", "beat"):
        depends_on = compose["services"][name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
    assert compose["services"]["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


# --- Dockerfile ---------------------------------------------------------------------------


def dockerfile_instructions() -> list[str]:
    text = (BASE_DIR / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [instruction.strip() for instruction in re.split(r"\n(?=[A-Z]+ )", "\n".join(lines))]


def test_dockerfile_collects_static_files_with_throwaway_production_settings():
    instructions = dockerfile_instructions()
    assert instructions[0].startswith("FROM python:3.11-slim")
    collectstatic = next(i for i in instructions if "collectstatic" in i)
    assert collectstatic.startswith("RUN ")
    for variable in required_in_production():
        assert f"{variable}=" in collectstatic, variable
        # Never a build argument or image ENV: they would stay in the image.
        assert not any(i.startswith(("ARG", "ENV")) and f"{variable}=" in i for i in instructions)
    assert f"DJANGO_SETTINGS_MODULE={PRODUCTION}" in collectstatic


def test_dockerfile_installs_without_dev_extras_and_runs_unprivileged():
    instructions = dockerfile_instructions()
    assert any("pip install -c requirements.lock ." in i for i in instructions)
    assert not any("[dev]" in i for i in instructions)
    users = [i.split()[1] for i in instructions if i.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


# --- .env.example ---------------------------------------------------------------------------


def documented_variables() -> set[str]:
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_setting_read_from_the_environment_is_documented():
    read = settings_variables()
    # The parser itself: a few names every settings module is known to read.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "TEST_DATABASE_URL"} <= read
    assert read - documented_variables() == set()


def test_env_example_documents_only_what_is_read():
    compose_variables = set(COMPOSE_VARIABLE.findall((BASE_DIR / "docker-compose.yml").read_text()))
    assert compose_variables - documented_variables() == set()
    benchmark = (BASE_DIR / "benchmarks" / "__main__.py").read_text()
    bench_variables = set(re.findall(r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]*)", benchmark))
    # The bench's own knobs are documented with `make bench` in the README.
    readme = (BASE_DIR / "README.md").read_text()
    assert "BENCH_DATABASE_URL" in bench_variables
    assert {name for name in bench_variables if f"`{name}`" not in readme} == set()
    assert documented_variables() - settings_variables() - compose_variables - bench_variables == set()
