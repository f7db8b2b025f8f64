"""Every event from the apps below that notifications listens to (STYLE.md, habit 4):
the one interface through which communities, forums and moderation tell notifications
what happened. Connected once, in NotificationsConfig.ready. Each receiver hands over
to notifications/events.py, which works out who hears about it."""

from communities import events as community_events
from communities.page_cache import register_page_chrome
from forums import events as forum_events
from moderation import events as moderation_events
from notifications import events
from notifications.highlights import highlights_queue
from notifications.selectors import unread_count


def post_published(sender, *, post, **kwargs) -> None:
    events.post_published(post)


def post_held(sender, *, post, **kwargs) -> None:
    events.review_item_added(post.thread.community)


def users_mentioned(sender, *, post, users, **kwargs) -> None:
    events.user_mentioned(post, users)


def answer_accepted(sender, *, thread, post, **kwargs) -> None:
    events.answer_accepted(thread, post)


def join_requested(sender, *, membership, **kwargs) -> None:
    events.join_request_received(membership)


def join_request_decided(sender, *, membership, approved, reason, **kwargs) -> None:
    events.join_request_decided(membership, approved, reason)


def invitation_sent(sender, *, invitation, **kwargs) -> None:
    events.invitation_sent(invitation)


def flag_raised(sender, *, flag, **kwargs) -> None:
    events.review_item_added(flag.post.thread.community)


def flag_resolved(sender, *, flag, **kwargs) -> None:
    events.flag_resolved(flag)


def post_approved(sender, *, post, **kwargs) -> None:
    events.post_moderated(post, True, "")


def post_hidden(sender, *, post, **kwargs) -> None:
    events.post_hidden(post)


def sanction_issued(sender, *, sanction, **kwargs) -> None:
    events.sanction_issued(sanction)


SUBSCRIPTIONS = [
    (forum_events.post_published, post_published),
    (forum_events.post_held, post_held),
    (forum_events.users_mentioned, users_mentioned),
    (forum_events.answer_accepted, answer_accepted),
    (forum_events.highlights_sent, highlights_queue),
    (community_events.join_requested, join_requested),
    (community_events.join_request_decided, join_request_decided),
    (community_events.invitation_sent, invitation_sent),
    (moderation_events.flag_raised, flag_raised),
    (moderation_events.flag_resolved, flag_resolved),
    (moderation_events.post_approved, post_approved),
    (moderation_events.post_hidden, post_hidden),
    (moderation_events.sanction_issued, sanction_issued),
]


def unread_notifications(request) -> int:
    """The bell's count, for a cached page's key (notifications/context_processors.py)."""
    return unread_count(request.user) if request.user.is_authenticated else 0


def connect() -> None:
    register_page_chrome("UNREAD_NOTIFICATIONS", unread_notifications)
    for signal, receiver in SUBSCRIPTIONS:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
