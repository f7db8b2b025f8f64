from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    """The bell's unread count, worked out only when a page shows it (no query while
    the member's tally says nothing is unread: notifications.selectors.unread_count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"UNREAD_NOTIFICATIONS": 0}

    return {"UNREAD_NOTIFICATIONS": SimpleLazyObject(lambda: unread_count(user))}
