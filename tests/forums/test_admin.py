import pytest
from django.urls import reverse

from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["thread", "post", "communityforumsettings", "threadsubscription"])
def test_site_admin_sees_forum_models_in_the_admin(model, dora, thread):
    response = client_as(dora).get(reverse(f"admin:forums_{model}_changelist"))
    assert response.status_code == 200


def test_post_admin_page_opens(dora, thread):
    post = thread.posts.get()
    assert client_as(dora).get(reverse("admin:forums_post_change", args=[post.pk])).status_code == 200
