# The CSP Partner Portal: one image for every process in docker-compose.yml
# (web on gunicorn, the one-shot migrate, the Celery worker and Celery beat).
FROM python:3.11-slim

# PYTHONPATH=/app: the code runs from /app, not from the copy that pip puts in
# site-packages, because the settings find templates/, static/, locale/ and demo/ next
# to the packages (BASE_DIR). DJANGO_SETTINGS_MODULE: manage.py and the Celery app
# default to the local settings; in this image everything is production.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=partnercenter.settings.production

# Pango and a CJK font for WeasyPrint: the printable invoices (PDF), in every language.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .

# Dependencies pinned by the lock file, without the dev extras (pytest, ruff,
# Playwright). Every dependency ships a wheel, so no compiler is needed. The build
# leftovers are removed so that /app holds only the source.
RUN pip install -c requirements.lock . \
    && rm -rf build ./*.egg-info

# Translations: the compiled catalogs (.mo) belong in the repository, so the image needs
# no GNU gettext. A catalog whose .mo is missing is compiled here with polib (pure
# Python, pinned by the lock file) rather than shipped untranslated.
RUN pip install -c requirements.lock polib \
    && python -c "import pathlib, polib; [polib.pofile(str(po)).save_as_mofile(str(po.with_suffix('.mo'))) for po in pathlib.Path('locale').glob('*/LC_MESSAGES/*.po') if not po.with_suffix('.mo').exists()]" \
    && pip uninstall -y polib

# Static files, hashed and compressed for WhiteNoise. The production settings refuse to
# load without their secrets, so this one command gets throwaway values that live and
# die with it: they are neither build args nor image ENV. The running containers get
# the real ones from docker-compose.yml.
RUN SECRET_KEY=collectstatic-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldCE= \
    EMAIL_URL=consolemail:// \
    DJANGO_SETTINGS_MODULE=partnercenter.settings.production \
    python manage.py collectstatic --noinput

# An unprivileged user. It owns only what the portal may write: uploaded documents in
# MEDIA_ROOT when no bucket is set (docker-compose.yml sets one: its MinIO, so that the
# containers keep nothing on their own disk).
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home portal \
    && mkdir -p /app/var/media \
    && chown -R portal:portal /app/var
USER portal

ENV MEDIA_ROOT=/app/var/media
EXPOSE 8000

# gunicorn also reads WEB_CONCURRENCY (the number of workers) from the environment.
CMD ["gunicorn", "partnercenter.wsgi:application", "--config", "python:partnercenter.gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
