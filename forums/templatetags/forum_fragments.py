from django import template

from forums import fragments

register = template.Library()


@register.filter
def thread_row_key(thread) -> tuple:
    return fragments.thread_row_key(thread)


@register.filter
def post_key(post) -> tuple:
    return fragments.post_key(post)
