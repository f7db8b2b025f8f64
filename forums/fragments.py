"""Keys for cached post fragments ({% cache ... using="fragments" %} in _post.html).

A key holds every value its fragment shows, so any change (a new reply, an edited
title, a renamed author, a hidden post) gives a new key and the old fragment is
simply never asked for again. Fragments leave out anything tied to a session, such
as CSRF tokens. Each key function sits beside the template it serves: change both
together.
"""

from __future__ import annotations


def _person(person) -> tuple | None:
    if person is None:
        return None
    return (person.pk, person.name, person.username, person.is_erased, person.is_approved)


def post_key(post) -> tuple:
    """What templates/forums/_post.html shows of one post above its actions (the
    template adds how it is laid out and what the viewer may see of profiles)."""
    parent_author = post.parent.author if post.show_replying_to else None
    return (
        post.pk,
        post.status,
        post.moderation_reason,
        post.is_opening,
        post.depth,
        post.display_depth,
        post.is_accepted,
        post.show_replying_to,
        post.parent_id,
        _person(parent_author),
        _person(post.author),
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else None,
        post.can_see_revisions,
        post.helpful_count,
        post.body_html,
        tuple((file.pk, file.filename, file.size, file.get_absolute_url()) for file in post.attachments.all()),
    )
