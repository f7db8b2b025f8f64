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
