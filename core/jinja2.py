"""The Jinja2 environment for the few templates in hot loops (templates/jinja2/, settings.TEMPLATES).

Django's template engine stays the default; Jinja2 renders a list of twenty search
results about eight times faster (0.3 ms against 2.7 ms on the scale data), because
it compiles templates to Python. Anything else a Jinja2 template needs is added here,
named as in Django's templates.
"""

from __future__ import annotations

import datetime

from django.template.defaultfilters import date as django_date
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from jinja2 import Environment


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's Jinja2 backend turns autoescape on
    env.filters["date"] = date
    env.globals["django_partial"] = django_partial
    return env


def date(value: datetime.datetime | datetime.date | None, format_string: str) -> str:
    """Django's `date` filter, in local time as Django's templates show it."""
    return django_date(template_localtime(value), format_string)


def django_partial(template_name: str, **context) -> SafeString:
    """A Django template partial, for markup kept in one place (outside hot loops)."""
    return SafeString(render_to_string(template_name, context))
