from django.contrib import admin

from notifications.models import (
    CommunityEmailPreference,
    EmailDelivery,
    HeldInboundMessage,
    InboundMessage,
    Notification,
    OutgoingEmail,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["text", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "recipient__email", "text"]
    raw_id_fields = ["recipient", "actor", "community", "thread", "post"]
    date_hierarchy = "created_at"


@admin.register(CommunityEmailPreference)
class CommunityEmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "mode", "updated_at"]
    list_filter = ["mode"]
    search_fields = ["user__username", "user__email", "community__name"]
    raw_id_fields = ["user", "community"]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """For support: why did (or didn't) someone get an email. Read-only: the worker owns these rows."""

    list_display = ["key", "recipient", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "recipient__email"]
    raw_id_fields = ["recipient", "post", "notification"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["message_id", "sender", "status", "reason", "received_at"]
    list_filter = ["status"]
    search_fields = ["message_id", "sender", "subject"]
    raw_id_fields = ["user", "post"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """For support: what is waiting for the mail server, and what failed. Read-only: the
    worker owns these rows."""

    list_display = ["subject", "to", "status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(HeldInboundMessage)
class HeldInboundMessageAdmin(admin.ModelAdmin):
    """For support: email waiting for its member's confirmation. Read-only; the raw
    message stays out of the page."""

    list_display = ["inbound", "user", "kind", "community", "created_at", "expires_at", "confirmation_sent_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__email", "title"]
    raw_id_fields = ["inbound", "user", "community", "thread", "parent"]
    exclude = ["raw"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
