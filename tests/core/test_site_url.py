"""Where links in emails point, and what the site calls itself in them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def site_url(env: dict) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_without_site_url_emails_link_to_the_port_make_run_serves_on():
    assert site_url({"PORT": "8001"}) == "http://127.0.0.1:8001"
    assert site_url({}) == "http://127.0.0.1:8000"


def test_site_url_wins_over_the_port():
    assert site_url({"PORT": "8001", "SITE_URL": "https://commsnet.example.gov.uk/"}) == (
        "https://commsnet.example.gov.uk"
    )


@pytest.mark.django_db
def test_the_demo_names_the_site_for_allauths_emails(settings):
    settings.SITE_URL = "http://127.0.0.1:8001"
    call_command("seed_demo", stdout=None)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == ("CommsNet", "127.0.0.1:8001")
