from django import forms

from notifications.archive_services import check_archive
from notifications.models import EMAILED_KINDS, CommunityEmailPreference


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


class EmailSettingsForm(forms.Form):
    """One radio group per community the member belongs to, and a checkbox list of the
    kinds of notification to email straight away."""

    immediate_kinds = forms.MultipleChoiceField(
        label="Email me straight away about",
        choices=[(kind.value, kind.label) for kind in EMAILED_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Anything you do not tick only appears in your notifications on the site. "
        "We always email you about your requests to join, invitations, reports and messages from facilitators.",
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for membership in self.memberships:
            self.fields[self.field_name(membership.community)] = forms.ChoiceField(
                label=f"Email from {membership.community.name}",
                choices=CommunityEmailPreference.Mode.choices,
                widget=forms.RadioSelect,
                initial=membership.mode,
            )
        # Kinds first in the page order: communities, then notifications.
        self.order_fields([self.field_name(m.community) for m in self.memberships] + ["immediate_kinds"])

    @staticmethod
    def field_name(community) -> str:
        return f"community_{community.pk}"

    def community_modes(self):
        for membership in self.memberships:
            yield membership.community, self.cleaned_data[self.field_name(membership.community)]


class ArchiveUploadForm(forms.Form):
    archive = forms.FileField(
        label="Archive file",
        help_text="An mbox file, or a zip of .eml files. Smaller than 1 GB.",
        error_messages={
            "required": "Select an mbox file or a zip of .eml files",
            "empty": "The selected file is empty",
        },
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        check_archive(upload)
        return upload
