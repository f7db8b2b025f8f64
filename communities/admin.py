from django.contrib import admin

from communities.models import Community, Invitation, Membership
from core.markdown import render_markdown
from core.text import SingleLineAdminMixin


@admin.register(Community)
class CommunityAdmin(SingleLineAdminMixin, admin.ModelAdmin):
    single_line_fields = ("name",)  # it names the community in email subjects
    list_display = ["name", "status", "visibility", "join_policy", "member_count", "thread_count", "last_activity_at"]
    list_filter = ["status", "visibility", "join_policy"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["member_count", "thread_count", "last_activity_at", "created_at"]
    raw_id_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        # Markdown is rendered once, on save, through the one sanitiser.
        obj.description_html = render_markdown(obj.description)
        obj.guidelines_html = render_markdown(obj.guidelines)
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """For looking things up; changes go through the member pages, which keep the
    counters and the one-owner rule."""

    list_display = ["user", "community", "role", "status", "joined_at"]
    list_filter = ["status", "role", "community"]
    search_fields = ["user__username", "user__email", "community__name"]
    raw_id_fields = ["user", "community"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "community", "status", "invited_by", "sent_at", "expires_at"]
    list_filter = ["status", "community"]
    search_fields = ["email", "name", "community__name"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
