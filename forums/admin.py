from django.contrib import admin

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
