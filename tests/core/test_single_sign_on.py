"""Single sign-on (Microsoft Entra ID, Google Workspace) is off unless its environment
variables are set. Settings are read once per process, so the configured cases run
`manage.py shell` in a subprocess pointed at this test run's database."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = ["allauth.socialaccount.providers.microsoft", "allauth.socialaccount.providers.google"]
SCRIPT = """
from django.apps import apps
from django.test import Client
for app in {providers!r}:
    print("installed", app, apps.is_installed(app))
client = Client(HTTP_HOST="localhost")
print(client.get("/accounts/login/").content.decode())
print(client.get("/accounts/signup/").content.decode())
print(client.get("/accounts/microsoft/login/").content.decode())
"""


def this_database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{quote(db['HOST'], safe='')}{port}/{db['NAME']}"


def run_with(env: dict) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"} and not k.startswith(("MICROSOFT_", "GOOGLE_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT.format(providers=PROVIDERS)],
        cwd=ROOT,
        env={**base, "DEBUG": "true", "DATABASE_URL": this_database_url(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.django_db
def test_nothing_social_appears_by_default(client):
    assert not any(apps.is_installed(app) for app in PROVIDERS)
    for name in ["account_login", "account_signup"]:
        body = client.get(reverse(name)).content.decode()
        assert "Sign in with" not in body
        assert "work account" not in body
    assert client.get("/accounts/microsoft/login/").status_code == 404


@pytest.mark.django_db
def test_microsoft_sign_in_is_offered_when_configured():
    output = run_with(
        {"MICROSOFT_CLIENT_ID": "client-id", "MICROSOFT_CLIENT_SECRET": "secret", "MICROSOFT_TENANT": "organizations"}
    )
    assert "installed allauth.socialaccount.providers.microsoft True" in output
    assert "installed allauth.socialaccount.providers.google False" in output
    # On the sign-in and sign-up pages, as a button...
    assert output.count(">Sign in with Microsoft</a>") == 2
    assert 'href="/accounts/microsoft/login/?process=login"' in output
    assert "Sign in with Google" not in output
    # ...and the provider's own page, in our layout, asks to continue.
    assert '<h1 class="govuk-heading-l">Sign in with Microsoft</h1>' in output


@pytest.mark.django_db
def test_google_sign_in_is_offered_when_configured():
    output = run_with({"GOOGLE_CLIENT_ID": "client-id", "GOOGLE_CLIENT_SECRET": "secret"})
    assert "installed allauth.socialaccount.providers.google True" in output
    assert "installed allauth.socialaccount.providers.microsoft False" in output
    assert ">Sign in with Google</a>" in output
    assert "Sign in with Microsoft" not in output
