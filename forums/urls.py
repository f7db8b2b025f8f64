from django.urls import path

from forums import home_views, latest_views, post_views, short_answer_views, thread_views, views, writing_check_views

urlpatterns = [
    path("", home_views.site_home, name="home"),
    path("announcements/<int:pk>/dismiss/", home_views.announcement_dismiss, name="announcement_dismiss"),
    path("latest/", latest_views.latest, name="latest"),
    path("communities/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path(
        "communities/<slug:slug>/writing-check/",
        writing_check_views.writing_check_fragment,
        name="writing_check",
    ),
    path("communities/<slug:slug>/tags/", thread_views.forum_settings, name="forum_settings"),
    path("threads/<int:pk>/", views.thread_redirect, name="thread_redirect"),
    path("threads/<int:pk>/unread/", views.thread_first_unread, name="thread_first_unread"),
    path("threads/<int:pk>/subscription/", thread_views.thread_subscription, name="thread_subscription"),
    path("threads/<int:pk>/answer/clear/", post_views.answer_clear_view, name="answer_clear"),
    path("threads/<int:pk>/short-answer/", short_answer_views.short_answer_edit, name="short_answer_edit"),
    path(
        "threads/<int:pk>/short-answer/confirm/",
        short_answer_views.short_answer_confirm_view,
        name="short_answer_confirm",
    ),
    path(
        "threads/<int:pk>/short-answer/remove/",
        short_answer_views.short_answer_remove_view,
        name="short_answer_remove",
    ),
    path("threads/<int:pk>/<slug:slug>/", views.thread_detail, name="thread_detail"),
    path("posts/<int:pk>/", views.post_redirect, name="post_redirect"),
    path("posts/<int:pk>/reply/", post_views.post_reply_view, name="post_reply"),
    path("posts/<int:pk>/edit/", post_views.post_edit_view, name="post_edit"),
    path("posts/<int:pk>/delete/", post_views.post_delete_view, name="post_delete"),
    path("posts/<int:pk>/revisions/", post_views.post_revisions, name="post_revisions"),
    path("posts/<int:pk>/accept/", post_views.post_accept, name="post_accept"),
    path("posts/<int:pk>/helpful/", post_views.post_helpful, name="post_helpful"),
    path("posts/<int:pk>/helpful/undo/", post_views.post_unhelpful, name="post_unhelpful"),
    path("attachments/<int:pk>/<str:filename>", post_views.attachment_download, name="attachment_download"),
    path("tags/<slug:tag>/", views.tag_threads, name="tag_threads"),
    path("tags/<slug:tag>/follow/", home_views.tag_follow, name="tag_follow"),
    path("tags/<slug:tag>/unfollow/", home_views.tag_unfollow, name="tag_unfollow"),
]
