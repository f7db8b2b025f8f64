import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.text import slugify

from core.date_range import DateRangeMixin
from core.filter_fields import list_choice, range_date
from core.text import SingleLineField, one_line
from members.avatars import process_avatar
from members.eligibility import eligibility_for
from members.models import REGION_CHOICES, Expertise, Organisation, User

SOCIAL_HANDLE = re.compile(r"^@?[A-Za-z0-9_.\-]{1,60}(@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+)?$")


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = SingleLineField(
        label="Full name",
        max_length=100,
        help_text="Shown beside your posts, for example ‘Priya Shah’.",
    )
    join_reason = forms.CharField(
        label="Why do you want to join?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="We approve council, NHS, police and other recognised public-sector email addresses "
        "automatically. For any other address, tell us where you work and why you want to join: "
        "a site administrator will read this.",
    )

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email and not cleaned_data.get("join_reason", "").strip() and not eligibility_for(email).eligible:
            self.add_error(
                "join_reason", "Tell us why you want to join: we do not recognise your email address's organisation"
            )
        return cleaned_data

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.join_reason = self.cleaned_data.get("join_reason", "").strip()
        user.save(update_fields=["display_name", "join_reason"])


def _https_url_on(hosts: set[str], message: str):
    def validate(value: str) -> None:
        host = re.sub(r"^https?://", "", value.lower()).split("/")[0].split(":")[0]
        if host not in hosts and not any(host.endswith("." + h) for h in hosts):
            raise ValidationError(message)

    return validate


class ProfileForm(forms.ModelForm):
    avatar_upload = forms.FileField(
        label="Photo",
        required=False,
        help_text="A JPG, PNG, GIF or WebP image, smaller than 2MB. We crop it to a square.",
    )
    remove_avatar = forms.BooleanField(label="Remove my photo", required=False)
    website = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https")
    linkedin = forms.URLField(
        label="LinkedIn profile",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="For example https://www.linkedin.com/in/your-name",
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "job_title",
            "organisation",
            "organisation_other",
            "region",
            "bio",
            "expertise",
            "website",
            "linkedin",
            "social_handle",
            "show_email",
        ]
        labels = {
            "display_name": "Full name",
            "organisation": "Organisation",
            "organisation_other": "Organisation, if it is not in the list",
            "bio": "About you",
            "expertise": "Areas of expertise",
            "social_handle": "Mastodon, Bluesky or X handle",
            "show_email": "Show my email address to other signed-in members",
        }
        help_texts = {
            "job_title": "For example ‘Senior press officer’.",
            "bio": "A few sentences about your work. You can use Markdown.",
            "expertise": "Separate them with commas, for example ‘crisis communications, social media’.",
            "social_handle": "For example @name@mastodon.social or @name.bsky.social",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        # Names can reach email headers, where a line break stops the message.
        field_classes = {name: SingleLineField for name in ["display_name", "job_title", "organisation_other"]}

    field_order = [
        "display_name",
        "job_title",
        "organisation",
        "organisation_other",
        "region",
        "bio",
        "expertise",
        "avatar_upload",
        "remove_avatar",
        "website",
        "linkedin",
        "social_handle",
        "show_email",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = "Not in the list"
        self.fields["region"].choices = [("", "Choose a region"), *REGION_CHOICES]
        # The model's bio has no limit; the form's is said like any CharField's (core/text_limits.py).
        self.fields["bio"].max_length = 2000
        self.fields["bio"].validators.append(MaxLengthValidator(2000))
        self.fields["linkedin"].validators.append(
            _https_url_on({"linkedin.com"}, "Enter a LinkedIn address, like https://www.linkedin.com/in/your-name")
        )
        if not self.instance.avatar:
            del self.fields["remove_avatar"]
        self.avatar_file = None

    def clean_website(self) -> str:
        value = self.cleaned_data["website"]
        if value:
            URLValidator(schemes=["http", "https"])(value)
        return value

    def clean_expertise(self) -> list[str]:
        # The database holds up to 100 characters for each; taggit would pass longer on
        # (an unbroken word, as long payloads are) and the save would fail.
        longest = Expertise._meta.get_field("name").max_length
        self.cleaned_data["expertise"] = [one_line(name) for name in self.cleaned_data["expertise"]]
        for name in self.cleaned_data["expertise"]:
            if len(name) > longest:
                raise ValidationError(
                    f"“{name[:50]}…” is too long: keep each area of expertise to {longest} characters or fewer"
                )
        return self.cleaned_data["expertise"]

    def clean_social_handle(self) -> str:
        value = self.cleaned_data["social_handle"].strip()
        if value and not SOCIAL_HANDLE.match(value):
            raise ValidationError("Enter a handle like @name@mastodon.social, @name.bsky.social or @name")
        return value

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if upload:
            self.avatar_file = process_avatar(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("organisation") and cleaned_data.get("organisation_other"):
            self.add_error("organisation_other", "Leave this empty when you choose an organisation from the list")
        return cleaned_data

    def profile_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in self.Meta.fields}


def organisation_kind_choice() -> forms.ChoiceField:
    """The member filters' "Organisation type" (the directory's and the staff list's)."""
    return list_choice(
        "Organisation type", [("", "Any type"), *Organisation.Kind.choices], naming="an organisation type"
    )


def region_choice() -> forms.ChoiceField:
    return list_choice("Region", [("", "Any region"), *REGION_CHOICES], naming="a region")


class DirectorySearchForm(forms.Form):
    """The member directory's query string."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    q = forms.CharField(
        label="Search members",
        help_text="Search by name, job title, organisation or expertise",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search for 100 characters or fewer"},
    )
    kind = organisation_kind_choice()
    region = region_choice()
    tag = forms.CharField(
        label="Knows about (tag)",
        help_text="For example, alt text",
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter a tag of 100 characters or fewer"},
    )
    sort = list_choice(
        "Sort by",
        [("", "Name"), ("expertise", "Who knows most about the tag")],
        naming="an order",
    )

    def clean_tag(self) -> str:
        return slugify(self.cleaned_data["tag"], allow_unicode=True)  # as taggit makes tag slugs

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == "expertise" and not cleaned.get("tag"):
            self.add_error("tag", "Enter a tag to sort by who knows most about it")
        return cleaned


class StaffMemberFilterForm(DateRangeMixin, forms.Form):
    """The site admins' members list and its CSV export."""

    date_range_fields = ("joined_from", "joined_to")

    status = list_choice("Status", [("", "Any status"), *User.Status.choices], naming="a status")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="Any organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    kind = organisation_kind_choice()
    region = region_choice()
    joined_from = range_date("Joined on or after", end="start")
    joined_to = range_date("Joined on or before", end="end")


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="We email this to them, so write it for them to read.",
        error_messages={"required": "Enter the reason, so they know why"},
    )


class DeleteAccountForm(forms.Form):
    """Deleting is confirmed here; who is asking is confirmed by allauth's
    reauthentication (the password or a 2FA code, if not given in the last 5 minutes)."""

    confirm = forms.BooleanField(
        label="I understand that deleting my account cannot be undone",
        error_messages={"required": "Confirm that you understand deleting your account cannot be undone"},
    )


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, type, region, domains. Separate several domains with semicolons or spaces. "
        "The first row can be a header.",
        error_messages={"required": "Choose a CSV file"},
    )


def bound_data(request, files: bool = True) -> tuple:
    """Form arguments: bound on POST (even an empty one, so it shows its errors), else unbound."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)
