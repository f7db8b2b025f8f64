"""Markdown in, safe HTML out: the one sanitising path for everything members write.
Python-Markdown's output always goes through bleach's allow-list (`sanitise_html` is
idempotent). Images come only from our uploads or hosts site admins allow (a remote
host could log who reads a private thread and when); any other becomes a link."""

import re
from collections.abc import Callable, Iterable
from functools import cache, partial
from urllib.parse import unquote, urlsplit

import bleach
import markdown as markdown_lib
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from django.conf import settings

from core.models import allowed_image_hosts

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "del", "sup", "sub", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Member content sits under page headings, so its headings start at h3.
HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6"}
HEADING_TAG = re.compile(r"<(/?)(h[1-5])(\s|>)")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title", "rel"}
    if tag == "img":
        if name == "src":
            # Web addresses or our own uploads, no data: or javascript: sources; remote
            # ones are made links after this (RemoteImagesAsLinks).
            return value.startswith(("https://", "http://")) or _own_upload(value)
        return name in {"alt", "title"}
    if tag in {"th", "td"}:
        return name == "align" and value in {"left", "right", "center"}
    if tag == "code":
        return name == "class" and re.fullmatch(r"language-[\w+-]{1,30}", value) is not None
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _own_upload(src: str) -> bool:
    """An address under MEDIA_URL (as written in Markdown, or made absolute for email)."""
    own = (settings.MEDIA_URL, settings.SITE_URL + settings.MEDIA_URL)
    # Browsers resolve "..", "%2e%2e" and backslashes, which could climb out of it.
    decoded = unquote(src)
    return src.startswith(own) and ".." not in decoded and "\\" not in decoded


class RemoteImagesAsLinks(Filter):
    """After sanitising: an image from anywhere but our uploads or an allowed host
    becomes a link to it (inside a link, just its words), named by its alt text."""

    def __init__(self, source, image_allowed: Callable[[str], bool]):
        super().__init__(source)
        self.image_allowed = image_allowed

    def __iter__(self):
        open_links = 0
        for token in super().__iter__():
            if token.get("name") == "a" and token["type"] in {"StartTag", "EndTag"}:
                open_links += 1 if token["type"] == "StartTag" else -1
            if token.get("name") != "img" or token["type"] not in {"StartTag", "EmptyTag"}:
                yield token
                continue
            src = token["data"].get((None, "src"), "")
            if self.image_allowed(src):
                yield token
                continue
            words = " ".join(token["data"].get((None, "alt"), "").split()) or src or "Image"
            if open_links or not src:
                yield {"type": "Characters", "data": words}
                continue
            namespace = token.get("namespace")
            yield {"type": "StartTag", "name": "a", "namespace": namespace, "data": {(None, "href"): src}}
            yield {"type": "Characters", "data": words}
            yield {"type": "EndTag", "name": "a", "namespace": namespace}


def _image_rule(image_hosts: Iterable[str] | None) -> Callable[[str], bool]:
    """Whether an image's src may stay an image: our uploads, or https from an allowed
    host (the admins' list, read only when a remote image asks, once a call)."""
    hosts = cache(allowed_image_hosts) if image_hosts is None else (lambda: frozenset(image_hosts))

    def allowed(src: str) -> bool:
        if _own_upload(src):
            return True
        parts = urlsplit(src)
        return parts.scheme == "https" and (parts.hostname or "") in hosts()

    return allowed


def sanitise_html(html: str, *, image_hosts: Iterable[str] | None = None) -> str:
    """Clean HTML against the allow-list; links get rel="nofollow ugc noopener"; remote
    images not from `image_hosts` (by default, the hosts site admins allow) become links."""
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(RemoteImagesAsLinks, image_allowed=_image_rule(image_hosts)),
            partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags=["pre", "code"], parse_email=False),
        ],
    )
    return cleaner.clean(html)


def render_markdown(source: str) -> str:
    """Render member-written Markdown to safe HTML, ready to store beside the source."""
    html = markdown_lib.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    html = HEADING_TAG.sub(lambda m: f"<{m.group(1)}{HEADING_SHIFT[m.group(2)]}{m.group(3)}", html)
    return sanitise_html(html)
