"""Erasing a member: their exports and the files go; rules they set stay, pointing at
the erased account; the moderation log keeps that a private community was exported."""

import pytest
from django.core.files.base import ContentFile

from members.services import member_erase
from moderation.models import ModerationAction
from records.exports import export_request
from records.models import CommunityExport, RetentionRule
from records.retention import retention_rule_set

pytestmark = pytest.mark.django_db


def test_erasing_a_member_deletes_their_exports_and_files(
    community, owner, dora, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    export = export_request(community=community, actor=owner)
    export.file.save("press.zip", ContentFile(b"zip"), save=True)
    stored = tmp_path / export.file.name
    retention_rule_set(community=community, actor=owner, archive_after_years=3, delete_after_years=None)
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=owner, by=dora)
    assert not CommunityExport.objects.exists()
    assert not stored.exists()
    assert RetentionRule.objects.get(community=community).updated_by_id == owner.pk
    assert ModerationAction.objects.filter(action="community_export", community=community).exists()
