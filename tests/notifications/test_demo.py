from communities.demo import seed_communities
from members.demo import seed_members
from notifications.demo import seed_notifications
from notifications.models import CommunityEmailPreference


def test_demo_email_choices_are_set_once(db):
    people = seed_members()
    communities = seed_communities(people)
    seed_notifications(people, communities)
    seed_notifications(people, communities)
    modes = dict(CommunityEmailPreference.objects.filter(user=people["marcus"]).values_list("community__slug", "mode"))
    assert "every_post" in modes.values()
    assert CommunityEmailPreference.objects.filter(user=people["priya"]).count() == 2
