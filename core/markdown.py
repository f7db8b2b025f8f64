"""Markdown in, safe HTML out: the one sanitising path for everything members write.

Python-Markdown is not a sanitiser, so its output always goes through bleach with
an allow-list. `sanitise_html` is idempotent: cleaning its own output changes nothing.
"""

import re
from functools import partial

import bleach
import markdown as markdown_lib
from bleach.linkifier import LinkifyFilter
from django.conf import settings

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
            # Only our own uploads or https images: no http, data: or javascript: sources.
            return value.startswith("https://") or value.startswith(settings.MEDIA_URL)
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


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags=["pre", "code"], parse_email=False)],
)


def sanitise_html(html: str) -> str:
    """Clean HTML against the allow-list; links get rel="nofollow ugc noopener"."""
    return _cleaner.clean(html)


def render_markdown(source: str) -> str:
    """Render member-written Markdown to safe HTML, ready to store beside the source."""
    html = markdown_lib.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    html = HEADING_TAG.sub(lambda m: f"<{m.group(1)}{HEADING_SHIFT[m.group(2)]}{m.group(3)}", html)
    return sanitise_html(html)
