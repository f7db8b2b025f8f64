"""Factories and helpers for members' own tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import OrganisationDomainFactory, OrganisationFactory, UserFactory

__all__ = [
    "OrganisationDomainFactory",
    "OrganisationFactory",
    "UserFactory",
    "image_upload",
    "organisation_with_domain",
]


def organisation_with_domain(domain: str, **kwargs):
    organisation = OrganisationFactory(**kwargs)
    OrganisationDomainFactory(organisation=organisation, domain=domain)
    return organisation


def image_upload(name: str = "me.png", size: tuple[int, int] = (600, 400), image_format: str = "PNG"):
    buffer = BytesIO()
    Image.new("RGB", size, (29, 112, 184)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
