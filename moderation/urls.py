from django.urls import path

from moderation import views, views_actions, views_announcements, views_elections, views_threads

urlpatterns = [
    path("posts/<int:pk>/report/", views.post_report, name="post_report"),
    path(
        "communities/<slug:slug>/announcements/<int:pk>/pin/", views_announcements.pin_until, name="announcement_pin"
    ),
    path(
        "communities/<slug:slug>/announcements/<int:pk>/unpin/", views_announcements.unpin, name="announcement_unpin"
    ),
    path("review/", views.site_review, name="site_review"),
    path("review/mine/", views.my_moderated_posts, name="my_moderated_posts"),
    path("review/log/", views.site_log, name="site_log"),
    path("review/log.csv", views.site_log_csv, name="site_log_csv"),
    path("review/posts/<int:pk>/approve/", views.post_approve, name="post_approve"),
    path("review/posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("review/posts/<int:pk>/restore/", views.post_restore, name="post_restore"),
    path("review/posts/<int:pk>/hide-and-ban/", views.post_hide_and_ban, name="post_hide_and_ban"),
    path("review/posts/<int:pk>/split/", views_threads.post_split, name="post_split"),
    path("review/pre-election/", views_elections.site_periods, name="site_periods"),
    path("review/pre-election/new/", views_elections.site_period_new, name="site_period_new"),
    path("review/pre-election/held/", views_elections.site_review_pre_election, name="site_review_pre_election"),
    path("review/pre-election/<int:pk>/cancel/", views_elections.period_cancel, name="period_cancel"),
    path("communities/<slug:slug>/pre-election/", views_elections.community_periods, name="community_periods"),
    path(
        "communities/<slug:slug>/pre-election/new/",
        views_elections.community_period_new,
        name="community_period_new",
    ),
    path(
        "communities/<slug:slug>/review/pre-election/",
        views_elections.community_review_pre_election,
        name="community_review_pre_election",
    ),
    path("review/flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("review/sanctions/<int:pk>/lift/", views_actions.sanction_lift, name="sanction_lift"),
    path("communities/<slug:slug>/review/", views.community_review, name="community_review"),
    path("communities/<slug:slug>/review/settings/", views.moderation_settings, name="moderation_settings"),
    path("communities/<slug:slug>/log/", views.community_log, name="community_log"),
    path("communities/<slug:slug>/log.csv", views.community_log_csv, name="community_log_csv"),
    path("communities/<slug:slug>/moderate/<str:username>/", views_actions.member_moderate, name="member_moderate"),
    path("communities/<slug:slug>/moderate/<str:username>/warn/", views_actions.member_warn, name="member_warn"),
    path("communities/<slug:slug>/moderate/<str:username>/mute/", views_actions.member_mute, name="member_mute"),
    path(
        "communities/<slug:slug>/moderate/<str:username>/premoderate/",
        views_actions.member_premoderate,
        name="member_premoderate",
    ),
    path("communities/<slug:slug>/moderate/<str:username>/ban/", views_actions.member_ban, name="member_ban"),
    path("communities/<slug:slug>/moderate/<str:username>/suspend/", views_actions.user_suspend, name="user_suspend"),
    path(
        "communities/<slug:slug>/moderate/<str:username>/reinstate/",
        views_actions.user_reinstate,
        name="user_reinstate",
    ),
    # Pin and lock keep the addresses they had under /threads/ (commsnet/urls.py lists
    # moderation before forums for them).
    path("threads/<int:pk>/pin/", views_threads.thread_pin_view, name="thread_pin"),
    path("threads/<int:pk>/unpin/", views_threads.thread_unpin_view, name="thread_unpin"),
    path("threads/<int:pk>/lock/", views_threads.thread_lock_view, name="thread_lock"),
    path("threads/<int:pk>/unlock/", views_threads.thread_unlock_view, name="thread_unlock"),
    path("review/threads/<int:pk>/", views_threads.thread_moderate, name="thread_moderate"),
    path("review/threads/<int:pk>/rename/", views_threads.thread_rename, name="thread_rename"),
    path("review/threads/<int:pk>/move/", views_threads.thread_move, name="thread_move"),
    path("review/threads/<int:pk>/hide/", views_threads.thread_hide, name="thread_hide"),
    path("review/threads/<int:pk>/restore/", views_threads.thread_restore, name="thread_restore"),
    path("review/threads/<int:pk>/merge/", views_threads.thread_merge, name="thread_merge"),
]
