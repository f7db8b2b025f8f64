"""The personal feed addresses section of the email settings page, as a tag, so that
page's view and template need only one line to show it."""

from django import template
from django.urls import reverse

from communities.models import Community, Membership
from feeds.services import live_feed_token

register = template.Library()


@register.inclusion_tag("feeds/_email_settings_feeds.html", takes_context=True)
def personal_feeds(context) -> dict:
    request = context["request"]
    token = live_feed_token(request.user)
    addresses = []
    if token is not None:
        latest = request.build_absolute_uri(reverse("personal_feed_latest", args=[token.key]))
        addresses = [("Everything you can read", latest), ("Your communities", f"{latest}?communities=mine")]
        communities = Community.objects.filter(
            memberships__user=request.user, memberships__status=Membership.Status.ACTIVE
        ).only("name", "slug")
        for community in communities.order_by("name"):
            url = reverse("personal_feed_community", args=[token.key, community.slug])
            addresses.append((community.name, request.build_absolute_uri(url)))
    return {"token": token, "addresses": addresses, "csrf_token": context.get("csrf_token")}
