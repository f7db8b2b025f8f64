"""Every input to the forums, including query strings, goes through one of these."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.text import slugify

from core.plain_english import parse_jargon
from core.text import one_line
from forums.attachments import ACCEPTED, MAX_ATTACHMENTS_PER_POST, check_uploads
from forums.models import Thread, ThreadSubscription

MAX_BODY = 20_000
MAX_TAGS = 5
MAX_JARGON = 2000
TAG_PATTERN = re.compile(r"^[\w][\w '&-]{0,49}$")


class ThreadFilterForm(forms.Form):
    """The thread list's filters, from the query string."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    kind = forms.ChoiceField(label="Type", choices=[("", "All types"), *Thread.Kind.choices], required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=100)

    def clean_tag(self) -> str:
        return slugify(self.cleaned_data["tag"], allow_unicode=True)  # as taggit makes tag slugs

    unanswered = forms.BooleanField(label="Unanswered questions only", required=False)
    unread = forms.BooleanField(label="Unread only", required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["unread"]


class FileInput(forms.FileInput):
    """Several files at once. Named FileInput so the GOV.UK widget tag styles it as a file upload."""

    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five files, each checked by content; cleans to (file, type, name) triples."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", FileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        errors = []
        for upload in files:
            try:
                super().clean(upload, initial)  # Django's own checks: a file name, not empty
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return check_uploads(files)  # the same count, size and content checks as email


def attachments_field() -> AttachmentsField:
    return AttachmentsField(
        label="Attach files (optional)",
        help_text=f"Up to {MAX_ATTACHMENTS_PER_POST} files, 10 MB each: {ACCEPTED}.",
    )


def body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="You can use Markdown: **bold**, _italic_, [a link](https://www.gov.uk), lists and > quotes. "
        "Mention someone with @username.",
        error_messages={
            "required": "Enter your message",
            "max_length": "Your message must be 20,000 characters or fewer",
        },
    )


class ThreadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Say what you want to know, in a sentence.",
        error_messages={"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="What are you starting?",
        choices=Thread.Kind.choices,
        initial=Thread.Kind.QUESTION,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what you are starting",
            "invalid_choice": "Choose a question or a discussion",
        },
    )
    body = body_field("Your message")
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "Tags must be 300 characters or fewer in total"},
    )
    attachments = attachments_field()

    def __init__(self, *args, can_announce: bool = False, suggested_tags=(), allowed_tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_tags = allowed_tags
        if not can_announce:
            self.fields["kind"].choices = [c for c in Thread.Kind.choices if c[0] != Thread.Kind.ANNOUNCEMENT]
        hint = f"Up to {MAX_TAGS}, separated by commas."
        # Help text is rendered as HTML; tag names are member-written, so escape them.
        if allowed_tags is not None:
            hint += " This community uses only these tags: " + escape(", ".join(allowed_tags)) + "."
        elif suggested_tags:
            hint += " Tags already used here: " + escape(", ".join(suggested_tags)) + "."
        self.fields["tags"].help_text = hint

    def clean_title(self) -> str:
        title = one_line(self.cleaned_data["title"])
        if not slugify(title):
            raise ValidationError("Enter a title with some letters or numbers in it")
        return title

    def clean_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.split()).lower()
            if not name or name in names:
                continue
            if not TAG_PATTERN.match(name) or not slugify(name):
                raise ValidationError(f"“{name[:50]}” is not a valid tag: use letters, numbers and spaces")
            names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(f"Choose up to {MAX_TAGS} tags")
        if self.allowed_tags is not None:
            allowed = {tag.lower() for tag in self.allowed_tags}
            unknown = [name for name in names if name not in allowed]
            if unknown:
                raise ValidationError(
                    "This community uses only its own tags. Remove: " + ", ".join(unknown[:MAX_TAGS])
                )
        return names


class ReplyForm(forms.Form):
    body = body_field("Your reply")
    attachments = attachments_field()


class PostEditForm(forms.Form):
    body = body_field("Your message")


class LockForm(forms.Form):
    reason = forms.CharField(
        label="Why are you locking this thread?",
        max_length=300,
        help_text="Members will see this, for example “Answered: see the accepted answer”.",
        error_messages={"required": "Enter why you are locking the thread"},
    )


class SubscriptionForm(forms.Form):
    level = forms.ChoiceField(
        choices=[*ThreadSubscription.Level.choices, ("default", "Default")],
        error_messages={"required": "Choose watch or mute", "invalid_choice": "Choose watch or mute"},
    )


class ForumSettingsForm(forms.Form):
    restrict_tags = forms.BooleanField(label="Only allow the tags listed below", required=False)
    allowed_tags = forms.CharField(
        label="This community's tags",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Separated by commas.",
    )
    jargon_words = forms.CharField(
        label="Jargon to point out",
        required=False,
        max_length=MAX_JARGON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One word or phrase a line. Before posting, members are told when they use one, "
        "so they can say it in plain English.",
    )

    def clean_jargon_words(self) -> str:
        return "\n".join(parse_jargon(self.cleaned_data["jargon_words"]))

    def clean_allowed_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data["allowed_tags"].split(","):
            name = " ".join(raw.split()).lower()
            if name and name not in names:
                if not TAG_PATTERN.match(name) or not slugify(name):
                    raise ValidationError(f"“{name[:50]}” is not a valid tag: use letters, numbers and spaces")
                names.append(name)
        return names

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("restrict_tags") and not cleaned.get("allowed_tags"):
            self.add_error("allowed_tags", "List at least one tag, or allow any tag")
        return cleaned


class ThreadPageForm(forms.Form):
    """The thread page's query string: reply order and page."""

    order = forms.ChoiceField(choices=[("tree", "Conversation"), ("oldest", "Oldest first")], required=False)
    page = forms.IntegerField(min_value=1, required=False)
