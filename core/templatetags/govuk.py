"""Render Django form fields with GOV.UK Frontend markup."""

from django import template

register = template.Library()

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}
CHOICE_WIDGETS = {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}


@register.filter
def choice_style(field) -> str:
    """'radios' or 'checkboxes' for fields rendered as a list of choices, else ''."""
    return CHOICE_WIDGETS.get(field.widget_type, "")


@register.simple_tag
def govuk_widget(field, extra_class: str = ""):
    css = WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    classes = [css]
    if field.errors and css in ERROR_CLASSES:
        classes.append(ERROR_CLASSES[css])
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    if extra_class:
        classes.append(extra_class)
    limit = getattr(field, "text_limit", None)
    if limit and limit.counted:
        classes.append("govuk-js-character-count")
    described_by = []
    if field.help_text or (limit and not limit.counted):
        described_by.append(f"{field.auto_id}-hint")
    if limit and limit.counted:
        described_by.append(f"{field.auto_id}-info")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    # GOV.UK uses labels and hints, never placeholders (allauth's forms set some). No
    # `maxlength` either: browsers cut pasted text without a word; the hint or character
    # count says the limit instead (core/text_limits.py).
    attrs = {"class": " ".join(classes), "placeholder": False, "maxlength": False}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def page_links(context, page_obj) -> dict:
    """The pagination's links, each keeping the other query-string parameters: previous,
    next, and the page numbers around the current page (None for an ellipsis). One copy
    of the query string serves them all (the querystring tag copies it per link)."""
    query = context["request"].GET.copy()

    def url(number: int) -> str:
        query["page"] = number
        return f"?{query.urlencode()}"

    paginator = page_obj.paginator
    numbers = paginator.get_elided_page_range(page_obj.number)
    return {
        "previous": url(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next": url(page_obj.next_page_number()) if page_obj.has_next() else None,
        "pages": [(number, None if number == paginator.ELLIPSIS else url(number)) for number in numbers],
    }
