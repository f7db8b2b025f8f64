from django.contrib import admin

from records.models import RetentionLimits


@admin.register(RetentionLimits)
class RetentionLimitsAdmin(admin.ModelAdmin):
    """Site admins set the bounds of every community's retention rule here."""

    list_display = ["min_archive_years", "max_archive_years", "min_delete_years", "max_delete_years", "allow_deletion"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not RetentionLimits.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
