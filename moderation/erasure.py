"""The moderation log when a member is erased: every entry stays, with the person
replaced by "deleted member" (the privacy notice says so). The log is append-only
(migrations/0002); migrations/0005 lets exactly this rewrite through, only inside an
erasure's own transaction and only in the words, never who, what, where or when."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q

from forums.models import Post
from members.erasers import identity_of, scrub
from moderation.models import ModerationAction

DELETED_MEMBER = "deleted member"
TEXT_FIELDS = ["actor_name", "target_text", "from_state", "to_state", "reason"]


def _changed(entry: dict, member, identity) -> dict:
    """The entry's words with the member taken out. Entries about the member or their
    posts lose their username and names; any entry loses their "Name (username)",
    addresses and full names (Identity.distinctive)."""
    own = entry["actor_id"] == member.pk or (
        entry["target_type"] == ModerationAction.TargetType.USER and entry["target_id"] == member.pk
    )
    distinctive = identity.distinctive
    words = [*distinctive, *identity.names, identity.username] if own or entry["about_their_post"] else distinctive
    new = {name: scrub(entry[name], words, DELETED_MEMBER) for name in TEXT_FIELDS}
    if entry["actor_id"] == member.pk:
        new["actor_name"] = DELETED_MEMBER
    if entry["target_type"] == ModerationAction.TargetType.USER and entry["target_id"] == member.pk:
        new["target_text"] = DELETED_MEMBER
    for name in TEXT_FIELDS:
        new[name] = new[name][: ModerationAction._meta.get_field(name).max_length]
    return {name: value for name, value in new.items() if value != entry[name]}


@transaction.atomic
def log_forget_member(member) -> None:
    identity = identity_of(member)
    if identity is None:
        return
    their_posts = set(Post.objects.filter(author=member).values_list("pk", flat=True))
    mentions = Q()
    for word in identity.distinctive:
        for name in TEXT_FIELDS:
            mentions |= Q(**{f"{name}__icontains": word})
    entries = ModerationAction.objects.filter(
        Q(actor=member)
        | Q(target_type=ModerationAction.TargetType.USER, target_id=member.pk)
        | Q(target_type=ModerationAction.TargetType.POST, target_id__in=their_posts)
        | mentions
    ).values("pk", "actor_id", "target_type", "target_id", *TEXT_FIELDS)
    table = ModerationAction._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('commsnet.erasing_member', 'on', true)")
        for entry in entries:
            entry["about_their_post"] = (
                entry["target_type"] == ModerationAction.TargetType.POST and entry["target_id"] in their_posts
            )
            changed = _changed(entry, member, identity)
            if changed:
                columns = ", ".join(f"{name} = %s" for name in changed)
                cursor.execute(
                    f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 - the model's own column names
                    [*changed.values(), entry["pk"]],
                )
        cursor.execute("SELECT set_config('commsnet.erasing_member', 'off', true)")
