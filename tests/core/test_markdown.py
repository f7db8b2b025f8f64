"""Images in what members write: our own uploads and allowed hosts stay images; any
other image becomes a link, so its host cannot log who reads a thread."""

import pytest

from core.markdown import render_markdown, sanitise_html
from core.models import AllowedImageHost

REMOTE = "![Flood map](https://tracker.example.com/map.png)"


@pytest.mark.django_db
def test_a_remote_image_becomes_a_link_named_by_its_alt_text():
    html = render_markdown(REMOTE)
    assert "<img" not in html
    assert '<a href="https://tracker.example.com/map.png" rel="nofollow ugc noopener">Flood map</a>' in html


def test_an_uploaded_image_stays_an_image():
    html = render_markdown("![Chart](/media/uploads/chart.png)")
    assert '<img alt="Chart" src="/media/uploads/chart.png">' in html


@pytest.mark.django_db
def test_an_image_from_a_host_site_admins_allow_stays_an_image():
    AllowedImageHost.objects.create(host="Images.Example.gov.uk")
    html = render_markdown("![Logo](https://images.example.gov.uk/logo.png)")
    assert '<img alt="Logo" src="https://images.example.gov.uk/logo.png">' in html


@pytest.mark.django_db
def test_an_allowed_host_over_plain_http_is_still_a_link():
    AllowedImageHost.objects.create(host="images.example.gov.uk")
    html = render_markdown("![Logo](http://images.example.gov.uk/logo.png)")
    assert "<img" not in html
    assert '<a href="http://images.example.gov.uk/logo.png"' in html


def test_a_remote_image_inside_a_link_leaves_just_its_words():
    html = sanitise_html(
        '<a href="https://example.org">see <img src="https://t.example/p.png" alt="map"></a>', image_hosts=()
    )
    assert html == '<a href="https://example.org" rel="nofollow ugc noopener">see map</a>'


def test_a_raw_html_image_with_a_script_in_its_alt_text_is_an_escaped_link():
    html = sanitise_html(
        '<img src="https://t.example/p.png" alt="<script>x</script>" onerror="alert(1)">', image_hosts=()
    )
    assert html == '<a href="https://t.example/p.png" rel="nofollow ugc noopener">&lt;script&gt;x&lt;/script&gt;</a>'


def test_an_image_with_no_alt_text_is_named_by_its_address():
    html = sanitise_html('<img src="https://t.example/p.png">', image_hosts=())
    assert html == '<a href="https://t.example/p.png" rel="nofollow ugc noopener">https://t.example/p.png</a>'


def test_a_path_climbing_out_of_the_uploads_is_not_an_upload():
    html = sanitise_html('<img src="/media/../accounts/logout/" alt="x">', image_hosts=())
    assert html == "x"


def test_cleaning_the_cleaned_html_again_changes_nothing():
    html = sanitise_html(
        '<p><img src="https://t.example/p.png" alt="a"> <img src="/media/b.png" alt="b"></p>', image_hosts=()
    )
    assert sanitise_html(html, image_hosts=()) == html


def test_an_encoded_path_climbing_out_of_the_uploads_is_not_an_upload():
    html = sanitise_html('<img src="/media/%2e%2e/accounts/logout/" alt="x">', image_hosts=())
    assert html == "x"
