"""The Jinja2 environment for the few hot templates (a thread's posts), where Django's
template engine spent most of a page's time on a loop of includes.

Names follow Django's templates so the two read alike: `url(name, *args)`, and the
filters `date` (in the site's time zone, as Django's), `pluralize` and
`filesizeformat`. Only templates under templates/jinja2/ use it, by name
(`engines["jinja2"]`), so no Django template is ever looked up here by mistake.
"""

from __future__ import annotations

from functools import cache

from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from jinja2 import Environment

# Stands for an object's id while a URL pattern is reversed once (it fits any <int:pk>).
_ID_MARK = 987654321987


@cache
def _url_parts(name: str, prefix: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_ID_MARK]).partition(str(_ID_MARK))
    return before, after


def url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a pattern that takes one id: reversed once per
    pattern, as a thread page asks for about a hundred such links."""
    before, after = _url_parts(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


def date(value, format_string: str) -> str:
    """Django's `date` filter: the moment in the site's time zone, in Django's format."""
    if value is None:
        return ""
    return dateformat.format(timezone.localtime(value), format_string)


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - the Django backend turns autoescape on
    env.globals["url"] = url
    env.filters.update(date=date, pluralize=pluralize, filesizeformat=filesizeformat)
    return env
