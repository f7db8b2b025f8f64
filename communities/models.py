import re
from typing import NamedTuple

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from taggit.managers import TaggableManager

from core.fast_reverse import reverse_args
from core.request_memo import memoised
from core.sql_rows import RowPart


class CommunityAccess(NamedTuple):
    """Which communities' content a user may read and, of those, which they moderate.
    For site admins `readable` is None: they read and moderate everything.
    `membership_rows`: the approved user's membership row (or None) for every live
    community, which came with the same query; None when that was not asked.
    `reads_private`: whether any of `readable` is a private community (for site
    admins, always), so pages made for them may hold private content."""

    readable: frozenset[int] | None
    moderated: frozenset[int]
    membership_rows: dict[int, tuple | None] | None = None
    reads_private: bool = False

    def knows_membership(self, community_id: int) -> bool:
        return self.membership_rows is not None and community_id in self.membership_rows

    def membership(self, community_id: int) -> "Membership | None":
        """The membership in a community this knows about (see knows_membership)."""
        row = self.membership_rows[community_id]
        return None if row is None else MEMBERSHIP_PART.instance(row)


def community_access(user) -> CommunityAccess:
    """The read and moderate rule for every community at once: one query, once per
    request. permissions.can_view_community and can_moderate answer it for a single
    community; both read through readable_by (tests/communities/test_visibility.py
    checks that the two agree)."""
    if user.is_authenticated and user.is_site_admin:
        return CommunityAccess(readable=None, moderated=frozenset(), reads_private=True)
    return memoised(("community_access", user.pk), lambda: _community_access(user))


def readable_by(user, visibility: str, membership_status: str | None) -> bool:
    """The read rule for a live community's content, given the user's membership status
    there (None: no membership). community_access and permissions.can_view_community
    both use it."""
    if visibility == Community.Visibility.PUBLIC:
        return True
    if not (user.is_authenticated and user.is_approved):
        return False
    if visibility == Community.Visibility.MEMBERS_ONLY:
        return membership_status != Membership.Status.BANNED
    return membership_status == Membership.Status.ACTIVE


def _community_access(user) -> CommunityAccess:
    # Communities whose content can be read: active ones, and archived ones (read-only).
    live_statuses = (Community.Status.ACTIVE, Community.Status.ARCHIVED)
    if not (user.is_authenticated and user.is_approved):
        # Every visitor's page asks this: in SQL too, for the same reason as below. With
        # no membership to look at, the visibilities they may read come from readable_by.
        visibilities = [value for value in Community.Visibility.values if readable_by(user, value, None)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Community._meta.db_table} WHERE status = ANY(%s) AND visibility = ANY(%s)",  # noqa: S608 - the model's table
                [list(live_statuses), visibilities],
            )
            public = [row[0] for row in cursor.fetchall()]
        return CommunityAccess(readable=frozenset(public), moderated=frozenset())
    # Every live community with the user's membership of it, if any: one join. In SQL,
    # because it runs on every signed-in page and the ORM took longer to build it than
    # PostgreSQL takes to answer it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT community.id, community.visibility, {MEMBERSHIP_PART.select}
            FROM communities_community community
            LEFT JOIN communities_membership mine ON mine.community_id = community.id AND mine.user_id = %s
            WHERE community.status = ANY(%s)
            """,  # noqa: S608 - column names from the model, values as parameters
            [user.pk, list(live_statuses)],
        )
        rows = cursor.fetchall()
    readable, moderated, membership_rows, reads_private = set(), set(), {}, False
    for pk, visibility, *membership in rows:
        membership_rows[pk] = tuple(membership) if membership[0] is not None else None
        status, role = membership[MEMBERSHIP_STATUS_AT], membership[MEMBERSHIP_ROLE_AT]
        if readable_by(user, visibility, status):
            readable.add(pk)
            reads_private = reads_private or visibility == Community.Visibility.PRIVATE
            if status == Membership.Status.ACTIVE and role in Membership.MODERATOR_ROLES:
                moderated.add(pk)
    return CommunityAccess(frozenset(readable), frozenset(moderated), membership_rows, reads_private)


def site_content_version() -> str:
    """Moves on whenever anything any page shows changes: every thread, post, tag,
    membership and rename moves some community's content_version on (PostgreSQL
    triggers, forums/migrations/0003). One small query, once per request, in plain SQL:
    the ORM took longer to build it than PostgreSQL took to answer it."""

    def compute() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT SUM(content_version), COUNT(*), MAX(id) FROM {Community._meta.db_table}"  # noqa: S608 - the model's table
            )
            total, count, last = cursor.fetchone()
        return f"{total}-{count}-{last}"

    return memoised(("site_content_version",), compute)


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommunityQuerySet":
        """Communities whose content `user` may read (the rule: community_access)."""
        readable = community_access(user).readable
        return self.all() if readable is None else self.filter(pk__in=readable)


class Community(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read"
        MEMBERS_ONLY = "members_only", "Members only: any signed-in CommsNet member can read"
        PRIVATE = "private", "Private: only members of this community can read"

    class JoinPolicy(models.TextChoices):
        OPEN = "open", "Open: anyone can join"
        REQUEST = "request", "By request: facilitators approve"
        INVITE = "invite", "By invitation only"

    class Announcers(models.TextChoices):
        MEMBERS = "members", "Any member"
        FACILITATORS = "facilitators", "Facilitators and owners"
        OWNERS = "owners", "Owners only"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"
        DECLINED = "declined", "Declined"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False)
    guidelines = models.TextField(blank=True)
    guidelines_html = models.TextField(blank=True, editable=False)
    # Shown to each new member when they join and in their first email from the community.
    welcome_message = models.TextField(blank=True)
    welcome_message_html = models.TextField(blank=True, editable=False)
    # Whether <slug>@POST_DOMAIN accepts new threads by email.
    posting_address_enabled = models.BooleanField(default=True)
    announcements_by = models.CharField(max_length=20, choices=Announcers.choices, default=Announcers.FACILITATORS)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    join_policy = models.CharField(max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Denormalised figures for the directory, kept current with F() by the services.
    member_count = models.PositiveIntegerField(default=0)
    thread_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Why a site admin declined a proposal (emailed to the proposer, shown to them).
    decision_reason = models.TextField(blank=True)
    # Moves on whenever anything its pages show changes: its own row, its threads, their
    # tags, its memberships, its members' names. Kept by PostgreSQL triggers
    # (forums/migrations/0003_content_versions.py); cached pages are keyed by it.
    content_version = models.BigIntegerField(db_default=0, editable=False)

    topics = TaggableManager(blank=True, help_text="Topics, separated by commas.")

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "communities"
        ordering = ["name"]
        indexes = [
            # The directory's "sort by activity".
            models.Index(fields=["status", "-last_activity_at"], name="community_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def get_absolute_url(self) -> str:
        return reverse_args("community_home", self.slug)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        FACILITATOR = "facilitator", "Facilitator"
        OWNER = "owner", "Owner"

    # The roles that moderate a community (as active members).
    MODERATOR_ROLES = (Role.FACILITATOR, Role.OWNER)

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PENDING = "pending", "Asked to join"
        INVITED = "invited", "Invited"
        BANNED = "banned", "Banned"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    # When the community's welcome message went out in an email to them (it goes once).
    welcome_emailed_at = models.DateTimeField(null=True, blank=True)
    # Shown to facilitators on the member list; a banned member keeps this row so they cannot rejoin.
    ban_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_user_per_community"),
        ]
        indexes = [
            # "Your communities" and every permission check: a user's memberships by status.
            models.Index(fields=["user", "status"], name="membership_user_status_idx"),
            # A community's member list and its facilitators.
            models.Index(fields=["community", "status", "role"], name="membership_community_idx"),
            # Community health: who joined each community when (forums.health).
            models.Index(fields=["community", "joined_at"], name="membership_joined_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role in self.MODERATOR_ROLES


# The columns of a membership row that community_access reads: what the rules look at.
# The dates stay behind (deferred: loaded on first use): the query runs on every
# signed-in page, for every community, and turning two timestamps a membership into
# datetimes took longer than the rest of the query.
MEMBERSHIP_PART = RowPart(Membership, "mine", leave_out=["created_at", "joined_at", "welcome_emailed_at"])
# Where the rules' two columns sit in that row, worked out once rather than on every page.
MEMBERSHIP_STATUS_AT, MEMBERSHIP_ROLE_AT = (
    [field.name for field in MEMBERSHIP_PART.fields].index(name) for name in ("status", "role")
)


def natural_name(name: str) -> str:
    """The name as people say it: Outlook's "Smith, Jane (DHSC)" becomes "Jane Smith
    (DHSC)". Quotes are dropped, and so is a "name" that is really an address."""
    name = " ".join(name.split()).strip("'\"‘’ ")
    if "@" in name:
        return ""
    last_first = re.fullmatch(r"([^,()]+),\s*([^,()]+?)\s*(\([^()]*\))?", name)
    if last_first:
        last, first, suffix = last_first.groups()
        name = " ".join(filter(None, [first.strip(), last.strip(), suffix]))
    return name


class InvitationQuerySet(models.QuerySet):
    def outstanding(self) -> "InvitationQuerySet":
        """Pending and not yet expired: the ones a link can still accept."""
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation sent to an email address. Only a hash of the link's token is
    stored, so a copy of the database cannot be used to accept invitations."""

    VALID_FOR_DAYS = 14

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Withdrawn"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account the invitation is for (known at invite time) or that accepted it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # Inviting an address twice resends rather than piling up links.
            models.UniqueConstraint(
                fields=["community", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_address",
            ),
        ]
        indexes = [
            # The invite page's list of a community's invitations, newest first.
            models.Index(fields=["community", "status", "-sent_at"], name="invitation_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.community}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def greeting_name(self) -> str:
        """For "Hello …": the natural name without an organisation in brackets."""
        return re.sub(r"\s*\([^()]*\)$", "", natural_name(self.name))
