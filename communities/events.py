"""Named events that communities sends for higher apps to hear (STYLE.md rule 4).

Each is a Django signal sent inside the transaction that made the change, so a
listener's writes commit or roll back with it. Listeners connect in their app's
handlers.py, from AppConfig.ready."""

from django.dispatch import Signal

# A community's settings changed (one send per setting), or it was archived or
# unarchived. sender=Community; keyword arguments: community, actor, change
# ("setting", "archive" or "unarchive"), what (the setting's label), before, after
# (the values as people read them).
# Heard by moderation.handlers, which writes it to the moderation log.
community_changed = Signal()

# Someone asked to join a community that approves requests, after commit.
# Arguments: membership (pending). Heard by notifications.handlers (facilitators' notice).
join_requested = Signal()

# A facilitator approved or declined a join request, after commit. Arguments: membership
# (unsaved when declined: the request is deleted), approved, reason.
# Heard by notifications.handlers (the person's notice; communities emails them itself).
join_request_decided = Signal()

# Someone with an account was invited to a community, after commit. Arguments: invitation.
# Heard by notifications.handlers (their notice; communities emails the link itself).
invitation_sent = Signal()
