from django.urls import path

from communities import (
    views,
    views_invitations,
    views_manage,
    views_members,
    views_settings,
)

urlpatterns = [
    path("communities/propose/", views.propose, name="community_propose"),
    path("communities/proposals/", views.proposals, name="community_proposals"),
    path("communities/proposals/<slug:slug>/approve/", views.proposal_approve, name="community_proposal_approve"),
    path("communities/proposals/<slug:slug>/decline/", views.proposal_decline, name="community_proposal_decline"),
    path("communities/invitations/<str:token>/", views_invitations.invitation_detail, name="invitation_detail"),
    path("communities/invitations/<str:token>/accept/", views_invitations.invitation_accept, name="invitation_accept"),
    path("communities/<slug:slug>/join/", views.join, name="community_join"),
    path("communities/<slug:slug>/leave/", views.leave, name="community_leave"),
    path("communities/<slug:slug>/members/", views_members.members, name="community_members"),
    path("communities/<slug:slug>/members.csv", views_members.members_csv, name="community_members_csv"),
    path("communities/<slug:slug>/settings/", views_settings.settings_page, name="community_settings"),
    path("communities/<slug:slug>/settings/access/", views_settings.access, name="community_access"),
    path(
        "communities/<slug:slug>/settings/access/confirm/",
        views_settings.access_confirm,
        name="community_access_confirm",
    ),
    path("communities/<slug:slug>/settings/archive/", views_settings.archive, name="community_archive"),
    path("communities/<slug:slug>/settings/unarchive/", views_settings.unarchive, name="community_unarchive"),
    path("communities/<slug:slug>/welcome/", views_settings.welcome, name="community_welcome"),
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
