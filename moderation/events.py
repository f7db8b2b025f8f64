"""Named events moderation sends for apps above it to hear (STYLE.md, habit 4). Each is
sent after the decision commits; listeners connect in their handlers.py, from
AppConfig.ready. Heard by notifications.handlers, which records the in-site notices
(moderation emails the people concerned itself, moderation/emails.py)."""

from django.dispatch import Signal

# A member reported a post: the community's review queue has a new item. Arguments: flag.
flag_raised = Signal()

# A report was dealt with (dismissed or upheld). Arguments: flag.
flag_resolved = Signal()

# A facilitator approved a held post, which is now published. Arguments: post.
post_approved = Signal()

# A facilitator hid a post; post.moderation_reason says why. Arguments: post.
post_hidden = Signal()

# A member was warned or muted. Arguments: sanction.
sanction_issued = Signal()
