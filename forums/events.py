"""Named events the forums send for apps above them to hear (STYLE.md, habit 4).
Listeners connect in their AppConfig.ready, in their handlers.py."""

from django.dispatch import Signal

# A facilitator sent their community's featured threads to its members, after the
# transaction commits. Arguments: community, actor, thread_ids (featured, in order).
# Heard by notifications.handlers, which emails the highlights and heads the next
# digests with them.
highlights_sent = Signal()
