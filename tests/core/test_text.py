"""Single-line text: the helper and form field every name and title that may reach an
email header goes through."""

from django import forms

from core.text import SingleLineField, one_line


def test_one_line_makes_line_breaks_and_runs_of_spaces_single_spaces():
    assert one_line("  Press\r\nBcc: all@example.org \t office ") == "Press Bcc: all@example.org office"


class NameForm(forms.Form):
    name = SingleLineField(max_length=100)


def test_single_line_field_cleans_line_breaks_a_browser_would_never_send():
    form = NameForm({"name": "Crisis comms\r\nBcc: everyone@example.org"})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Crisis comms Bcc: everyone@example.org"


def test_single_line_field_still_requires_something_other_than_line_breaks():
    form = NameForm({"name": "\r\n\t"})
    assert not form.is_valid()
