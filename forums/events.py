"""Named events the forums send for apps above them to hear (STYLE.md, habit 4).
Listeners connect in their AppConfig.ready, in their handlers.py. Every event here is
sent after the transaction that caused it commits (by forums/services.py, highlights.py,
and moderation/services.py on approving a held opening post), so a listener's failure
never undoes the post."""

from django.dispatch import Signal

# A post became visible to readers (posted unheld, or approved). Arguments: post.
# Heard by notifications.handlers: replies, watchers' and every-post email, announcements.
post_published = Signal()

# A new post is held for a facilitator (pre-moderation). Arguments: post.
# Heard by moderation.handlers (a pre-election hold emails its author why) and
# notifications.handlers (the community's facilitators see a new review item).
post_held = Signal()

# Members were newly @mentioned in a visible post. Arguments: post, users.
# Heard by notifications.handlers.
users_mentioned = Signal()

# A reply became the accepted answer of its thread. Arguments: thread, post.
# Heard by notifications.handlers, which tells the reply's author.
answer_accepted = Signal()

# A facilitator sent their community's featured threads to its members, after the
# transaction commits. Arguments: community, actor, thread_ids (featured, in order).
# Heard by notifications.handlers, which emails the highlights and heads the next
# digests with them.
highlights_sent = Signal()
