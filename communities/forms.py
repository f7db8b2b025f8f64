"""Forms for communities: every input, query strings included, passes through one."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from email.utils import getaddresses

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from communities.models import Community, Membership, natural_name
from core.text import SingleLineField
from core.uploads import Refused, read_capped

MAX_INVITES = 200
MAX_CSV_BYTES = 100 * 1024
# A pasted list and a CSV's rows together, as the preview carries them.
MAX_LIST_CHARS = 200_000


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
    name = SingleLineField(label="Name of the community", max_length=100)
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
        name = self.cleaned_data["name"]
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
            chunks.append(("".join(current), char))
            current = []
        else:
            current.append(char)
    chunks.append(("".join(current), ""))
    return _rejoin_surnames([(chunk.strip(), sep) for chunk, sep in chunks if chunk.strip()])


# Outlook writes "Smith, Jane <jane.smith@x.gov.uk>" (or 'Smith, Jane' in single quotes)
# without double quotes: a bare surname then a comma then "First <address>".
_SURNAME = re.compile(r"['\"]?[^\W\d_][\w.'’ -]{0,60}")
_NAME_AND_ADDRESS = re.compile(r"(?P<name>[^<>]*)<(?P<address>[^<>]+)>")
_FIRST_AND_ADDRESS = re.compile(r"(?P<first>[^<>@\"]+)<(?P<address>[^<>]+)>")


def _looks_like_surname(chunk: str) -> bool:
    # "van der Berg" and "Smith-Jones" are surnames; "not-an-address" is not.
    words = chunk.strip("'\"").split()
    return bool(_SURNAME.fullmatch(chunk)) and 0 < len(words) <= 4 and words[-1][0].isupper()


def _rejoin_surnames(chunks: list[tuple[str, str]]) -> list[str]:
    joined: list[str] = []
    index = 0
    while index < len(chunks):
        chunk, separator = chunks[index]
        following = chunks[index + 1][0] if index + 1 < len(chunks) else ""
        rest = _FIRST_AND_ADDRESS.fullmatch(following)
        if separator == "," and rest and rest["first"].strip() and _looks_like_surname(chunk):
            name = f"{chunk}, {rest['first'].strip()}".replace('"', "")
            joined.append(f'"{name}" <{rest["address"].strip()}>')
            index += 2
            continue
        joined.append(chunk)
        index += 1
    return joined


def _read_chunk(chunk: str) -> tuple[str, str]:
    parsed = getaddresses([chunk])
    name, email = parsed[0] if len(parsed) == 1 else ("", "")
    bracketed = _NAME_AND_ADDRESS.fullmatch(chunk)
    if not email and bracketed:
        # getaddresses gives up on Outlook's 'jane@x.gov.uk' <jane@x.gov.uk>.
        name, email = bracketed["name"], bracketed["address"]
    return name, email.strip().lower()


@dataclass
class PastedAddresses:
    """A pasted list, read: who to invite (name, email), each address once; the
    chunks that are not addresses; and how often each repeated address appeared."""

    recipients: list[tuple[str, str]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    repeats: dict[str, int] = field(default_factory=dict)


def parse_addresses(text: str) -> PastedAddresses:
    """Read a pasted To/Cc line. Addresses are lower-cased and counted once (the first
    name given is kept); each chunk is read with email.utils.getaddresses."""
    validate = EmailValidator()
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    invalid: list[str] = []
    for chunk in _split_addresses(text):
        name, email = _read_chunk(chunk)
        try:
            validate(email)
        except ValidationError:
            invalid.append(chunk[:200])
            continue
        counts[email] = counts.get(email, 0) + 1
        if not names.get(email):
            names[email] = natural_name(name)
    return PastedAddresses(
        recipients=[(name, email) for email, name in names.items()],
        invalid=invalid,
        repeats={email: count for email, count in counts.items() if count > 1},
    )


def _csv_text(upload) -> str:
    try:
        raw = read_capped(upload, MAX_CSV_BYTES)
    except Refused:
        raise ValidationError("The CSV file must be smaller than 100 KB") from None
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
        if not self.errors:
            _read_list(self, cleaned, text)
        return cleaned


class InviteListForm(forms.Form):
    """The list as read on the invite page, carried (hidden) by the preview's "Send"
    and "Change the list" buttons and read again, by the same rules."""

    addresses = forms.CharField(widget=forms.HiddenInput, max_length=MAX_LIST_CHARS)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _read_list(self, cleaned, cleaned["addresses"])
        return cleaned


def _read_list(form: forms.Form, cleaned: dict, text: str) -> None:
    """Fill cleaned["text"] and cleaned["pasted"], or add the error that stops the list."""
    cleaned["text"] = text  # kept even when refused, for "Change the list"
    if not text.strip():
        form.add_error("addresses", "Enter at least one email address, or upload a CSV file")
        return
    pasted = parse_addresses(text)
    if not pasted.recipients:
        form.add_error("addresses", "Enter email addresses in the correct format, like name@council.gov.uk")
    elif len(pasted.recipients) > MAX_INVITES:
        form.add_error("addresses", f"Invite at most {MAX_INVITES} people at a time")
    cleaned["pasted"] = pasted
