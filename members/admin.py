from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from core.text import SingleLineAdminMixin
from members import services
from members.avatars import process_avatar
from members.models import Organisation, OrganisationDomain, User

# Addresses typed without a scheme are https (Django 6's default, chosen now).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class MemberChangeForm(UserChangeForm):
    def clean_avatar(self):
        """A photo uploaded here is checked and re-made like one from the profile page,
        so what is served from /media/avatars/ is always our own small JPEG."""
        avatar = self.cleaned_data.get("avatar")
        return process_avatar(avatar) if isinstance(avatar, UploadedFile) else avatar


@admin.register(User)
class CommsNetUserAdmin(SingleLineAdminMixin, UserAdmin):
    form = MemberChangeForm
    single_line_fields = ("display_name", "job_title", "organisation_other", "first_name", "last_name")
    list_display = ["username", "email", "display_name", "status", "organisation", "is_staff", "date_joined"]
    list_filter = ["status", "is_staff", "organisation__kind", "region"]
    search_fields = ["username", "email", "display_name", "organisation__name"]
    readonly_fields = ["erased_at"]
    formfield_overrides = URL_FIELDS
    fieldsets = UserAdmin.fieldsets + (
        ("CommsNet", {"fields": ["display_name", "status", "organisation", "join_reason", "rejection_reason"]}),
        (
            "Profile",
            {
                "fields": [
                    "job_title",
                    "organisation_other",
                    "region",
                    "bio",
                    "expertise",
                    "avatar",
                    "website",
                    "linkedin",
                    "social_handle",
                    "show_email",
                    "erased_at",
                ]
            },
        ),
    )
    actions = ["approve", "suspend", "reinstate", "erase"]

    @admin.action(description="Approve the selected members (emails them)")
    def approve(self, request, queryset):
        for member in queryset.exclude(status=User.Status.APPROVED):
            services.member_approve(member=member, by=request.user)
        self.message_user(request, "Approved.", messages.SUCCESS)

    @admin.action(description="Suspend the selected members (they cannot sign in)")
    def suspend(self, request, queryset):
        for member in queryset.exclude(pk=request.user.pk):
            services.member_suspend(member=member, by=request.user)
        self.message_user(request, "Suspended.", messages.SUCCESS)

    @admin.action(description="Reinstate the selected suspended members")
    def reinstate(self, request, queryset):
        for member in queryset.filter(status=User.Status.SUSPENDED):
            services.member_reinstate(member=member, by=request.user)
        self.message_user(request, "Reinstated.", messages.SUCCESS)

    @admin.action(description="Erase the personal data of the selected members (on their request)")
    def erase(self, request, queryset):
        count = 0
        for member in queryset.filter(erased_at__isnull=True).exclude(pk=request.user.pk):
            services.member_erase(member=member, by=request.user)
            count += 1
        self.message_user(request, f"Erased the personal data of {count} member(s).", messages.SUCCESS)


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(SingleLineAdminMixin, admin.ModelAdmin):
    single_line_fields = ("name",)
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "domains__domain"]
    formfield_overrides = URL_FIELDS
    inlines = [OrganisationDomainInline]
