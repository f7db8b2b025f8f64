from django import template
from django.utils.html import format_html

from core import once

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    """`{% form_token %}` inside a form that creates something: its one-time token
    (core.once). A page being kept whole gets the placeholder (context "form_token")."""
    value = context.get("form_token") or once.issue(context["request"])
    return format_html(once.INPUT, value)
