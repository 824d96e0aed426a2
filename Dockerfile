# syntax=docker/dockerfile:1
# The application image for web, worker, beat and migrate (see docker-compose.yml).
# Two stages: uv and the build tooling stay in `build`; `runtime` gets the virtualenv, the code
# (with its committed, compiled translations) and the collected static files.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install uv==0.13.9

WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Production settings refuse to start without their secrets; these build-only values never reach
# the runtime image (they live in this RUN's environment only).
RUN DJANGO_SETTINGS_MODULE=casework.settings_production \
    SECRET_KEY=build-only \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://x@localhost/x \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    /app/.venv/bin/python manage.py collectstatic --noinput


FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=casework.settings_production

# An unprivileged user; /var/lib/celerybeat is created here so the named volume mounted on it
# (docker-compose.yml, beat) inherits the owner and beat can write its schedule.
RUN groupadd --system --gid 10001 casework \
    && useradd --system --uid 10001 --gid casework --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin casework \
    && install --directory --owner=casework --group=casework /var/lib/celerybeat

WORKDIR /app
# Root owns the code: the application user can read it but not change it.
COPY --from=build /app /app

USER casework:casework
EXPOSE 8000

CMD ["gunicorn", "casework.wsgi:application", \
     "--bind=0.0.0.0:8000", "--workers=3", "--threads=4", "--timeout=60", \
     "--graceful-timeout=30", "--max-requests=1000", "--max-requests-jitter=100", \
     "--worker-tmp-dir=/dev/shm", "--access-logfile=-", "--error-logfile=-"]
