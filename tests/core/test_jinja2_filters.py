"""The Jinja2 environment's fast `date` filter gives what Django's `date` filter gives."""

import datetime

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from core.jinja2 import date

# A winter and a summer moment: the site's time zone moves by an hour between them.
MOMENTS = [
    datetime.datetime(2026, 1, 5, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 7, 31, 23, 30, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("format_string", ["c", "j M Y, H:i", "j M Y"])
def test_fast_date_formats_match_djangos_in_the_sites_time_zone(moment, format_string):
    assert date(moment, format_string) == django_date(timezone.localtime(moment), format_string)


def test_other_formats_fall_back_to_djangos_filter():
    moment = MOMENTS[1]
    assert date(moment, "l j F") == django_date(timezone.localtime(moment), "l j F")
