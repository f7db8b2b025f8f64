"""Single-line text: names and titles that may end up in an email header.

A line break in a header value makes Django refuse the whole message, and a raw
POST can put one in any text field, so every single-line field is cleaned here,
and the email code cleans header values again for rows saved before this rule.
"""

from django import forms


def one_line(text: str) -> str:
    """`text` with line breaks, tabs and runs of spaces made single spaces, trimmed."""
    return " ".join(str(text).split())


class SingleLineField(forms.CharField):
    """A CharField whose value never holds a line break (whatever a browser would send)."""

    def to_python(self, value):
        value = super().to_python(value)
        return one_line(value) if isinstance(value, str) else value


class SingleLineAdminMixin:
    """For a ModelAdmin: the model fields named in `single_line_fields` use SingleLineField."""

    single_line_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.single_line_fields:
            kwargs["form_class"] = SingleLineField
        return super().formfield_for_dbfield(db_field, request, **kwargs)
