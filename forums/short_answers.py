"""Short answers that stay true: once a question is answered, the asker or a facilitator
sums the answer up and says when to check it again; facilitators are reminded then
(remind_short_answers). It lives on the thread's row, so a change to it moves the
thread's content_version and every kept page showing it."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from communities.permissions import can_write_short_answer
from core.filter_fields import DATE_EXAMPLE, DATE_FORMATS, _TypedDateField
from forums.models import Thread
from forums.rendering import render_post_body

# A few sentences: a summary, not a second answer.
MAX_SHORT_ANSWER = 600
# A review date no further ahead than this: an answer unchecked for longer is not "kept true".
MAX_REVIEW_AHEAD = datetime.timedelta(days=2 * 365)
DEFAULT_REVIEW_AHEAD = datetime.timedelta(days=182)
SHORT_ANSWER_FIELDS = ["short_answer", "short_answer_html", "short_answer_review_by"]


def default_review_by(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + DEFAULT_REVIEW_AHEAD


def check_review_by(review_by: datetime.date, today: datetime.date | None = None) -> None:
    """The rule for a review date, for the form and the service alike."""
    today = today or timezone.localdate()
    if review_by <= today:
        raise ValidationError("The review date must be in the future")
    if review_by > today + MAX_REVIEW_AHEAD:
        raise ValidationError("The review date must be within 2 years")


class ShortAnswerForm(forms.Form):
    body = forms.CharField(
        label="Short answer",
        max_length=MAX_SHORT_ANSWER,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The answer in a few sentences, for people who find this thread later. You can use Markdown.",
        error_messages={"required": "Enter the short answer"},
    )
    review_by = _TypedDateField(
        label="Review by",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
        help_text=f"When a facilitator should check it is still true. For example, {DATE_EXAMPLE}",
        error_messages={
            "required": "Enter a review date",
            "invalid": f"Enter a real review date, for example {DATE_EXAMPLE}",
        },
    )

    def clean_review_by(self) -> datetime.date:
        review_by = self.cleaned_data["review_by"]
        check_review_by(review_by)
        return review_by


class ConfirmShortAnswerForm(forms.Form):
    review_by = ShortAnswerForm.base_fields["review_by"]

    def clean_review_by(self) -> datetime.date:
        review_by = self.cleaned_data["review_by"]
        check_review_by(review_by)
        return review_by


def _check_may_write(thread: Thread, by) -> None:
    if not can_write_short_answer(by, thread):
        raise PermissionError("Only the asker or a facilitator can change the short answer of an answered question.")


@transaction.atomic
def short_answer_save(*, thread: Thread, by, body: str, review_by: datetime.date) -> Thread:
    """Write or rewrite the short answer; writing it also confirms it as of now."""
    _check_may_write(thread, by)
    body = body.strip()
    if not body:
        raise ValidationError("Enter the short answer")
    if len(body) > MAX_SHORT_ANSWER:
        raise ValidationError(f"The short answer must be {MAX_SHORT_ANSWER:,} characters or fewer")
    check_review_by(review_by)
    thread.short_answer = body
    thread.short_answer_html = render_post_body(body)
    thread.short_answer_review_by = review_by
    thread.short_answer_confirmed_at = timezone.now()
    thread.save(update_fields=[*SHORT_ANSWER_FIELDS, "short_answer_confirmed_at"])
    return thread


@transaction.atomic
def short_answer_confirm(*, thread: Thread, by, review_by: datetime.date) -> Thread:
    """The short answer is still true: say so now, and when to check it next."""
    _check_may_write(thread, by)
    if not thread.short_answer:
        raise ValidationError("There is no short answer to confirm")
    check_review_by(review_by)
    thread.short_answer_review_by = review_by
    thread.short_answer_confirmed_at = timezone.now()
    thread.save(update_fields=["short_answer_review_by", "short_answer_confirmed_at"])
    return thread


@transaction.atomic
def short_answer_remove(*, thread: Thread, by) -> Thread:
    _check_may_write(thread, by)
    thread.short_answer = thread.short_answer_html = ""
    thread.short_answer_review_by = thread.short_answer_confirmed_at = thread.short_answer_reminded_for = None
    thread.save(update_fields=[*SHORT_ANSWER_FIELDS, "short_answer_confirmed_at", "short_answer_reminded_for"])
    return thread


def short_answers_due(today: datetime.date | None = None) -> QuerySet[Thread]:
    """Short answers whose review date has come and whose facilitators have not yet
    been reminded of that date (so a second run the same day, or the next, sends nothing)."""
    today = today or timezone.localdate()
    # Reminded of an earlier date only: a confirmed answer has a new, later one.
    earlier = Q(short_answer_reminded_for__lt=F("short_answer_review_by"))
    not_reminded = Q(short_answer_reminded_for__isnull=True) | earlier
    return (
        Thread.objects.filter(short_answer_review_by__lte=today, is_hidden=False)
        .exclude(short_answer="")
        .filter(not_reminded)
        .select_related("community")
        .order_by("community_id", "short_answer_review_by", "pk")
    )


def short_answer_mark_reminded(threads) -> None:
    """Remember which review date each thread's facilitators were reminded of."""
    Thread.objects.filter(pk__in=[thread.pk for thread in threads]).update(
        short_answer_reminded_for=F("short_answer_review_by")
    )


def is_due(thread: Thread, today: datetime.date | None = None) -> bool:
    """The short answer's review date has come: the thread page says it needs checking."""
    review_by = thread.short_answer_review_by
    return bool(thread.short_answer) and review_by is not None and review_by <= (today or timezone.localdate())


# The review queue lists this many at most, oldest review date first.
SHORT_ANSWERS_LISTED = 20


def short_answers_to_check(community, today: datetime.date | None = None) -> list[Thread]:
    """A community's short answers past their review date, for its review queue (reminded
    of or not: they stay until a facilitator confirms or updates them)."""
    today = today or timezone.localdate()
    threads = (
        Thread.objects.filter(community=community, short_answer_review_by__lte=today, is_hidden=False)
        .exclude(short_answer="")
        .only("pk", "title", "slug", "short_answer_review_by")
        .order_by("short_answer_review_by", "pk")
    )
    return list(threads[:SHORT_ANSWERS_LISTED])
