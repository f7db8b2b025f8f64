from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"

    def ready(self) -> None:
        from forums.experts import expert_totals
        from members.expertise import register_expertise_scorer

        # The member directory sorts by who knows about a tag (members/expertise.py).
        register_expertise_scorer(expert_totals)
