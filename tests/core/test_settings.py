"""Settings from the environment: the helpers, EMAIL_URL, and what production variables turn on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from carnet.core.email_url import parse_email_url
from carnet.settings import env, envbool, envint, envlist

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-0123456789",
    "SITE_URL": "https://carnet.example.org",
    "ALLOWED_HOSTS": "carnet.example.org",
    "DATABASE_URL": "postgres://carnet:secret@db.internal:5432/carnet",
    "REDIS_URL": "redis://cache.internal:6379/1",
    "EMAIL_URL": "smtp://mailer:p%40ss@smtp.example.org:587/?tls=1",
}


def test_env_reads_a_variable_or_its_default(monkeypatch):
    monkeypatch.setenv("CARNET_TEST_VALUE", "hello")
    monkeypatch.delenv("CARNET_TEST_MISSING", raising=False)
    assert env("CARNET_TEST_VALUE") == "hello"
    assert env("CARNET_TEST_MISSING", "fallback") == "fallback"
    assert env("CARNET_TEST_MISSING") == ""


def test_env_reads_a_secret_from_the_file_named_in_NAME_FILE(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("  from-a-file\n")
    monkeypatch.setenv("CARNET_TEST_SECRET", "from-the-environment")
    monkeypatch.setenv("CARNET_TEST_SECRET_FILE", str(secret))
    assert env("CARNET_TEST_SECRET") == "from-a-file"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("TRUE", True), (" yes ", True), ("on", True),
     ("0", False), ("false", False), ("no", False), ("", False), ("maybe", False)],
)  # fmt: skip
def test_envbool(monkeypatch, raw, expected):
    monkeypatch.setenv("CARNET_TEST_FLAG", raw)
    assert envbool("CARNET_TEST_FLAG") is expected


def test_envbool_default(monkeypatch):
    monkeypatch.delenv("CARNET_TEST_FLAG", raising=False)
    assert envbool("CARNET_TEST_FLAG", "True") is True
    assert envbool("CARNET_TEST_FLAG") is False


def test_envint_and_envlist(monkeypatch):
    monkeypatch.setenv("CARNET_TEST_INT", "42")
    monkeypatch.setenv("CARNET_TEST_LIST", " a.example, b.example ,,")
    monkeypatch.delenv("CARNET_TEST_NONE", raising=False)
    assert envint("CARNET_TEST_INT", 7) == 42
    assert envint("CARNET_TEST_NONE", 7) == 7
    assert envlist("CARNET_TEST_LIST") == ["a.example", "b.example"]
    assert envlist("CARNET_TEST_NONE", "x,y") == ["x", "y"]
    monkeypatch.setenv("CARNET_TEST_INT", "many")
    with pytest.raises(ValueError):
        envint("CARNET_TEST_INT", 7)


def test_email_url_smtp_with_starttls_and_encoded_credentials():
    assert parse_email_url("smtp://mailer:p%40ss%2Fword@smtp.example.org:587/?tls=1&timeout=30") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss/word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


def test_email_url_smtps_defaults_to_port_465_over_tls():
    settings = parse_email_url("smtps://relay.example.org")
    assert settings["EMAIL_PORT"] == 465 and settings["EMAIL_USE_SSL"] and not settings["EMAIL_USE_TLS"]
    assert settings["EMAIL_HOST_USER"] == settings["EMAIL_HOST_PASSWORD"] == ""


def test_email_url_plain_smtp_defaults():
    settings = parse_email_url("smtp://localhost")
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"], settings["EMAIL_TIMEOUT"]) == ("localhost", 25, 10)
    assert not settings["EMAIL_USE_TLS"] and not settings["EMAIL_USE_SSL"]


def test_email_url_console():
    assert parse_email_url("console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp2://x", "mailto:someone@example.org"])
def test_email_url_rejects_unknown_schemes(url):
    with pytest.raises(ValueError, match="unsupported scheme"):
        parse_email_url(url)


def _settings_in_subprocess(tmp_path, extra: dict) -> dict:
    """Import carnet.settings in a clean process with exactly these variables."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CARNET_", "DATABASE", "REDIS", "EMAIL"))}
    environ.pop("SECRET_KEY", None)
    environ.pop("PYTEST_VERSION", None)
    # The browser tests' conftest sets it in the worker; a production process never has it.
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environ.update(CARNET_DATA_DIR=str(tmp_path), **extra)
    code = (
        "import json, carnet.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['DEBUG', 'DATABASES', 'CACHES', 'CHANNEL_LAYERS', 'EMAIL_BACKEND', 'TASKS', 'SESSION_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'ALLOWED_HOSTS', 'SECRET_KEY', 'CARNET_GRAPH_ENGINE', "
        "'CARNET_GRAPH_CACHE_MB', 'CARNET_GRAPH_MAX_AGE', 'CARNET_SEARCH_TIMEOUT_MS', 'CARNET_MAX_DOCUMENTS', "
        "'CARNET_RESUME_MAX_BYTES', 'CARNET_LINKEDIN_MAX_BYTES']}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=environ, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_engines_and_limits_come_from_the_environment(tmp_path):
    defaults = _settings_in_subprocess(tmp_path, {})
    assert defaults["CARNET_GRAPH_ENGINE"] == "auto" and defaults["CARNET_GRAPH_MAX_AGE"] == 3600
    assert defaults["CARNET_SEARCH_TIMEOUT_MS"] == 5000 and defaults["CARNET_MAX_DOCUMENTS"] == 20
    assert defaults["CARNET_RESUME_MAX_BYTES"] == 1024 * 1024
    assert defaults["CARNET_LINKEDIN_MAX_BYTES"] == 25 * 1024 * 1024
    assert _settings_in_subprocess(tmp_path, {"CARNET_GRAPH_ENGINE": ""})["CARNET_GRAPH_ENGINE"] == "auto"
    s = _settings_in_subprocess(
        tmp_path,
        {
            "CARNET_GRAPH_ENGINE": "off",
            "CARNET_GRAPH_CACHE_MB": "64",
            "CARNET_SEARCH_TIMEOUT_MS": "2500",
            "CARNET_MAX_DOCUMENTS": "5",
            "CARNET_RESUME_MAX_KB": "200",
            "CARNET_LINKEDIN_MAX_MB": "10",
            "REDIS_URL": "redis://cache.internal:6379/1",
        },
    )
    assert s["CARNET_GRAPH_ENGINE"] == "off" and s["CARNET_GRAPH_CACHE_MB"] == 64
    assert s["CARNET_GRAPH_MAX_AGE"] == 24 * 3600  # every process hears of each change over Redis
    assert s["CARNET_SEARCH_TIMEOUT_MS"] == 2500 and s["CARNET_MAX_DOCUMENTS"] == 5
    assert s["CARNET_RESUME_MAX_BYTES"] == 200 * 1024 and s["CARNET_LINKEDIN_MAX_BYTES"] == 10 * 1024 * 1024


def test_postgresql_connections_come_from_a_pool_outside_tests(tmp_path):
    url = "postgres://carnet:secret@db.internal:5432/carnet"
    database = _settings_in_subprocess(tmp_path, {"DATABASE_URL": url})["DATABASES"]["default"]
    # Under ASGI each request has a thread of its own: CONN_MAX_AGE would keep nothing.
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 10, "timeout": 10}
    assert database["CONN_MAX_AGE"] == 0
    tuned = {"DATABASE_URL": url, "DATABASE_POOL_MAX": "4", "DATABASE_POOL_MIN": "1", "DATABASE_POOL_TIMEOUT": "3"}
    database = _settings_in_subprocess(tmp_path, tuned)["DATABASES"]["default"]
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 3}
    off = {"DATABASE_URL": url, "DATABASE_POOL_MAX": "0", "CONN_MAX_AGE": "30"}
    database = _settings_in_subprocess(tmp_path, off)["DATABASES"]["default"]
    assert "pool" not in database.get("OPTIONS", {}) and database["CONN_MAX_AGE"] == 30


def test_an_unknown_graph_engine_mode_stops_the_start(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CARNET_", "PYTEST"))}
    environ.update(CARNET_DATA_DIR=str(tmp_path), CARNET_GRAPH_ENGINE="fast")
    done = subprocess.run(
        [sys.executable, "-c", "import carnet.settings"], env=environ, cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "CARNET_GRAPH_ENGINE must be auto, sync or off, not 'fast'" in done.stderr


def test_laptop_defaults_need_no_variable(tmp_path):
    s = _settings_in_subprocess(tmp_path, {})
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in s["DATABASES"]["default"]["OPTIONS"]["init_command"]
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert s["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert s["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert not s["DEBUG"] and not s["SESSION_COOKIE_SECURE"]
    # A secret key of its own, kept in the data directory, never in the repository.
    assert s["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip() and len(s["SECRET_KEY"]) >= 50


def test_production_variables_replace_every_embedded_default(tmp_path):
    s = _settings_in_subprocess(tmp_path, PRODUCTION)
    database = s["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db.internal", "carnet", "carnet")
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["SESSION_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["ALLOWED_HOSTS"] == ["carnet.example.org"]
    assert s["SECRET_KEY"] == PRODUCTION["SECRET_KEY"] and not (tmp_path / "secret_key").exists()


def _check_deploy(tmp_path, extra: dict) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CARNET_", "DATABASE", "REDIS", "EMAIL"))}
    environ.pop("PYTEST_VERSION", None)
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in the worker
    environ.update(CARNET_DATA_DIR=str(tmp_path), **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    done = _check_deploy(tmp_path, PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_when_the_site_is_not_served_over_https(tmp_path):
    done = _check_deploy(tmp_path, {**PRODUCTION, "SITE_URL": "http://carnet.example.org"})
    assert done.returncode != 0
    assert "security.W" in done.stdout + done.stderr
