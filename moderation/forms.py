from __future__ import annotations

from django import forms
from django.utils import timezone

from communities.models import Community
from core.date_range import DateRangeMixin
from core.filter_fields import DATE_FORMATS, range_date
from moderation.models import Flag, ModerationAction

REASON_HELP = "The author sees this reason. Keep it short and polite."


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this post?",
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are reporting this post"},
    )
    note = forms.CharField(
        label="Tell the facilitators more (optional)",
        help_text="Required if you chose “Something else”.",
        required=False,
        max_length=1000,
        error_messages={"max_length": "Your note must be 1,000 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Flag.Reason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Tell the facilitators what is wrong with the post")
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text=REASON_HELP,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason"},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label="Note for the moderation log (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RenameForm(OptionalReasonForm):
    title = forms.CharField(
        label="New title", max_length=200, error_messages={"required": "Enter a title for the thread"}
    )
    field_order = ["title", "reason"]


class MoveForm(OptionalReasonForm):
    community = forms.ModelChoiceField(
        label="Move to",
        queryset=Community.objects.none(),
        empty_label="Choose a community",
        error_messages={"required": "Choose a community to move the thread to"},
    )
    field_order = ["community", "reason"]

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Community.objects.none()


class MergeForm(OptionalReasonForm):
    target = forms.IntegerField(
        label="Number of the thread to merge into",
        help_text="The number in the other thread's web address, after /threads/.",
        min_value=1,
        error_messages={"required": "Enter the number of the thread to merge into"},
    )
    field_order = ["target", "reason"]


class SplitForm(OptionalReasonForm):
    title = forms.CharField(
        label="Title of the new thread",
        max_length=200,
        error_messages={"required": "Enter a title for the new thread"},
    )
    field_order = ["title", "reason"]


class WarnForm(forms.Form):
    message = forms.CharField(
        label="Warning",
        help_text="Sent privately to the member and kept on their record in this community.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the warning to send"},
    )


class MuteForm(ReasonForm):
    until = forms.DateField(
        label="Stop them posting until",
        help_text="For example, 27 3 2027. Enter the date as day month year: 27/03/2027 or 2027-03-27.",
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the date the mute ends", "invalid": "Enter a real date"},
    )
    field_order = ["until", "reason"]

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError("The date must be in the future")
        return until


class SettingsForm(forms.Form):
    hold_first_posts = forms.IntegerField(
        label="Hold a new member's first posts for review",
        help_text="How many of a member's posts need approval before they post freely. 0 turns this off.",
        min_value=0,
        max_value=20,
        error_messages={"required": "Enter a number from 0 to 20"},
    )
    premoderate_all = forms.BooleanField(label="Hold every member's posts for review", required=False)


class LogFilterForm(DateRangeMixin, forms.Form):
    """Filters for the moderation log, read from the query string."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    community = forms.ModelChoiceField(
        queryset=Community.objects.order_by("name"), required=False, empty_label="All communities"
    )
    actor = forms.CharField(label="Facilitator's username", required=False, max_length=150)
    action = forms.ChoiceField(choices=[("", "All actions"), *ModerationAction.Action.choices], required=False)
    date_from = range_date("From", end="start")
    date_to = range_date("To", end="end")

    def __init__(self, *args, community_choice: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not community_choice:
            del self.fields["community"]
