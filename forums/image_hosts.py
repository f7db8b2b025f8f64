"""When site admins allow an image host, or stop allowing one, what members wrote
that names it is rendered again, so stored HTML follows the list at once (a host no
longer trusted must stop receiving readers' browsers). Forums sits above communities
and members, so it can render all the stored HTML there is."""

from django.db.models import Q

from communities.models import Community
from core.markdown import render_markdown
from forums.models import Post
from forums.rendering import render_post
from members.models import User


def rerender_naming(host: str) -> int:
    """Render again each post, community text and profile whose Markdown names `host`;
    how many were."""
    count = 0
    for pk, body in Post.objects.filter(body__icontains=host).values_list("pk", "body").iterator(chunk_size=500):
        Post.objects.filter(pk=pk).update(body_html=render_post(body)[0])
        count += 1
    for community in Community.objects.filter(Q(description__icontains=host) | Q(guidelines__icontains=host)):
        community.description_html = render_markdown(community.description)
        community.guidelines_html = render_markdown(community.guidelines)
        community.save(update_fields=["description_html", "guidelines_html"])
        count += 1
    for member in User.objects.filter(bio__icontains=host):
        member.bio_html = render_markdown(member.bio) if member.bio.strip() else ""
        member.save(update_fields=["bio_html"])
        count += 1
    return count
