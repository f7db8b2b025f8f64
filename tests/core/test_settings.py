import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-" + "x" * 40,
    "ALLOWED_HOSTS": "commsnet.example.gov.uk",
    "SITE_URL": "https://commsnet.example.gov.uk",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # The browser tests allow sync ORM calls beside Playwright's loop; production never does.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "development-only-secret-key-never-use-in-production"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def staff_require_2fa(env: dict) -> str:
    code = "from django.conf import settings; print(settings.STAFF_REQUIRE_2FA)"
    result = run_manage("shell", "-c", code, env={"STAFF_REQUIRE_2FA": "", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]  # after the shell's own line about imports


def test_staff_need_two_factor_by_default_in_production_only():
    assert staff_require_2fa(PRODUCTION_ENV) == "True"
    assert staff_require_2fa({"DEBUG": "true"}) == "False"


def test_production_may_turn_off_the_two_factor_requirement():
    assert staff_require_2fa({**PRODUCTION_ENV, "STAFF_REQUIRE_2FA": "false"}) == "False"
