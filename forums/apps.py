from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"

    def ready(self) -> None:
        from forums.experts import expert_totals
        from forums.profile_activity import profile_activity
        from members.expertise import register_expertise_scorer
        from members.selectors import register_profile_activity

        # The member directory sorts by who knows about a tag (members/expertise.py).
        register_expertise_scorer(expert_totals)
        # A profile lists the member's communities, threads and replies.
        register_profile_activity(profile_activity)
