from django.contrib import admin

from moderation.models import CommunityModerationSettings, Flag, MemberSanction, ModerationAction


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, so nobody may add, change or delete here."""

    list_display = ["created_at", "community_name", "actor_name", "action", "target_type", "target_text"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "community_name", "target_text", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["created_at", "community", "reason", "status", "reporter"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["post", "reporter", "resolved_by"]
    readonly_fields = ["created_at", "resolved_at"]


@admin.register(MemberSanction)
class MemberSanctionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "community", "user", "kind", "until", "lifted_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "created_by"]


@admin.register(CommunityModerationSettings)
class CommunityModerationSettingsAdmin(admin.ModelAdmin):
    list_display = ["community", "hold_first_posts", "premoderate_all"]
