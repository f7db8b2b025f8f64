from django.contrib import admin

from moderation.models import CommunityModerationSettings, Flag, MemberSanction, ModerationAction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Moderation decisions are made on the site, where they are logged; the admin
    only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, so nobody may add, change or delete here."""

    list_display = ["created_at", "community_name", "actor_name", "action", "target_type", "target_text"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "community_name", "target_text", "reason"]
    date_hierarchy = "created_at"


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "community", "reason", "status", "reporter"]
    list_filter = ["status", "reason"]


@admin.register(MemberSanction)
class MemberSanctionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "community", "user", "kind", "until", "lifted_at"]
    list_filter = ["kind"]


@admin.register(CommunityModerationSettings)
class CommunityModerationSettingsAdmin(ReadOnlyAdmin):
    list_display = ["community", "hold_first_posts", "premoderate_all"]
