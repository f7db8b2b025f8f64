from django.urls import path

from notifications import views, views_archive, views_chain

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("settings/email/", views.email_settings, name="email_settings"),
    path("settings/email/threads/<int:thread_id>/unwatch/", views.thread_unwatch, name="email_thread_unwatch"),
    path("settings/email/reply-addresses/revoke/", views.reply_addresses_revoke, name="reply_addresses_revoke"),
    path("settings/email/turned-off/<int:pk>/undo/", views.email_opt_out_undo, name="email_opt_out_undo"),
    path("settings/email/stop/", views.email_stop_all, name="email_stop_all"),
    path("settings/email/start/", views.email_start_again, name="email_start_again"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="email_unsubscribe"),
    path("email/confirm/<str:token>/", views.held_email_confirm, name="email_held_confirm"),
    path("email/inbound/<slug:provider>/", views.inbound_webhook, name="email_inbound"),
    path("communities/<slug:slug>/import/", views_archive.archive_import_list, name="archive_import_list"),
    path(
        "communities/<slug:slug>/import/<int:pk>/", views_archive.archive_import_detail, name="archive_import_detail"
    ),
    path(
        "communities/<slug:slug>/import/<int:pk>/publish/",
        views_archive.archive_import_publish,
        name="archive_import_publish",
    ),
    path(
        "communities/<slug:slug>/import/<int:pk>/resume/",
        views_archive.archive_import_resume,
        name="archive_import_resume",
    ),
    path(
        "communities/<slug:slug>/import/<int:pk>/remove/",
        views_archive.archive_import_remove,
        name="archive_import_remove",
    ),
    path("communities/<slug:slug>/from-email/", views_chain.chain_start, name="chain_start"),
    path("communities/<slug:slug>/from-email/<int:pk>/", views_chain.chain_detail, name="chain_detail"),
    path("communities/<slug:slug>/from-email/<int:pk>/publish/", views_chain.chain_publish, name="chain_publish"),
    path("communities/<slug:slug>/from-email/<int:pk>/remove/", views_chain.chain_remove, name="chain_remove"),
]
