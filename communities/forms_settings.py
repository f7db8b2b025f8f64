"""Forms for a community's settings and its member list (issue 22)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.text import slugify

from communities.models import Community, Membership

MAX_TOPICS = 10
TOPIC_PATTERN = re.compile(r"^[\w][\w '&-]{0,49}$")


class SettingsForm(forms.Form):
    """What facilitators change: the words and how the community takes posts."""

    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Who should join and what they talk about. You can use Markdown.",
    )
    guidelines = forms.CharField(
        label="Guidelines",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="How members should take part. Shown on the community page. You can use Markdown.",
    )
    topics = forms.CharField(
        label="Topics",
        required=False,
        max_length=500,
        help_text=f"Up to {MAX_TOPICS}, separated by commas. People find communities by topic in the directory.",
        error_messages={"max_length": "Topics must be 500 characters or fewer in total"},
    )
    welcome_message = forms.CharField(
        label="Welcome message",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown to each new member when they join, and in their first email from the community. "
        "You can use Markdown.",
    )
    posting_address_enabled = forms.BooleanField(
        label="Members can start conversations by emailing the community's posting address",
        required=False,
    )
    announcements_by = forms.ChoiceField(
        label="Who can start announcements?",
        choices=Community.Announcers.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can start announcements"},
    )

    def __init__(self, *args, posting_address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if posting_address:  # help text is shown as HTML
            self.fields["posting_address_enabled"].help_text = f"The address is {escape(posting_address)}."

    def clean_topics(self) -> list[str]:
        names: list[str] = []
        for raw in self.cleaned_data["topics"].split(","):
            name = " ".join(raw.split())
            if not name or name.lower() in {n.lower() for n in names}:
                continue
            if not TOPIC_PATTERN.match(name) or not slugify(name):
                raise ValidationError(f"“{name[:50]}” is not a valid topic: use up to 50 letters, numbers and spaces")
            names.append(name)
        if len(names) > MAX_TOPICS:
            raise ValidationError(f"Choose up to {MAX_TOPICS} topics")
        return names


class AccessForm(forms.Form):
    """What owners change: who can read and how people join."""

    visibility = forms.ChoiceField(
        label="Who can read it?",
        choices=Community.Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can read the community"},
    )
    join_policy = forms.ChoiceField(
        label="How do people join?",
        choices=Community.JoinPolicy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how people join"},
    )


class ConfirmAccessForm(AccessForm):
    """The confirmation page's form: the same choices, carried in hidden fields."""

    visibility = forms.ChoiceField(choices=Community.Visibility.choices, widget=forms.HiddenInput)
    join_policy = forms.ChoiceField(choices=Community.JoinPolicy.choices, widget=forms.HiddenInput)


class MemberFilterForm(forms.Form):
    """The member list's query string (facilitators' filters and the page)."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any role"), *Membership.Role.choices])
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *[c for c in Membership.Status.choices if c[0] != Membership.Status.PENDING]],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"role": data.get("role", ""), "status": data.get("status", "")}
