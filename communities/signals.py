"""Forget what a request memoised about who may see what when that changes."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from communities.models import Community, Membership
from core.request_memo import forget_all


def _forget(**kwargs) -> None:
    forget_all()


for model in (Community, Membership, settings.AUTH_USER_MODEL):
    post_save.connect(_forget, sender=model, dispatch_uid=f"forget-access-on-save-{model}")
    post_delete.connect(_forget, sender=model, dispatch_uid=f"forget-access-on-delete-{model}")
