from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from members.models import Organisation, OrganisationDomain, User


@admin.register(User)
class CommsNetUserAdmin(UserAdmin):
    list_display = ["username", "email", "display_name", "status", "organisation", "is_staff"]
    list_filter = ["status", "is_staff", "organisation__kind"]
    fieldsets = UserAdmin.fieldsets + (("CommsNet", {"fields": ["display_name", "status", "organisation"]}),)


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "domains__domain"]
    inlines = [OrganisationDomainInline]
