from __future__ import annotations

from django import forms

from core.date_range import DateRangeMixin
from core.filter_fields import range_date
from records.models import RetentionLimits
from records.retention import limit_problems


def _years(label: str, hint: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=100,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": f"{label} must be a whole number, like 5",
            "min_value": f"{label} must be 1 or more",
            "max_value": f"{label} must be 100 or fewer",
        },
    )


class RetentionRuleForm(forms.Form):
    archive_after_years = _years(
        "Years before archiving",
        "Threads with no activity for this many years are locked and archived. Leave empty to never archive.",
    )
    delete_after_years = _years(
        "Years before deleting",
        "Archived threads are deleted this many years after archiving. Leave empty to keep them.",
    )

    def __init__(self, *args, limits: RetentionLimits, legal_hold: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.fields[
            "archive_after_years"
        ].help_text += f" This site allows {limits.min_archive_years} to {limits.max_archive_years} years."
        if limits.allow_deletion:
            self.fields[
                "delete_after_years"
            ].help_text += f" This site allows {limits.min_delete_years} to {limits.max_delete_years} years."
        if legal_hold:
            self.fields["legal_hold"] = forms.BooleanField(
                label="Place a legal hold: nothing is archived or deleted while it is on", required=False
            )
            self.fields["legal_hold_reason"] = forms.CharField(
                label="Reason for the legal hold",
                required=False,
                max_length=300,
                help_text="For example, the FOI request or case it is kept for.",
                error_messages={"max_length": "The reason must be 300 characters or fewer"},
            )

    def clean(self):
        cleaned = super().clean()
        for name, problem in limit_problems(
            self.limits,
            archive_after_years=cleaned.get("archive_after_years"),
            delete_after_years=cleaned.get("delete_after_years"),
        ).items():
            if name not in self.errors:
                self.add_error(name, problem)
        if cleaned.get("legal_hold") and not cleaned.get("legal_hold_reason", "").strip():
            self.add_error("legal_hold_reason", "Enter the reason for the legal hold")
        return cleaned


class ExportForm(DateRangeMixin, forms.Form):
    date_from = range_date("From", end="start")
    date_to = range_date("To", end="end")
