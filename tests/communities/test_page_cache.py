"""What a kept page is kept under (communities.page_cache): the path and the query
parameters asked for, whatever their order."""

import pytest
from django.test import RequestFactory

from communities.page_cache import cached_for_viewer

pytestmark = pytest.mark.django_db


def render_each(paths: list[str]) -> list[str]:
    """What rendering each path gives, and a note of every rendering done."""
    rendered = []

    def render_for(path):
        def render():
            rendered.append(path)
            return f"rendered for {path}"

        return render

    for path in paths:
        request = RequestFactory().get(path)
        cached_for_viewer(request, "test-page", render_for(path), params=["q", "page"], version="1", viewer="bob")
    return rendered


def test_the_same_parameters_in_another_order_are_kept_once():
    assert render_each(["/search/?q=flood&page=2", "/search/?page=2&q=flood"]) == ["/search/?q=flood&page=2"]


@pytest.mark.parametrize(
    "second",
    ["/search/?q=flood&page=3", "/elsewhere/?q=flood&page=2", "/search/?q=flood&q=storm&page=2"],
    ids=["another value", "another path", "a parameter repeated"],
)
def test_another_value_path_or_repeat_is_kept_apart(second):
    assert render_each(["/search/?q=flood&page=2", second]) == ["/search/?q=flood&page=2", second]
