"""The permission matrix for the records pages: every role × every visibility ×
retention and export surfaces. Facilitators see the retention rule; owners and site
admins change it and export; an export is only ever its requester's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from records.models import CommunityExport, RetentionRule
from tests.matrix import CAN_EXPORT, CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db


def _signed_in_first(allowed: set[str], granted):
    def expect(role: str, visibility: str):
        if role == "anonymous":
            return "login"
        if role not in CAN_READ[visibility]:
            return 404
        return granted if role in allowed else 403

    return expect


def _ready_export(community, user) -> CommunityExport:
    export = CommunityExport(
        community=community,
        requested_by=user,
        status=CommunityExport.Status.READY,
        expires_at=timezone.now() + timedelta(days=7),
    )
    export.file.save("matrix.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    return export


def _export_of(scene, role):
    """The acting person's own export if they have one, else the owner's."""
    user = scene["cast"][role]
    return scene["exports"].get(user.pk if user else None, scene["exports"][scene["cast"]["owner"].pk])


def _url(name, export=False):
    def build(scene, role):
        kwargs = {"slug": scene["community"].slug}
        if export:
            kwargs["pk"] = _export_of(scene, role).pk
        return reverse(name, kwargs=kwargs)

    return build


def _rule(scene, role):
    return RetentionRule.objects.filter(community=scene["community"]).values_list("archive_after_years").first()


def _export_count(scene, role):
    return CommunityExport.objects.filter(community=scene["community"]).count()


# (name, method, url, data, state, expect)
SURFACES = [
    ("retention page", "get", _url("retention_rule"), {}, None, _signed_in_first(CAN_MODERATE, "ok")),
    (
        "change retention rule",
        "post",
        _url("retention_rule"),
        {"archive_after_years": "3", "delete_after_years": "2"},
        _rule,
        _signed_in_first(CAN_EXPORT, "done"),
    ),
    ("exports page", "get", _url("export_list"), {}, None, _signed_in_first(CAN_EXPORT, "ok")),
    ("start export", "post", _url("export_start"), {}, _export_count, _signed_in_first(CAN_EXPORT, "done")),
    ("export progress", "get", _url("export_detail", export=True), {}, None, _signed_in_first(CAN_EXPORT, "ok")),
    ("export download", "get", _url("export_download", export=True), {}, None, _signed_in_first(CAN_EXPORT, "ok")),
]


def observe(method, url, data, client):
    response = getattr(client, method)(url, data)
    if response.status_code == 302 and reverse("account_login") in response.url:
        return "login"
    if response.status_code in (403, 404, 405):
        return response.status_code
    return "ok" if response.status_code == 200 else response.status_code


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s[0])
def test_every_role_gets_exactly_what_the_policy_allows(surface, visibility, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name, method, url, data, state, expect = surface
    community, cast = community_with_cast(visibility)
    exports = {cast[role].pk: _ready_export(community, cast[role]) for role in ("owner", "site_admin")}
    scene = {"community": community, "cast": cast, "exports": exports}
    clients = {role: client_as(cast[role]) for role in ROLES}
    actual, expected = {}, {}
    for role in ROLES:
        with transaction.atomic():
            before = state(scene, role) if state else None
            seen = observe(method, url(scene, role), data, clients[role])
            if method == "post":
                changed = state(scene, role) != before
                seen = (
                    ("done" if changed else "kept")
                    if seen in ("ok", 302)
                    else (f"{seen} but changed" if changed else seen)
                )
            actual[role] = seen
            transaction.set_rollback(True)
        expected[role] = expect(role, visibility)
    assert actual == expected
