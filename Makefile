# The two commands: `make run` (the portal with its worker and beat) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test test-calendar lint install services messages bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## make run: install, migrate, load demo data, start web + Celery worker + Celery beat.
run: install
	mkdir -p var/celery/queue var/celery/control var/mail
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  The portal:      http://localhost:$(PORT)/"
	@echo "  Emails sent:     http://localhost:$(PORT)/dev/outbox/  (and files in var/mail/)"
	@echo "  API docs:        http://localhost:$(PORT)/api/v1/docs/"
	@echo "  Stop with Ctrl-C."
	@echo ""
	WEB_PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

## make lint: ruff and missing migrations.
lint: install
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=partnercenter.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

## make test: lint, then the whole suite on real PostgreSQL and Redis (with browser tests).
test: lint
	$(BIN)/pytest -n 2 --dist loadgroup

## make test-calendar: the suite but the browser tests on a clock a year ahead (Debian's
## faketime), once on a weekday and once on a Saturday: no test may depend on today's date.
test-calendar: install
	faketime '+400 days' $(BIN)/pytest -n 2 --dist loadgroup -m "not browser" -q
	faketime "+$$(( 364 + (6 - $$(date +%u) + 7) % 7 )) days" $(BIN)/pytest -n 2 --dist loadgroup -m "not browser" -q

## make services: start PostgreSQL and Redis on this machine if they are not running.
services:
	./.ci/services

## make messages: extract and compile the translation catalogs (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hant -l zh_Hans -l ru --ignore=.venv --ignore=var --ignore=tests --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

## make screenshots: the browser tests (one module at a time), then the screenshots the
## README shows copied from var/screenshots/ to docs/screenshots/ (desktop, phone/, <language>/).
screenshots: install
	rm -rf var/screenshots
	$(BIN)/pytest -m browser -q
	for shot in $$(grep -o 'docs/screenshots/[A-Za-z0-9_./-]*\.png' README.md | sort -u); do \
	  mkdir -p "$$(dirname "$$shot")" && cp "var/screenshots/$${shot#docs/screenshots/}" "$$shot"; \
	done

## make bench: performance targets (never in the test suite).
bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf var/celery var/mail
