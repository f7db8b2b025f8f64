from django.urls import path

from communities import views, views_health, views_highlights, views_invitations, views_manage

urlpatterns = [
    path("communities/", views.directory, name="community_directory"),
    path("communities/propose/", views.propose, name="community_propose"),
    path("communities/proposals/", views.proposals, name="community_proposals"),
    path("communities/proposals/<slug:slug>/approve/", views.proposal_approve, name="community_proposal_approve"),
    path("communities/proposals/<slug:slug>/decline/", views.proposal_decline, name="community_proposal_decline"),
    path("communities/invitations/<str:token>/", views_invitations.invitation_detail, name="invitation_detail"),
    path("communities/invitations/<str:token>/accept/", views_invitations.invitation_accept, name="invitation_accept"),
    path("staff/community-health/", views_health.all_health, name="community_health_all"),
    path("staff/community-health.csv", views_health.all_health_csv, name="community_health_csv"),
    path("communities/<slug:slug>/", views.home, name="community_home"),
    path("communities/<slug:slug>/health/", views_health.community_health, name="community_health"),
    path("communities/<slug:slug>/highlights/", views_highlights.highlights_page, name="community_highlights"),
    path("communities/<slug:slug>/highlights/send/", views_highlights.send, name="highlights_send"),
    path("communities/<slug:slug>/highlights/<int:pk>/feature/", views_highlights.feature, name="thread_feature"),
    path(
        "communities/<slug:slug>/highlights/<int:pk>/unfeature/", views_highlights.unfeature, name="thread_unfeature"
    ),
    path("communities/<slug:slug>/announcements/<int:pk>/pin/", views_highlights.pin_until, name="announcement_pin"),
    path("communities/<slug:slug>/announcements/<int:pk>/unpin/", views_highlights.unpin, name="announcement_unpin"),
    path("communities/<slug:slug>/join/", views.join, name="community_join"),
    path("communities/<slug:slug>/leave/", views.leave, name="community_leave"),
    path("communities/<slug:slug>/members/", views_manage.members, name="community_members"),
    path("communities/<slug:slug>/members/<int:pk>/role/", views_manage.change_role, name="membership_change_role"),
    path("communities/<slug:slug>/members/<int:pk>/remove/", views_manage.remove, name="membership_remove"),
    path("communities/<slug:slug>/members/<int:pk>/ban/", views_manage.ban, name="membership_ban"),
    path("communities/<slug:slug>/requests/", views_manage.requests, name="community_requests"),
    path("communities/<slug:slug>/requests/<int:pk>/approve/", views_manage.request_approve, name="request_approve"),
    path("communities/<slug:slug>/requests/<int:pk>/decline/", views_manage.request_decline, name="request_decline"),
    path("communities/<slug:slug>/invite/", views_invitations.invite, name="community_invite"),
    path("communities/<slug:slug>/invite/send/", views_invitations.invite_send, name="community_invite_send"),
    path("communities/<slug:slug>/invite/change/", views_invitations.invite_change, name="community_invite_change"),
    path(
        "communities/<slug:slug>/invitations/<int:pk>/revoke/",
        views_invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "communities/<slug:slug>/invitations/<int:pk>/resend/",
        views_invitations.invitation_resend,
        name="invitation_resend",
    ),
]
