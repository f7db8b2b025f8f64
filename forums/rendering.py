"""Post bodies to stored HTML: Markdown through core.markdown, then @mentions turned
into profile links. Every path that writes post HTML (post, reply, edit, preview,
quote) comes through `render_post_body`."""

from __future__ import annotations

import re

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from core.markdown import render_markdown, sanitise_html
from members.selectors import listed_members

# @username not preceded by a word character (so e-mail addresses are left alone).
MENTION = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_][A-Za-z0-9_.+-]{0,149})")
MAX_MENTIONS = 20
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# Inside these, an @name stays plain text.
NO_LINK_TAGS = {"a", "code", "pre"}


def _profile_url(username: str) -> str | None:
    try:
        return reverse("member_profile", kwargs={"username": username})
    except NoReverseMatch:
        return None


def _outside_links_and_code(html: str, replace) -> str:
    """Apply `replace` to the text of `html` that is not inside a link or code."""
    depth = dict.fromkeys(NO_LINK_TAGS, 0)
    parts = []
    for part in TAG_OR_TEXT.split(html):
        tag = re.match(r"<(/?)([a-z0-9]+)", part)
        if tag and tag.group(2) in depth:
            depth[tag.group(2)] += -1 if tag.group(1) else 1
        elif not part.startswith("<") and not any(depth.values()):
            part = replace(part)
        parts.append(part)
    return "".join(parts)


def _mentioned_names(html: str) -> list[str]:
    names: list[str] = []

    def collect(text: str) -> str:
        for match in MENTION.finditer(text):
            name = match.group(1).rstrip(".")
            if name and name not in names:
                names.append(name)
        return text

    _outside_links_and_code(html, collect)
    return names[:MAX_MENTIONS]


def _link_mentions(html: str, users: dict) -> str:
    """Wrap @name with a profile link. The link is built from escaped parts, and the
    caller sanitises the result again."""

    def link(match: re.Match) -> str:
        name = match.group(1).rstrip(".")
        user = users.get(name.lower())
        url = _profile_url(user.username) if user else None
        if url is None:
            return match.group(0)
        trailing = match.group(1)[len(name) :]
        return f'<a href="{escape(url)}">@{escape(user.username)}</a>{escape(trailing)}'

    return _outside_links_and_code(html, lambda text: MENTION.sub(link, text))


def render_post(body: str) -> tuple[str, list]:
    """Safe HTML for a post body with @mentions linked, and the members it mentions."""
    html = render_markdown(body)
    names = _mentioned_names(html)
    if not names:
        return html, []
    lowered = {name.lower() for name in names}
    # Only members listed in the directory: a pending, rejected, suspended or erased
    # account is neither linked (which would confirm it exists) nor notified.
    users = [
        user for user in listed_members().filter(username__in=[*names, *lowered]) if user.username.lower() in lowered
    ]
    if not users:
        return html, []
    return sanitise_html(_link_mentions(html, {user.username.lower(): user for user in users})), users


def render_post_body(body: str) -> str:
    """Safe HTML for a post body (previews use this: the same path as saving)."""
    return render_post(body)[0]


def quote_markdown(post) -> str:
    """Markdown that quotes `post`, naming its author and linking back to it."""
    author = post.author.name if post.author else "A former member"
    author = re.sub(r"([\\`*_{}\[\]()#+!<>|~-])", r"\\\1", author)
    lines = [f"> **{author}** [wrote]({post.get_absolute_url()}):", ">"]
    lines += [f"> {line}" if line.strip() else ">" for line in post.body.splitlines()]
    return "\n".join(lines) + "\n\n"
