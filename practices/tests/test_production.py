"""Production settings: fail without a key, pass Django's deployment check."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-not-a-real-production-key-0123456789",
    "ALLOWED_HOSTS": "app.example.test",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_secret_key():
    env = PRODUCTION | {"SECRET_KEY": ""}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set." in result.stderr


def test_it_names_a_bad_setting():
    result = manage("check", **(PRODUCTION | {"EMAIL_PORT": "abc"}))

    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr


def test_it_sends_mail_by_smtp_in_production_not_into_the_logs():
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND)"

    production = manage("shell", "-c", script, **PRODUCTION)
    local = manage("shell", "-c", script, **(PRODUCTION | {"DEBUG": "true"}))

    assert production.stdout.strip().endswith("smtp.EmailBackend")
    assert local.stdout.strip().endswith("console.EmailBackend")
