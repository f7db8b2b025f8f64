"""Writes about members: eligibility, approval, profiles and erasure
(STYLE.md, "Services for writes")."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.markdown import render_markdown
from core.text import one_line
from members.eligibility import eligibility_for
from members.erasure import run_erasers
from members.models import User

PROFILE_FIELDS = [
    "display_name",
    "job_title",
    "organisation",
    "organisation_other",
    "region",
    "bio",
    "website",
    "linkedin",
    "social_handle",
    "show_email",
]


def _email_member(member: User, template: str, context: dict) -> None:
    context = {"member": member, "site_url": settings.SITE_URL, "feedback_email": settings.FEEDBACK_EMAIL, **context}
    subject = one_line(render_to_string(f"members/email/{template}_subject.txt", context))  # a header: one line
    body = render_to_string(f"members/email/{template}.txt", context)
    recipient = member.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


@transaction.atomic
def member_check_eligibility(*, member: User, email: str) -> bool:
    """Called when an address is verified: a recognised address approves a member
    awaiting approval and links them to the organisation. True if it approved them."""
    result = eligibility_for(email)
    if not result.eligible:
        return False
    update_fields = []
    if result.organisation is not None and member.organisation_id is None:
        member.organisation = result.organisation
        update_fields.append("organisation")
    approved = member.status == User.Status.PENDING
    if approved:
        member.status = User.Status.APPROVED
        update_fields.append("status")
    if update_fields:
        member.save(update_fields=update_fields)
    return approved


@transaction.atomic
def member_approve(*, member: User, by: User) -> None:
    member.status = User.Status.APPROVED
    member.rejection_reason = ""
    member.save(update_fields=["status", "rejection_reason"])
    _email_member(member, "approved", {"sign_in_url": settings.SITE_URL + reverse("account_login")})


@transaction.atomic
def member_reject(*, member: User, by: User, reason: str) -> None:
    member.status = User.Status.REJECTED
    member.rejection_reason = reason
    member.save(update_fields=["status", "rejection_reason"])
    _email_member(member, "rejected", {"reason": reason})


@transaction.atomic
def member_suspend(*, member: User, by: User) -> None:
    """Suspended members cannot sign in, and their sessions stop working
    (members.backends refuses them)."""
    member.status = User.Status.SUSPENDED
    member.save(update_fields=["status"])


@transaction.atomic
def member_reinstate(*, member: User, by: User) -> None:
    member.status = User.Status.APPROVED
    member.save(update_fields=["status"])


def _delete_file_after_commit(field_file) -> None:
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def profile_update(
    *,
    member: User,
    fields: dict,
    expertise: list[str],
    avatar: ContentFile | None = None,
    remove_avatar: bool = False,
) -> None:
    """Save the profile form: Markdown bio rendered once here, expertise tags replaced,
    and an old photo removed from storage once the new state is committed."""
    for name in PROFILE_FIELDS:
        setattr(member, name, fields[name])
    if member.organisation is not None:
        member.organisation_other = ""
    member.bio_html = render_markdown(member.bio) if member.bio.strip() else ""
    update_fields = [*PROFILE_FIELDS, "bio_html"]
    if avatar is not None or remove_avatar:
        _delete_file_after_commit(member.avatar)
        member.avatar = None
        update_fields.append("avatar")
    if avatar is not None:
        member.avatar.save(avatar.name, avatar, save=False)
    member.save(update_fields=update_fields)
    member.expertise.set(expertise)


def _leave_communities(member: User) -> None:
    # Looked up by label, as members/erasure.py does: communities is an app above this one.
    Community, Membership = apps.get_model("communities.Community"), apps.get_model("communities.Membership")
    active = Membership.objects.filter(user=member, status=Membership.Status.ACTIVE).values("community_id")
    Community.objects.filter(pk__in=active).update(member_count=Greatest(F("member_count") - 1, 0))
    Membership.objects.filter(user=member).delete()


@transaction.atomic
def member_erase(*, member: User, by: User | None = None) -> None:
    """Erase a member's personal data (UK GDPR), on their own request or by a site
    admin. Posts stay and show "Former member"; the account can never sign in again.
    What happens to each record is declared in members/erasure.py. Safe to run again:
    it finds nothing more, and the first erasure's date stays."""
    from allauth.socialaccount.models import SocialAccount

    # Locked, and read afresh, so two erasures at once run one after the other and the
    # second knows the first happened.
    member.erased_at = User.objects.select_for_update().values_list("erased_at", flat=True).get(pk=member.pk)
    run_erasers(member)
    _delete_file_after_commit(member.avatar)
    member.avatar = None
    member.expertise.clear()
    _leave_communities(member)
    EmailAddress.objects.filter(user=member).delete()
    SocialAccount.objects.filter(user=member).delete()
    placeholder = f"erased-{member.pk}"
    member.username = placeholder
    member.email = f"{placeholder}@erased.invalid"
    for name in [
        "display_name",
        "first_name",
        "last_name",
        "job_title",
        "organisation_other",
        "region",
        "bio",
        "bio_html",
        "website",
        "linkedin",
        "social_handle",
        "join_reason",
        "rejection_reason",
    ]:
        setattr(member, name, "")
    member.organisation = None
    member.show_email = False
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.erased_at = member.erased_at or timezone.now()
    member.set_unusable_password()
    member.save()
