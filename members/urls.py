from django.urls import path

from members import staff_views, views

urlpatterns = [
    path("members/", views.member_directory, name="member_directory"),
    path("members/<str:username>/", views.member_profile, name="member_profile"),
    path("settings/profile/", views.profile_settings, name="profile_settings"),
    path("settings/profile/edit/", views.profile_edit, name="profile_edit"),
    path("settings/data/", views.data_settings, name="data_settings"),
    path("settings/data/download/", views.data_download, name="data_download"),
    path("settings/data/delete/", views.account_delete, name="account_delete"),
    path("account-deleted/", views.account_deleted, name="account_deleted"),
    path("staff/approvals/", staff_views.staff_approvals, name="staff_approvals"),
    path("staff/approvals/<int:pk>/approve/", staff_views.staff_approve, name="staff_approve"),
    path("staff/approvals/<int:pk>/reject/", staff_views.staff_reject, name="staff_reject"),
    path("staff/members/", staff_views.staff_members, name="staff_members"),
    path("staff/members/export.csv", staff_views.staff_members_export, name="staff_members_export"),
    path("staff/organisations/import/", staff_views.staff_organisation_import, name="staff_organisation_import"),
]
