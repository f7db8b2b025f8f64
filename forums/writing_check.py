"""The plain-English check shown with a post's preview: core.plain_english's advice,
with the community's own jargon list."""

from __future__ import annotations

from communities.models import Community
from core.plain_english import PlainEnglishReport, check_plain_english
from forums.models import CommunityForumSettings


def community_jargon(community: Community) -> list[str]:
    settings = CommunityForumSettings.objects.filter(community=community).only("jargon_words").first()
    return settings.jargon_list if settings else []


def writing_check(body: str, community: Community) -> PlainEnglishReport:
    """Advice on `body` for a member about to post it in `community`."""
    return check_plain_english(body, community_jargon(community))
