from django.utils.functional import SimpleLazyObject


def unread_notifications(request) -> dict:
    """The bell's unread count: one query, and only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"UNREAD_NOTIFICATIONS": 0}

    def count() -> int:
        from notifications.selectors import unread_count

        return unread_count(user)

    return {"UNREAD_NOTIFICATIONS": SimpleLazyObject(count)}
