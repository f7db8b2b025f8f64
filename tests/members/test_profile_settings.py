"""Your account hub and editing your profile (text fields, expertise, photo)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from PIL import Image

from members.models import Organisation
from tests.members.factories import OrganisationFactory, image_upload
from tests.upload_bombs import png_bomb

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Bob Member",
    "job_title": "Senior press officer",
    "organisation": "",
    "organisation_other": "Kent Fire and Rescue",
    "region": "South East",
    "bio": "I do **media** <script>alert(1)</script>",
    "expertise": "crisis communications, social media",
    "website": "https://bob.example.org",
    "linkedin": "https://www.linkedin.com/in/bob",
    "social_handle": "@bob@mastodon.social",
    "show_email": "on",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_account_hub_links_to_every_account_page(client, bob):
    client.force_login(bob)
    response = client.get(reverse("profile_settings"))
    body = response.content.decode()
    assert response.status_code == 200
    for name in ["profile_edit", "data_settings", "account_change_password", "account_email", "mfa_index"]:
        assert f'href="{reverse(name)}"' in body
    assert f'href="{reverse("member_profile", args=["bob"])}"' in body


def test_account_hub_links_to_email_settings_once_that_page_exists(client, bob):
    try:
        email_settings = reverse("email_settings")
    except NoReverseMatch:
        pytest.skip("email settings are not built yet")
    client.force_login(bob)
    assert f'href="{email_settings}"' in client.get(reverse("profile_settings")).content.decode()


def test_account_hub_needs_sign_in(client):
    response = client.get(reverse("profile_settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_account_hub_wrong_method_is_405(client, bob):
    client.force_login(bob)
    assert client.post(reverse("profile_settings")).status_code == 405


def test_edit_form_comes_filled_in(client, bob):
    bob.job_title = "Press officer"
    bob.save()
    client.force_login(bob)
    response = client.get(reverse("profile_edit"))
    assert response.status_code == 200
    assert 'value="Press officer"' in response.content.decode()


def test_member_saves_their_profile(client, bob):
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), PROFILE)
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.job_title == "Senior press officer"
    assert bob.organisation_name == "Kent Fire and Rescue"
    assert bob.region == "South East"
    assert bob.show_email is True
    assert sorted(bob.expertise.names()) == ["crisis communications", "social media"]
    assert "<strong>media</strong>" in bob.bio_html
    assert "<script" not in bob.bio_html


def test_choosing_an_organisation_clears_the_free_text(client, bob):
    organisation = OrganisationFactory(name="Kent County Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    client.force_login(bob)
    client.post(reverse("profile_edit"), {**PROFILE, "organisation": organisation.pk, "organisation_other": ""})
    bob.refresh_from_db()
    assert bob.organisation == organisation
    assert bob.organisation_name == "Kent County Council"


def test_organisation_from_the_list_and_free_text_together_is_an_error(client, bob):
    organisation = OrganisationFactory()
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), {**PROFILE, "organisation": organisation.pk})
    assert response.status_code == 200
    assert "Leave this empty" in response.content.decode()


def test_invalid_fields_come_back_with_errors_and_what_was_typed(client, bob):
    client.force_login(bob)
    data = {
        **PROFILE,
        "linkedin": "https://evil.example.com/in/bob",
        "social_handle": "not a handle!",
        "display_name": "",
    }
    response = client.post(reverse("profile_edit"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a LinkedIn address" in body
    assert "Enter a handle like" in body
    assert 'value="Senior press officer"' in body
    bob.refresh_from_db()
    assert bob.job_title == ""


def test_javascript_website_is_refused(client, bob):
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), {**PROFILE, "website": "javascript:alert(1)"})
    assert response.status_code == 200
    bob.refresh_from_db()
    assert bob.website == ""


def test_photo_upload_is_resized_to_a_square_jpeg(client, bob, media_root):
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": image_upload(size=(800, 500))})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.avatar.name.startswith("avatars/")
    with Image.open(media_root / bob.avatar.name) as stored:
        assert stored.size == (256, 256)
        assert stored.format == "JPEG"


def test_a_file_that_is_not_an_image_is_refused(client, bob):
    client.force_login(bob)
    fake = SimpleUploadedFile("me.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": fake})
    assert response.status_code == 200
    assert "must be a photo" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.avatar


def test_a_photo_over_2mb_is_refused(client, bob):
    client.force_login(bob)
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), content_type="image/png")
    response = client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": big})
    assert response.status_code == 200
    assert "smaller than 2MB" in response.content.decode()


def test_replacing_or_removing_a_photo_deletes_the_old_file(
    client, bob, media_root, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": image_upload()})
    bob.refresh_from_db()
    first = media_root / bob.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": image_upload("two.gif", image_format="GIF")})
    bob.refresh_from_db()
    second = media_root / bob.avatar.name
    assert not first.exists()
    assert second.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("profile_edit"), {**PROFILE, "remove_avatar": "on"})
    bob.refresh_from_db()
    assert not bob.avatar
    assert not second.exists()


def test_edit_needs_sign_in(client):
    response = client.post(reverse("profile_edit"), PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_edit_wrong_method_is_405(client, bob):
    client.force_login(bob)
    assert client.put(reverse("profile_edit")).status_code == 405


def test_a_small_file_with_huge_dimensions_is_refused_before_decoding(client, bob):
    from io import BytesIO

    buffer = BytesIO()
    Image.new("1", (7000, 7000)).save(buffer, format="PNG")
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": bomb})
    assert response.status_code == 200
    assert "The photo is too large" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.avatar


def test_a_photo_whose_size_pillow_calls_a_bomb_is_refused_as_too_large(client, bob):
    bomb = SimpleUploadedFile("bomb.png", png_bomb(20000, 20000), content_type="image/png")  # 400 megapixels
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": bomb})
    assert response.status_code == 200
    assert "The photo is too large" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.avatar


def test_a_large_jpeg_photo_is_made_into_a_square(client, bob, media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "orange").save(buffer, format="JPEG")
    photo = SimpleUploadedFile("camera.jpg", buffer.getvalue(), content_type="image/jpeg")
    client.force_login(bob)
    assert client.post(reverse("profile_edit"), {**PROFILE, "avatar_upload": photo}).status_code == 302
    bob.refresh_from_db()
    with Image.open(media_root / bob.avatar.name) as stored:
        assert stored.size == (256, 256)


def test_an_area_of_expertise_over_100_characters_is_refused_and_kept(client, bob):
    client.force_login(bob)
    payload = "<img/src/onerror=alert(1)>" + "x" * 80
    typed = f"social media, {payload}"
    response = client.post(reverse("profile_edit"), {**PROFILE, "expertise": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert "keep each area of expertise to 100 characters or fewer" in body
    assert escape(typed) in body
    assert "<img/src" not in body
    assert list(bob.expertise.names()) == []


def test_an_area_of_expertise_of_exactly_100_characters_is_saved(client, bob):
    client.force_login(bob)
    response = client.post(reverse("profile_edit"), {**PROFILE, "expertise": "a" * 100})
    assert response.status_code == 302
    assert list(bob.expertise.names()) == ["a" * 100]


def test_names_sent_with_line_breaks_are_saved_on_one_line(client, bob):
    client.force_login(bob)
    data = {
        **PROFILE,
        "display_name": "Bob\r\nMember",
        "job_title": "Press\nofficer",
        "organisation_other": "Kent\r\nFire",
    }
    response = client.post(reverse("profile_edit"), data)
    bob.refresh_from_db()
    assert response.status_code == 302
    assert (bob.display_name, bob.job_title, bob.organisation_other) == ("Bob Member", "Press officer", "Kent Fire")


def test_areas_of_expertise_sent_with_line_breaks_are_saved_on_one_line(client, bob):
    client.force_login(bob)
    client.post(reverse("profile_edit"), {**PROFILE, "expertise": "crisis\r\ncomms, media"})
    assert sorted(bob.expertise.names()) == ["crisis comms", "media"]
