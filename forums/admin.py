from django.contrib import admin

from core.models import AllowedImageHost
from forums.image_hosts import rerender_naming
from forums.models import (
    Attachment,
    CommunityForumSettings,
    HelpfulMark,
    Mention,
    Post,
    PostRevision,
    Thread,
    ThreadReadState,
    ThreadSubscription,
)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "community",
        "author",
        "kind",
        "reply_count",
        "is_pinned",
        "is_locked",
        "last_activity_at",
    ]
    list_filter = ["kind", "is_pinned", "is_locked", "is_hidden"]
    search_fields = ["title"]
    raw_id_fields = ["community", "author", "accepted_answer"]
    readonly_fields = ["reply_count", "last_activity_at", "created_at"]


class RevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ["body", "edited_by", "created_at"]
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["filename", "content_type", "size", "created_at"]
    exclude = ["file"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["pk", "thread", "author", "status", "depth", "created_at", "helpful_count"]
    list_filter = ["status"]
    search_fields = ["body"]
    raw_id_fields = ["thread", "author", "parent"]
    # The stored HTML is written only by the services, through the sanitiser.
    readonly_fields = ["body", "body_html", "sort_path", "depth", "helpful_count"]
    inlines = [RevisionInline, AttachmentInline]


@admin.register(CommunityForumSettings)
class CommunityForumSettingsAdmin(admin.ModelAdmin):
    list_display = ["community", "restrict_tags", "allowed_tags"]
    raw_id_fields = ["community"]


for model in (Mention, HelpfulMark, ThreadSubscription, ThreadReadState):
    admin.site.register(model, raw_id_fields=["user"])


@admin.register(AllowedImageHost)
class AllowedImageHostAdmin(admin.ModelAdmin):
    """Here rather than in core: a change renders stored posts again (forums.image_hosts)."""

    list_display = ["host", "note"]
    search_fields = ["host"]

    def save_model(self, request, obj, form, change):
        before = AllowedImageHost.objects.filter(pk=obj.pk).values_list("host", flat=True).first()
        super().save_model(request, obj, form, change)
        for host in {before, obj.host} - {None}:
            rerender_naming(host)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        rerender_naming(obj.host)

    def delete_queryset(self, request, queryset):
        hosts = list(queryset.values_list("host", flat=True))
        super().delete_queryset(request, queryset)
        for host in hosts:
            rerender_naming(host)
