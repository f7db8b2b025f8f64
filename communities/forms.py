"""Forms for communities: every input, query strings included, passes through one."""

from __future__ import annotations

import csv
import io
from email.utils import getaddresses

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from communities.models import Community, Membership

MAX_INVITES = 200
MAX_CSV_BYTES = 100 * 1024


class DirectoryForm(forms.Form):
    """The directory's query string: search, topic filter and sort order."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    SORTS = [("activity", "Most recently active"), ("members", "Most members"), ("name", "Name")]

    q = forms.CharField(
        label="Search communities",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search for 100 characters or fewer"},
    )
    topic = forms.ChoiceField(label="Topic", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)

    def __init__(self, *args, topics: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All topics"), *topics]

    def filters(self) -> dict:
        """The cleaned filters, or the defaults when the query string is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"q": data.get("q", "").strip(), "topic": data.get("topic", ""), "sort": data.get("sort") or "activity"}


class ProposeForm(forms.Form):
    name = forms.CharField(label="Name of the community", max_length=100)
    summary = forms.CharField(
        label="What is it for?",
        max_length=200,
        help_text="One sentence for the directory, for example ‘Handling comments during the pre-election period.’",
    )
    description = forms.CharField(
        label="Who is it for?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Who should join and what they will talk about. You can use Markdown.",
    )
    visibility = forms.ChoiceField(
        label="Who can read it?", choices=Community.Visibility.choices, widget=forms.RadioSelect
    )
    join_policy = forms.ChoiceField(
        label="How do people join?", choices=Community.JoinPolicy.choices, widget=forms.RadioSelect
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Community.objects.filter(name__iexact=name).exists():
            raise ValidationError("A community with this name already exists. Choose another name.")
        return name


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=500,
        help_text="This is emailed to them.",
        error_messages={"required": "Enter a reason"},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


def _split_addresses(text: str) -> list[str]:
    """Split a pasted cc line into one chunk per address: commas, semicolons and line
    breaks separate addresses, except inside "quoted names" and <angle brackets>."""
    chunks, current, quoted, angled = [], [], False, False
    for char in text:
        if char == '"' and not angled:
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        if char in ",;\n\r" and not quoted and not angled:
            chunks.append("".join(current))
            current = []
        else:
            current.append(char)
    chunks.append("".join(current))
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def parse_addresses(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, email) pairs, lower-cased and without repeats, and the chunks that are not
    a valid address. Each chunk is read with email.utils.getaddresses."""
    validate = EmailValidator()
    valid: dict[str, str] = {}
    invalid: list[str] = []
    for chunk in _split_addresses(text):
        parsed = getaddresses([chunk])
        name, email = parsed[0] if len(parsed) == 1 else ("", "")
        email = email.strip().lower()
        try:
            validate(email)
        except ValidationError:
            invalid.append(chunk[:200])
            continue
        valid.setdefault(email, name.strip())
    return [(name, email) for email, name in valid.items()], invalid


def _csv_text(upload) -> str:
    if upload.size > MAX_CSV_BYTES:
        raise ValidationError("The CSV file must be smaller than 100 KB")
    raw = upload.read(MAX_CSV_BYTES + 1)
    if b"\x00" in raw:
        raise ValidationError("The selected file must be a CSV file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError("The selected file must be a CSV file") from None


def csv_to_lines(text: str) -> str:
    """CSV rows (email, and optionally name; a header row is allowed) as cc-line text."""
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return ""
    header = [cell.strip().lower() for cell in rows[0]]
    email_col, name_col = 0, 1
    if any("email" in cell for cell in header):
        email_col = next(i for i, cell in enumerate(header) if "email" in cell)
        name_col = next((i for i, cell in enumerate(header) if "name" in cell), None)
        rows = rows[1:]
    lines = []
    for row in rows:
        email = row[email_col].strip() if email_col < len(row) else ""
        name = row[name_col].strip().replace('"', "") if name_col is not None and name_col < len(row) else ""
        lines.append(f'"{name}" <{email}>' if name else email)
    return "\n".join(lines)


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label="Email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=50_000,
        help_text="Paste addresses exactly as they appear in an email’s To or Cc line, "
        'for example ‘"Priya Shah" &lt;priya.shah@council.gov.uk&gt;, tom@nhs.net’.',
    )
    csv_file = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        help_text="One person a row: an email column and, if you like, a name column. Smaller than 100 KB.",
    )

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if upload:
            self.csv_text = csv_to_lines(_csv_text(upload))
        return upload

    def clean(self):
        cleaned = super().clean()
        text = "\n".join(filter(None, [cleaned.get("addresses", ""), getattr(self, "csv_text", "")]))
        if not self.errors and not text.strip():
            self.add_error("addresses", "Enter at least one email address, or upload a CSV file")
            return cleaned
        recipients, invalid = parse_addresses(text)
        if len(recipients) > MAX_INVITES:
            self.add_error("addresses", f"Invite at most {MAX_INVITES} people at a time")
        cleaned["recipients"], cleaned["invalid"] = recipients, invalid
        return cleaned
