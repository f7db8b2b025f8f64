"""The Jinja2 environment for the few templates in hot loops (templates/jinja2/): a
thread's posts, a page of search results and a member's home page. Django's engine
stays the default; why, and the names kept alike: docs/architecture.md, "The path of a request"."""

from __future__ import annotations

import datetime

from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import filesizeformat, pluralize
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from jinja2 import Environment

from core.fast_reverse import reverse_args

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date(value: datetime.datetime | datetime.date | None, format_string: str) -> str:
    """Django's `date` filter, in local time as Django's templates show it. The formats
    every post and list shows are written out here: Django's general formatter took a
    fifth of a thread page's rendering."""
    if not isinstance(value, datetime.datetime):
        return django_date(value, format_string)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if format_string == "c":
        return local.isoformat()
    if format_string in ("j M Y", "j M Y, H:i"):
        day = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
        return day if format_string == "j M Y" else f"{day}, {local.hour:02d}:{local.minute:02d}"
    return django_date(local, format_string)


def render_jinja2(template_name: str, context: dict, request=None) -> SafeString:
    """A template of templates/jinja2/ as HTML a Django template may include as it is:
    Jinja2 has escaped everything it was given (the backend turns autoescape on). With
    the request, the template also gets its CSRF token and the Jinja2 backend's context
    processors (settings.TEMPLATES)."""
    return SafeString(render_to_string(template_name, context, request=request, using="jinja2"))


def django_partial(template_name: str, **context) -> SafeString:
    """A Django template partial, for markup kept in one place (outside hot loops)."""
    return SafeString(render_to_string(template_name, context))


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's Jinja2 backend turns autoescape on
    env.globals.update(url=reverse_args, django_partial=django_partial)
    env.filters.update(date=date, pluralize=pluralize, filesizeformat=filesizeformat)
    return env
