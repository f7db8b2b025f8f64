from django import template

from forums import fragments

register = template.Library()


@register.filter
def post_key(post) -> tuple:
    return fragments.post_key(post)
