import pytest
from django.urls import reverse

from tests.matrix import client_as
from tests.notifications.factories import NotificationFactory


@pytest.mark.parametrize(
    "model", ["notification", "communityemailpreference", "emaildelivery", "inboundmessage", "heldinboundmessage"]
)
def test_site_admin_sees_the_changelists(dora, model):
    NotificationFactory()
    response = client_as(dora).get(reverse(f"admin:notifications_{model}_changelist"))
    assert response.status_code == 200


def test_deliveries_cannot_be_added_by_hand(dora):
    assert client_as(dora).get(reverse("admin:notifications_emaildelivery_add")).status_code == 403
