"""The Django admin's community pages."""

import pytest

from communities.models import Community
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_site_admins_editing_a_community_in_the_admin_keep_its_name_on_one_line(client, dora):
    community = CommunityFactory(name="Press office")
    client.force_login(dora)
    form = client.get(f"/admin/communities/community/{community.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(name="Press\r\noffice", created_by="")
    response = client.post(f"/admin/communities/community/{community.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Community.objects.get(pk=community.pk).name == "Press office"
