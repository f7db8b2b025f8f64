"""core.fast_reverse gives the addresses reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from core.fast_reverse import reverse_args


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("thread_detail", (12, "how-do-we-answer-foi-requests")),
        ("post_redirect", (4411,)),
        ("community_home", ("digital-comms",)),
        ("member_profile", ("o'brien+test@example.org",)),
        ("attachment_download", (7, "Budget plan (final) 2026.pdf")),
    ],
)
def test_an_address_is_the_one_reverse_gives(name, args):
    assert reverse_args(name, *args) == reverse(name, args=args)


def test_an_address_under_a_script_prefix_keeps_the_prefix():
    set_script_prefix("/commsnet/")
    try:
        assert reverse_args("post_redirect", 5) == reverse("post_redirect", args=[5])
        assert reverse_args("post_redirect", 5).startswith("/commsnet/")
    finally:
        set_script_prefix("/")
