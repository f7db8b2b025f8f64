"""Length limits said rather than enforced by the browser, which cuts pasted text without a
word: forms drop `maxlength` (`govuk_widget`) and say the limit (a character count or a
hint), and an over-long answer comes back whole, saying how much too long. Every form gets
this through settings.FORM_RENDERER; search forms set `show_text_limits = False`."""

from dataclasses import dataclass

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.renderers import DjangoTemplates

# Inputs whose limit is worth saying: plain text. Not passwords (never shown), nor email
# addresses and web addresses, which nobody makes that long (their message still says it).
TEXT_INPUT_TYPES = {"text"}
# A text input this long or longer (titles, summaries) is counted like a textarea.
COUNTED_FROM = 200


def characters(number: int) -> str:
    return f"{number:,} character" if number == 1 else f"{number:,} characters"


class TextLimitValidator(MaxLengthValidator):
    """MaxLengthValidator that also tells the message how far over the limit the text is."""

    def __call__(self, value) -> None:
        length = self.clean(value)
        limit = self.limit_value
        if length > limit:
            params = {"limit_value": limit, "show_value": length, "value": value}
            params["too_many"] = characters(length - limit)
            raise forms.ValidationError(self.message, code=self.code, params=params)


def default_message(label: str, limit: int) -> str:
    """GOV.UK's "[whatever it is] must be [number] characters or fewer"; a question as the
    label ("Why do you want to join?") becomes "Your answer"."""
    subject = str(label or "").removesuffix(" (optional)").strip()
    if not subject or subject.endswith("?"):
        subject = "Your answer"
    return f"{subject} must be {limit:,} characters or fewer".replace("%", "%%")


def limit_field(field: forms.Field, label: str) -> None:
    """Give a text field with a max_length our validator and a message that says the limit
    and how much too long the text is (a field's own max_length message is kept as the
    first half). Idempotent: a form's fields are its own copies, limited once."""
    limit = getattr(field, "max_length", None)
    if not isinstance(field, forms.CharField) or not limit:
        return
    if any(isinstance(validator, TextLimitValidator) for validator in field.validators):
        return
    field.validators = [
        validator
        for validator in field.validators
        if not (isinstance(validator, MaxLengthValidator) and validator.limit_value == limit)
    ]
    field.validators.append(TextLimitValidator(limit))
    message = field.error_messages.get("max_length") or default_message(label, limit)
    field.error_messages["max_length"] = f"{message} – you have %(too_many)s too many"


@dataclass(frozen=True)
class TextLimit:
    """What the field template says about a limit: a character count or a hint. How much
    too long a text is, the error message says (and the counter, with JavaScript)."""

    max_length: int
    counted: bool

    @property
    def message(self) -> str:
        return f"You can enter up to {characters(self.max_length)}"


class LimitedTextBoundField(forms.BoundField):
    """A BoundField that limits its field's text as above and offers `text_limit` to the
    field template. Bound fields are made before a form is cleaned, so the validator is in
    place for `is_valid()`."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        limit_field(field, self.label)

    @property
    def data(self):
        # Browsers send a textarea's line breaks as \r\n, yet show and count each as one
        # character (so does GOV.UK's counter): keep them as \n, and the server counts what
        # the reader was shown.
        value = super().data
        if isinstance(value, str) and isinstance(self.field.widget, forms.Textarea):
            return value.replace("\r\n", "\n")
        return value

    @property
    def text_limit(self) -> TextLimit | None:
        limit = getattr(self.field, "max_length", None)
        if not isinstance(self.field, forms.CharField) or not limit or self.is_hidden:
            return None
        if not getattr(self.form, "show_text_limits", True):
            return None
        widget = self.field.widget
        is_textarea = isinstance(widget, forms.Textarea)
        if not is_textarea and getattr(widget, "input_type", None) not in TEXT_INPUT_TYPES:
            return None
        return TextLimit(limit, counted=is_textarea or limit >= COUNTED_FROM)


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with our bound fields for every form."""

    bound_field_class = LimitedTextBoundField
