"""Factories and helpers for moderation's own models."""

import factory

from moderation.models import CommunityModerationSettings, Flag, MemberSanction


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    post = None
    community = factory.LazyAttribute(lambda flag: flag.post.thread.community)
    reporter = None
    reason = Flag.Reason.OFF_TOPIC


class SanctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberSanction

    kind = MemberSanction.Kind.WARNING
    message = "Please keep to the topic."


def moderation_settings(community, *, hold_first_posts=1, premoderate_all=False):
    return CommunityModerationSettings.objects.update_or_create(
        community=community, defaults={"hold_first_posts": hold_first_posts, "premoderate_all": premoderate_all}
    )[0]
