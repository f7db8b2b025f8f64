"""A photo uploaded in the Django admin goes through the same checks as the profile page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.admin import MemberChangeForm
from tests.members.factories import image_upload
from tests.upload_bombs import png_bomb

pytestmark = pytest.mark.django_db


def cleaned_avatar(member, upload):
    form = MemberChangeForm(instance=member)
    form.cleaned_data = {"avatar": upload}
    return form.clean_avatar()


def test_admin_photo_is_remade_as_a_square_jpeg(bob):
    assert cleaned_avatar(bob, image_upload(size=(800, 500))).name.endswith(".jpg")


def test_admin_photo_over_the_pixel_limit_is_refused(bob):
    with pytest.raises(ValidationError, match="The photo is too large"):
        cleaned_avatar(bob, SimpleUploadedFile("bomb.png", png_bomb(8000, 8000), content_type="image/png"))
