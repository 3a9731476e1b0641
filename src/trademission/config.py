"""One configuration module.

Every key has a default that works for development with nothing set, and a ``TRADEMISSION_*``
environment variable (``DATABASE_URL`` is the conventional exception). Production is
``TRADEMISSION_DEBUG=0`` plus a host name; ``manage.py check --deploy`` then passes.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"TRADEMISSION_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"TRADEMISSION_{name} must be a boolean (1/0, true/false), got {value!r}")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


def _secret_key(data_dir: Path) -> str:
    """Read the key from the environment, else from var/, generating it there on first run."""
    from_env = _env("SECRET_KEY", "")
    if from_env:
        return from_env
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Written with owner-only permissions: the key signs sessions and token links.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class Config:
    debug: bool
    data_dir: Path
    database_url: str
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    site_url: str
    secure: bool
    language: str
    time_zone: str
    email_backend: str
    email_host: str
    email_port: int
    email_user: str
    email_password: str
    email_use_tls: bool
    default_from_email: str
    tasks_backend: str
    token_days: int
    log_level: str


def load() -> Config:
    data_dir = Path(_env("DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
    debug = _env_bool("DEBUG", True)
    return Config(
        debug=debug,
        data_dir=data_dir,
        database_url=os.environ.get(
            "DATABASE_URL", _env("DATABASE_URL", f"sqlite:///{data_dir / 'trademission.sqlite3'}")
        ),
        secret_key=_secret_key(data_dir),
        allowed_hosts=_env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]"),
        csrf_trusted_origins=_env_list("CSRF_TRUSTED_ORIGINS", ""),
        site_url=_env("SITE_URL", "http://127.0.0.1:8000"),
        secure=_env_bool("SECURE", not debug),
        language=_env("LANGUAGE", "en"),
        time_zone=_env("TIME_ZONE", "UTC"),
        email_backend=_env(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if debug
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        email_host=_env("EMAIL_HOST", "localhost"),
        email_port=int(_env("EMAIL_PORT", "25")),
        email_user=_env("EMAIL_USER", ""),
        email_password=_env("EMAIL_PASSWORD", ""),
        email_use_tls=_env_bool("EMAIL_USE_TLS", False),
        default_from_email=_env("DEFAULT_FROM_EMAIL", "trademission <noreply@localhost>"),
        tasks_backend=_env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        token_days=int(_env("TOKEN_DAYS", "60")),
        log_level=_env("LOG_LEVEL", "INFO"),
    )
