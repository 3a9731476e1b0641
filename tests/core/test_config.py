import os
import subprocess
import sys

import pytest

from trademission import config


def run_check(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests allow async-unsafe ORM calls in their own process only.
        if not key.startswith("TRADEMISSION_")
        and key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(TRADEMISSION_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "trademission.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_when_configured_for_production(tmp_path):
    result = run_check(
        tmp_path,
        TRADEMISSION_DEBUG="0",
        TRADEMISSION_ALLOWED_HOSTS="missions.example.org",
        TRADEMISSION_SECRET_KEY="x" * 20 + "a-long-and-random-production-secret-Key-9876543210",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_in_development_mode(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEMISSION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRADEMISSION_SECRET_KEY", raising=False)
    first = config.load().secret_key
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert config.load().secret_key == first
    assert len(first) >= 50


def test_database_url_selects_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEMISSION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example.org:5432/tm")
    assert config.load().database_url == "postgres://u:p@db.example.org:5432/tm"
    monkeypatch.delenv("DATABASE_URL")
    assert config.load().database_url.startswith("sqlite:///")


def test_a_malformed_boolean_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEMISSION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRADEMISSION_DEBUG", "perhaps")
    with pytest.raises(ValueError, match="TRADEMISSION_DEBUG must be a boolean"):
        config.load()
