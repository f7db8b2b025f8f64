"""The "Start from an email chain" form (notifications.views_chain)."""

from __future__ import annotations

from django import forms

from notifications.chain_services import MAX_PASTE


class ChainPasteForm(forms.Form):
    chain = forms.CharField(
        label="The email chain",
        help_text=(
            "Open the newest email in the chain, select everything from its From line to the end of the "
            "oldest email, and paste it here. Keep each email’s From, Sent (or Date) and Subject lines."
        ),
        max_length=MAX_PASTE,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        error_messages={
            "required": "Paste the email chain",
            "max_length": f"The email chain must be {MAX_PASTE:,} characters or fewer. Paste a shorter part of it",
        },
    )
