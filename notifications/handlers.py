"""Every event from the apps below that notifications listens to (STYLE.md, habit 4).
Connected once, in NotificationsConfig.ready."""

from forums.events import highlights_sent
from notifications.highlights import highlights_queue


def connect() -> None:
    highlights_sent.connect(highlights_queue, dispatch_uid="notifications.highlights_queue")
