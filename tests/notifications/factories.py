import factory

from notifications.models import CommunityEmailPreference, Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.JOIN_DECIDED
    text = factory.Sequence(lambda n: f"Your request to join Community {n} was approved")
    url = "/communities/"


def set_mode(user, community, mode: str) -> CommunityEmailPreference:
    pref, _ = CommunityEmailPreference.objects.update_or_create(
        user=user, community=community, defaults={"mode": mode}
    )
    return pref


def email_to(outbox, user):
    return [message for message in outbox if user.email in message.to]
