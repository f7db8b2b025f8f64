from django.urls import path

from feeds import views
from feeds.feeds import CommunityFeed, LatestFeed, TagFeed, ThreadFeed

latest_feed, community_feed, tag_feed, thread_feed = LatestFeed(), CommunityFeed(), TagFeed(), ThreadFeed()

# Included before the forum's own URLs: "threads/<id>/feed/" would otherwise read as a slug
# (forums.models.RESERVED_SLUGS keeps "feed" from threads).
urlpatterns = [
    path("latest/feed/", latest_feed, name="feed_latest"),
    path("communities/<slug:slug>/feed/", community_feed, name="feed_community"),
    path("tags/<slug:tag>/feed/", tag_feed, name="feed_tag"),
    path("threads/<int:pk>/feed/", thread_feed, name="feed_thread"),
    path("feeds/<str:key>/latest/", latest_feed, name="personal_feed_latest"),
    path("feeds/<str:key>/communities/<slug:slug>/", community_feed, name="personal_feed_community"),
    path("feeds/<str:key>/tags/<slug:tag>/", tag_feed, name="personal_feed_tag"),
    path("feeds/<str:key>/threads/<int:pk>/", thread_feed, name="personal_feed_thread"),
    path("settings/email/feed-address/", views.feed_address_renew, name="feed_address_renew"),
]
