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
