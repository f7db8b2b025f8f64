"""The form for setting a pre-election period (moderation/elections.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.filter_fields import DATE_FORMATS
from members.models import REGION_CHOICES, Organisation

DATE_HINT = "Enter the date as day month year: 27/03/2027 or 2027-03-27."
DEFAULT_GUIDANCE = "https://www.gov.uk/government/collections/election-guidance-for-civil-servants"


class PreElectionPeriodForm(forms.Form):
    title = forms.CharField(
        label="Name of the period",
        help_text="For example, “May 2027 local elections”.",
        max_length=120,
        error_messages={"required": "Enter a name for the period"},
    )
    start_date = forms.DateField(
        label="First day",
        help_text=f"Posts are held from the start of this day. {DATE_HINT}",
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the first day of the period", "invalid": "Enter a real first day"},
    )
    end_date = forms.DateField(
        label="Last day",
        help_text=f"Posts are held until the end of this day, usually polling day. {DATE_HINT}",
        input_formats=DATE_FORMATS,
        error_messages={"required": "Enter the last day of the period", "invalid": "Enter a real last day"},
    )
    covers = forms.ChoiceField(
        label="Whose posts are held for review",
        choices=[
            ("all", "Every member’s"),
            ("chosen", "Members of organisations of the types or in the regions chosen below"),
        ],
        widget=forms.RadioSelect,
        initial="all",
        error_messages={"required": "Select whose posts are held for review"},
    )
    organisation_kinds = forms.MultipleChoiceField(
        label="Types of organisation",
        help_text="For the second choice above. Leave empty to cover every type in the regions chosen.",
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label="Regions",
        help_text="For the second choice above. Leave empty to cover the chosen types everywhere.",
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    explanation = forms.CharField(
        label="What members should know (optional)",
        help_text="Shown in the banner, for example which elections it is for.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "What members should know must be 1,000 characters or fewer"},
    )
    guidance_url = forms.URLField(
        label="Link to guidance",
        help_text="The banner links here. Use the guidance that applies to the organisations covered.",
        max_length=500,
        initial=DEFAULT_GUIDANCE,
        assume_scheme="https",
        error_messages={
            "required": "Enter a link to the guidance",
            "invalid": "Enter a web address, like https://www.gov.uk/…",
        },
    )

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < timezone.localdate():
            raise forms.ValidationError("The last day must be today or in the future")
        return end

    def clean_guidance_url(self):
        url = self.cleaned_data["guidance_url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address that starts with https://")
        return url

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day must be the same as or after the first day")
        chosen = cleaned.get("covers") == "chosen"
        if chosen and not cleaned.get("organisation_kinds") and not cleaned.get("regions"):
            self.add_error("organisation_kinds", "Choose at least one type of organisation or region")
        return cleaned

    def period_fields(self) -> dict:
        """The cleaned form as PreElectionPeriod fields."""
        data = self.cleaned_data
        chosen = data["covers"] == "chosen"
        return {
            "title": data["title"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "covers_all": not chosen,
            "organisation_kinds": data["organisation_kinds"] if chosen else [],
            "regions": data["regions"] if chosen else [],
            "explanation": data["explanation"],
            "guidance_url": data["guidance_url"],
        }
