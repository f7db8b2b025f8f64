"""Latest: every thread a reader may see, across communities, with filters in the address.
The page (forums.latest_views) and the Latest feed (feeds) both read it from here."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.text import slugify

from communities.models import MEMBERSHIP_STATUS_AT, Community, Membership, community_access
from communities.page_cache import cache_key_for
from core.filter_fields import list_choice
from forums.models import Thread

SORTS = {"activity": ("-last_activity_at", "-pk"), "newest": ("-created_at", "-pk")}
SORT_CHOICES = [("activity", "Latest activity"), ("newest", "Newest threads")]
MINE = "mine"


def organisation_likeness(user) -> tuple[str, str] | None:
    """(organisation type, region) that "organisations like mine" matches for `user`,
    or None if they have no listed organisation. The region is the organisation's, or
    the member's own when the organisation has none (national bodies)."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    organisation = user.organisation
    return organisation.kind, organisation.region or user.region


class LatestForm(forms.Form):
    """Latest's filters, from the query string (STYLE.md habit 8)."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose latest activity or newest threads"},
    )
    communities = list_choice(
        "Communities",
        [("", "Every community you can read"), (MINE, "Only communities you belong to")],
        naming="which communities",
    )
    community = list_choice("Community", naming="a community")  # choices: the reader's own
    kind = list_choice("Type", [("", "Any type"), *Thread.Kind.choices], naming="a type")
    tag = forms.CharField(
        label="Tag",
        required=False,
        max_length=100,
        error_messages={"max_length": "Tag must be 100 characters or fewer"},
    )
    unanswered = forms.BooleanField(label="Unanswered questions only", required=False)
    like_mine = forms.BooleanField(
        label="Organisations like mine",
        required=False,
        help_text="Threads started by people at the same type of organisation as yours, in the same region",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.communities = {c.slug: c for c in Community.objects.visible_to(user).only("pk", "name", "slug")}
        choices = sorted(((slug, c.name) for slug, c in self.communities.items()), key=lambda item: item[1])
        self.fields["community"].choices = [("", "All communities"), *choices]
        if not user.is_authenticated:
            # A visitor belongs nowhere and has no organisation.
            del self.fields["communities"]
            del self.fields["like_mine"]

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "activity"

    def clean_community(self) -> Community | None:
        slug = self.cleaned_data["community"]
        return self.communities.get(slug) if slug else None

    def clean_tag(self) -> str:
        # A tag as shown ("Social media policy") or as in a link ("social-media-policy").
        tag = self.cleaned_data["tag"]
        slug = slugify(tag, allow_unicode=True)  # as taggit makes tag slugs
        if tag.strip() and not slug:
            raise forms.ValidationError("Enter a tag using letters or numbers")
        return slug

    def clean_like_mine(self) -> tuple[str, str] | None:
        if not self.cleaned_data["like_mine"]:
            return None
        likeness = organisation_likeness(self.user)
        if likeness is None:
            raise forms.ValidationError(
                "Add your organisation to your profile to see threads from organisations like yours"
            )
        return likeness

    def filters(self) -> dict:
        """The filters that are valid (a wrong one is shown with its error and left out)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {
            "sort": data.get("sort") or "activity",
            "mine": data.get("communities") == MINE,
            "community": data.get("community"),
            "kind": data.get("kind") or "",
            "tag": data.get("tag") or "",
            "unanswered": bool(data.get("unanswered")),
            "like_mine": data.get("like_mine"),
        }

    def render_key(self) -> str:
        """Stands for the filters' HTML: what they offer this reader, what was asked and
        what was wrong with it. The page keeps the HTML under it: rendering the fields
        cost more than the rest of the page."""
        asked = sorted((name, self.data.get(name)) for name in self.fields if name in self.data)
        errors = self.errors.get_json_data() if self.is_bound else None
        return cache_key_for([self.fields["community"].choices, sorted(self.fields), asked, errors])

    def has_filters(self) -> bool:
        return self.is_bound and any(str(self.data.get(name) or "").strip() for name in self.fields if name != "sort")


def member_community_ids(user) -> frozenset[int]:
    """Live communities `user` is an active member of (from the access rule's own query)."""
    access = community_access(user)
    rows = access.membership_rows
    if rows is None:  # site admins: their memberships are not part of the rule
        mine = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list("community_id")
        return frozenset(pk for (pk,) in mine)
    active = Membership.Status.ACTIVE
    return frozenset(pk for pk, row in rows.items() if row is not None and row[MEMBERSHIP_STATUS_AT] == active)


def latest_threads(user, filters: dict) -> QuerySet[Thread]:
    """Threads `user` may read, filtered and sorted as Latest's `filters` say."""
    threads = Thread.objects.visible_to(user)
    if filters.get("mine"):
        threads = threads.filter(community_id__in=member_community_ids(user))
    if filters.get("community"):
        threads = threads.filter(community=filters["community"])
    if filters.get("kind"):
        threads = threads.filter(kind=filters["kind"])
    if filters.get("tag"):
        threads = threads.filter(tags__slug=filters["tag"])
    if filters.get("unanswered"):
        threads = threads.filter(kind=Thread.Kind.QUESTION, accepted_answer__isnull=True)
    if filters.get("like_mine"):
        kind, region = filters["like_mine"]
        threads = threads.filter(author__organisation__kind=kind)
        if region:
            threads = threads.filter(author__organisation__region=region)
    return threads.order_by(*SORTS[filters.get("sort") or "activity"])


def latest_key(user, filters: dict, version: str) -> str:
    """The cache key of a Latest listing: the same for everyone who may read the same
    communities, moderates the same ones and asks for the same filters; `version` moves
    on whenever any thread anywhere changes (communities.models.site_content_version)."""
    access = community_access(user)
    readable = "all" if access.readable is None else sorted(access.readable)
    mine = sorted(member_community_ids(user)) if filters.get("mine") else None
    community = filters["community"].pk if filters.get("community") else None
    facts = [readable, sorted(access.moderated), mine, community, filters.get("kind"), filters.get("tag")]
    facts += [filters.get("unanswered"), filters.get("like_mine"), filters.get("sort")]
    return f"latest:{version}:{cache_key_for(facts)}"
