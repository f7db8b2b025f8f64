"""Form fields for the filters a page reads from its query string, in GOV.UK wording."""

from django import forms


def list_choice(label: str, choices=(), *, naming: str) -> forms.ChoiceField:
    """An optional choice from a list. A value not in it (only a made-up address can
    send one) is told "Choose <naming> from the list"."""
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        error_messages={"invalid_choice": f"Choose {naming} from the list"},
    )


# Dates as people write them. GOV.UK asks for no browser date picker: many are hard to
# use, and a browser's date box silently empties a date it cannot read, where a text
# box gives back what was typed, with its error.
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"]
DATE_EXAMPLE = "27/3/2026"


class _TypedDateField(forms.DateField):
    """A date typed in a text box: spaces alone are no date, as an empty box is."""

    def to_python(self, value):
        return super().to_python(value.strip() if isinstance(value, str) else value)


def range_date(label: str, *, end: str) -> forms.DateField:
    """An optional date that starts or ends a range (`end`: "start" or "end"), typed in
    any of DATE_FORMATS and shown back as day/month/year."""
    return _TypedDateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
        help_text=f"For example, {DATE_EXAMPLE}",
        error_messages={"invalid": f"Enter a real date for the {end}, for example {DATE_EXAMPLE}"},
    )
