"""Account security rules that pages share: who should turn on two-factor authentication,
and (with STAFF_REQUIRE_2FA) who must before using staff pages and moderation tools."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import ResolverMatch

SITE_ADMIN_REASON = "You are a site administrator, so your account can see and change everything on CommsNet."
FACILITATOR_REASON = "You run a community, so your account can see its members' details and moderate their posts."
REQUIRED_MESSAGE = "Turn on two-factor authentication before you use staff pages or moderation tools."

# Staff pages: the Django admin, /staff/ and /review/ (queues, logs, post and thread
# moderation), except a member's own held and hidden posts.
STAFF_ROUTES = ("staff/", "review/")
MEMBER_PAGES_IN_STAFF_ROUTES = frozenset({"my_moderated_posts"})
# Facilitators' tools elsewhere, by URL name.
FACILITATOR_PAGES = frozenset(
    {
        "community_review",
        "moderation_settings",
        "community_log",
        "community_log_csv",
        "member_moderate",
        "member_warn",
        "member_mute",
        "member_premoderate",
        "member_ban",
        "user_suspend",
        "user_reinstate",
        "community_members",
        "membership_change_role",
        "membership_remove",
        "membership_ban",
        "community_requests",
        "request_approve",
        "request_decline",
        "community_invite",
        "invitation_revoke",
        "invitation_resend",
        "community_proposals",
        "community_proposal_approve",
        "community_proposal_decline",
        "forum_settings",
        "thread_pin",
        "thread_unpin",
        "thread_lock",
        "thread_unlock",
        "community_members_csv",
        "community_settings",
        "community_access",
        "community_access_confirm",
        "community_archive",
        "community_unarchive",
        "community_health",
        "community_highlights",
        "highlights_send",
        "thread_feature",
        "thread_unfeature",
        "announcement_pin",
        "announcement_unpin",
        "community_periods",
        "community_period_new",
        "community_review_pre_election",
        "retention_rule",
        "export_list",
        "export_start",
        "export_detail",
        "export_download",
        "community_invite_send",
        "community_invite_change",
        "archive_import_list",
        "archive_import_detail",
        "archive_import_publish",
        "archive_import_resume",
        "archive_import_remove",
    }
)


def has_two_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Who else is asked to turn on two-factor: communities registers "runs a community"
# (CommunitiesConfig.ready), as core imports no app above it. Each takes a signed-in
# user and gives the reason to show them, or "".
_mfa_reasons: list[Callable[[Any], str]] = []


def register_mfa_reason(reason_for: Callable[[Any], str]) -> None:
    _mfa_reasons.append(reason_for)


def mfa_prompt_reason(user: AnonymousUser) -> str:
    """Why `user` should turn on two-factor authentication, or "" when they need not be asked:
    site admins and community facilitators or owners who have not turned it on yet."""
    if not user.is_authenticated:
        return ""
    if user.is_site_admin:
        reason = SITE_ADMIN_REASON
    else:
        reason = next((found for reason_for in _mfa_reasons if (found := reason_for(user))), "")
    if not reason:
        return ""
    return "" if has_two_factor(user) else reason


def should_prompt_for_mfa(user) -> bool:
    return bool(mfa_prompt_reason(user))


def is_staff_page(match: ResolverMatch | None) -> bool:
    """Staff pages and facilitators' tools: what STAFF_REQUIRE_2FA guards."""
    if match is None:
        return False
    if "admin" in match.namespaces:
        return True
    if match.url_name in MEMBER_PAGES_IN_STAFF_ROUTES:
        return False
    return match.route.startswith(STAFF_ROUTES) or match.url_name in FACILITATOR_PAGES


class StaffTwoFactorMiddleware:
    """With STAFF_REQUIRE_2FA, site admins and facilitators without two-factor
    authentication are sent to set it up when they open a staff page or use a
    moderation tool; everything else they may still use as members. Ordinary pages
    cost nothing: the URL is checked before the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not is_staff_page(request.resolver_match):
            return None
        return moderation_needs_two_factor(request)


def moderation_needs_two_factor(request: HttpRequest) -> HttpResponse | None:
    """The redirect to set up two-factor authentication, or None when it is not needed.
    The middleware asks it for staff pages; views that members also use (editing or
    deleting a post, its history, choosing an answer) ask it once they know the member
    is acting on someone else's post, that is, as a facilitator."""
    if not settings.STAFF_REQUIRE_2FA:
        return None
    reason = mfa_prompt_reason(request.user)
    if not reason:
        return None
    messages.warning(request, f"{REQUIRED_MESSAGE} {reason}")
    return redirect("mfa_index")
