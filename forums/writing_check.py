"""The plain-English check shown with a post's preview, and live as the author types
(forums/writing_check_views.py): core.plain_english's advice, with the community's own
jargon list."""

from __future__ import annotations

from django import forms

from communities.models import Community
from communities.permissions import can_moderate, can_post_in
from core.plain_english import PlainEnglishReport, check_plain_english
from forums.forms import body_field
from forums.models import CommunityForumSettings


def community_jargon(community: Community) -> list[str]:
    settings = CommunityForumSettings.objects.filter(community=community).only("jargon_words").first()
    return settings.jargon_list if settings else []


def writing_check(body: str, community: Community) -> PlainEnglishReport:
    """Advice on `body` for a member about to post it in `community`."""
    return check_plain_english(body, community_jargon(community))


def may_check_writing(user, community: Community) -> bool:
    """Whoever may write in `community`: members posting, facilitators editing."""
    return can_post_in(user, community) or can_moderate(user, community)


class WritingCheckForm(forms.Form):
    """The text typed so far: the same length limit as posting, and blank is allowed
    (an emptied box clears the advice)."""

    body = body_field("Message")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False
        self.fields["body"].strip = False
