"""Search query strings, validated (STYLE.md: query strings go through a Form)."""

from __future__ import annotations

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils.text import slugify

from communities.models import Community
from communities.page_cache import cache_key_for
from core.date_range import DateRangeMixin
from core.filter_fields import list_choice, range_date
from forums.models import Thread
from members.selectors import listed_members, may_use_directory
from search.query import SearchFilters

MAX_QUERY_LENGTH = 200
ANSWERED_CHOICES = [("", "Any"), ("yes", "Answered"), ("no", "Not answered yet")]


class SearchForm(DateRangeMixin, forms.Form):
    """The search page's box and filters. They combine; words are needed unless an
    author is given."""

    show_text_limits = False  # a query string: no hint or counter (core/text_limits.py)

    q = forms.CharField(
        label="Search discussions",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text='Use "quotes" for an exact phrase, "or" between alternatives, and a minus sign to leave a word out.',
        error_messages={"max_length": f"Search for {MAX_QUERY_LENGTH} characters or fewer"},
    )
    community = list_choice("Community", naming="a community")  # choices: the reader's own
    tag = forms.CharField(
        label="Tag",
        required=False,
        max_length=100,
        error_messages={"max_length": "Tag must be 100 characters or fewer"},
    )
    author = forms.CharField(
        label="Written by",
        help_text="A member's name or username",
        required=False,
        max_length=150,
        error_messages={"max_length": "Name or username must be 150 characters or fewer"},
    )
    kind = list_choice("Type", [("", "Any"), *Thread.Kind.choices], naming="a type")
    answered = forms.ChoiceField(
        label="Answered",
        required=False,
        choices=ANSWERED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose answered, not answered yet or any"},
    )
    date_from = range_date("From", end="start")
    date_to = range_date("To", end="end")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.communities = {c.slug: c for c in Community.objects.visible_to(user).only("pk", "name", "slug")}
        choices = [(slug, c.name) for slug, c in sorted(self.communities.items(), key=lambda item: item[1].name)]
        self.fields["community"].choices = [("", "All communities"), *choices]
        # Names only for those who may use the directory: anyone else could learn from
        # the answer who is a member.
        self.authors_by_name = may_use_directory(user)
        if not self.authors_by_name:
            self.fields["author"].help_text = "A member's username"
            self.fields["author"].error_messages["max_length"] = "Username must be 150 characters or fewer"

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        # Bound means something was submitted (the bare page is unbound): a search box
        # left empty asks for words rather than showing nothing, unless it names who
        # wrote the posts (everything they wrote). An author who was not found has an
        # error of their own.
        cleaned = super().clean()
        no_author = cleaned.get("author") is None and "author" not in self.errors
        if "q" in cleaned and not cleaned["q"] and no_author:
            self.add_error("q", "Enter words to search for")
        return cleaned

    @property
    def author_shown_as(self) -> str:
        """How the page names the author found: by name, or to those who may not look
        names up (see __init__) by the username they typed, so a page never tells
        them whose username it is."""
        author = self.cleaned_data["author"]
        return author.name if self.authors_by_name else f"@{author.username}"

    def clean_tag(self) -> str:
        # A tag as shown ("Social media policy") or as in a link ("social-media-policy").
        tag = self.cleaned_data["tag"]
        slug = slugify(tag, allow_unicode=True)  # as taggit makes tag slugs
        if tag.strip() and not slug:
            raise forms.ValidationError("Enter a tag using letters or numbers")
        return slug

    def clean_community(self) -> Community | None:
        slug = self.cleaned_data["community"]
        return self.communities.get(slug) if slug else None

    def clean_author(self):
        # Only members with a public profile: pending, suspended and erased accounts
        # must not be discoverable by trying names here.
        what = "name or username" if self.authors_by_name else "username"
        written = " ".join(self.cleaned_data["author"].split())
        typed = written.removeprefix("@").strip()
        if not typed:
            if written:  # "@" alone
                raise forms.ValidationError(f"Enter a {what} after the @")
            return None
        named = Q(username__iexact=typed)
        if self.authors_by_name:
            named |= Q(display_name__iexact=typed)
        username_first = Case(When(username__iexact=typed, then=Value(0)), default=Value(1))
        found = list(listed_members().filter(named).order_by(username_first, "pk")[:2])
        if not found:
            raise forms.ValidationError(f"There is no member with that {what}")
        if len(found) > 1 and found[0].username.lower() != typed.lower():
            raise forms.ValidationError(
                f"More than one member is called {found[0].display_name}. Enter the username shown on their profile"
            )
        return found[0]

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        answered = {"yes": True, "no": False}.get(data.get("answered") or "")
        return SearchFilters(
            community=data.get("community"),
            tag=data.get("tag") or None,
            author=data.get("author"),
            kind=data.get("kind") or None,
            answered=answered,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @property
    def choices_key(self) -> str:
        """Stands for what the filters offer, which differs from person to person (the
        communities, and whether an author may be named)."""
        return cache_key_for([self.fields["community"].choices, self.fields["author"].help_text])

    def has_filters(self) -> bool:
        return self._has_filters(besides={"q"})

    def shows_filters(self) -> bool:
        """Whether the filters start open: when one is wrong or in use. "Written by"
        alone leaves them closed, as the page's heading names the member and the
        results come first."""
        filter_wrong = any(name in self.errors for name in self.fields if name != "q")
        author_with_words = bool(_given(self.data, "author") and _given(self.data, "q"))
        return self.is_bound and (filter_wrong or author_with_words or self.has_filters_besides_author())

    def has_filters_besides_author(self) -> bool:
        return self._has_filters(besides={"q", "author"})

    def _has_filters(self, *, besides: set[str]) -> bool:
        return self.is_bound and any(_given(self.data, name) for name in self.fields if name not in besides)


def _given(data, name: str) -> bool:
    """Whether the query string gives `name` a value (spaces alone are none)."""
    return bool(str(data.get(name) or "").strip())


class SimilarThreadsForm(forms.Form):
    """The title typed so far on the new-question page."""

    title = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH)
