"""Forms that create something make it once, however often they are sent: each rendering
carries a fresh token signed for the member or session (`{% load once %}{% form_token %}`),
which `submit_once` claims in the creation's transaction (a second request waits on its
unique index, then goes where the first went). Kept pages' placeholders: `fill_tokens`."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction

from core.models import FormSubmission

FIELD = "form_token"
MISSING = "This form could not be sent because it is out of date. Check your answers and send it again."
REUSED = "You have already sent this form. Check your answers and send it again to send them as well."

# Where a kept page's forms take their token; unguessable, and new in each process (as
# the pages cache is), like the CSRF placeholder beside it.
PLACEHOLDER = f"form-token-placeholder-{secrets.token_hex(16)}"
INPUT = '<input type="hidden" name="' + FIELD + '" value="{}">'
# Fields that do not change what is made: the CSRF token differs between tabs, and the
# token itself is compared on its own.
_NOT_CONTENT = {FIELD, "csrfmiddlewaretoken"}


def _owner(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if request.session.session_key is None:
        request.session.save()  # a visitor's form is tied to their session, so it needs one
    return f"session:{request.session.session_key}"


def _signer(owner: str) -> signing.Signer:
    return signing.Signer(salt=f"core.once:{owner}")


def issue(request) -> str:
    """A fresh token for one rendering of a form, valid only for whoever it is shown to."""
    return _signer(_owner(request)).sign(secrets.token_urlsafe(24))


def fill_tokens(html: str, request) -> str:
    """`html` with each form-token placeholder replaced by its own fresh token."""
    placeholder = INPUT.format(PLACEHOLDER)
    if placeholder not in html:
        return html
    parts = html.split(placeholder)
    filled = [parts[0]]
    for part in parts[1:]:
        filled += [INPUT.format(issue(request)), part]
    return "".join(filled)


def _digest(request) -> str:
    """What was sent, apart from the tokens: the same form sent twice has the same digest."""
    fields = sorted((key, request.POST.getlist(key)) for key in request.POST if key not in _NOT_CONTENT)
    files = sorted((key, [(f.name, f.size) for f in request.FILES.getlist(key)]) for key in request.FILES)
    return hashlib.sha256(repr([fields, files]).encode()).hexdigest()


class Refused(Exception):
    """Raised by a `create` that may not make its thing now (a mute, a rate limit): the
    message is shown on the form. Checked inside `create`, so a repeat of a form that
    did make something lands on it rather than on a limit the first one reached."""


def _token(request, owner: str) -> str | None:
    """The random part of the form's token, if it was issued to `owner`."""
    try:
        return _signer(owner).unsign(request.POST.get(FIELD, ""))
    except signing.BadSignature:
        return None


def repeat_url(request) -> str | None:
    """Where a repeat of an already made submit goes, or None. For forms whose checks
    would refuse a repeat because of what the first made (a name now taken): call it
    before validating, so the repeat lands on the first rather than on an error."""
    owner = _owner(request)
    token = _token(request, owner)
    if token is None:
        return None
    earlier = FormSubmission.objects.filter(token=token, owner=owner, digest=_digest(request)).first()
    return earlier.result_url if earlier else None


@dataclass
class Submitted:
    url: str  # where the member goes next: what this submit made, or what the first made
    made: Any = None  # what `create` returned; None for a repeat


def submit_once(request, form, create: Callable[[], Any], url_of: Callable[[Any], str]) -> Submitted | None:
    """Run `create()` for this form's token unless it ran before; `url_of(made)` says
    where to see what it made. A repeat returns the first's URL and makes nothing. A
    missing, forged or another member's token, or a used one sent with other content,
    makes nothing either: None, with an error on `form` (which keeps what was typed), as
    does `create` raising Refused. Whatever `create` raises undoes the claim, so the
    same form can be sent again."""
    owner = _owner(request)
    token = _token(request, owner)
    if token is None:
        form.add_error(None, MISSING)
        return None
    digest = _digest(request)
    try:
        return _claim_and_create(token, owner, digest, form, create, url_of)
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return None


def _claim_and_create(token: str, owner: str, digest: str, form, create, url_of) -> Submitted | None:
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, owner=owner, digest=digest)
        except IntegrityError:
            # Used: by a request that has committed (an insert of the same token waits for that).
            claim = FormSubmission.objects.get(token=token)
        else:
            made = create()
            claim.result_url = url_of(made)
            claim.save(update_fields=["result_url"])
            return Submitted(url=claim.result_url, made=made)
    if claim.owner != owner or claim.digest != digest or not claim.result_url:
        form.add_error(None, REUSED)
        return None
    return Submitted(url=claim.result_url)
