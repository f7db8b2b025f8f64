"""Who is recognised from their email address: the one place the rule lives."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from members.models import Organisation, OrganisationDomain, normalise_domain


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    organisation: Organisation | None = None


def email_domain(email: str) -> str:
    return normalise_domain(email.rpartition("@")[2])


def _suffixes(domain: str) -> list[str]:
    """kent.gov.uk → [kent.gov.uk, gov.uk, uk]: every domain the address sits under."""
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def matches_allowed_suffix(domain: str) -> bool:
    for suffix in settings.ELIGIBLE_EMAIL_SUFFIXES:
        bare = normalise_domain(suffix).lstrip(".")
        if bare and (domain == bare or domain.endswith("." + bare)):
            return True
    return False


def eligibility_for(email: str) -> Eligibility:
    """An organisation's domain (exactly, or a subdomain of it; the longest match
    wins) or an allow-listed suffix makes an address eligible."""
    domain = email_domain(email)
    if not domain:
        return Eligibility(False)
    matches = OrganisationDomain.objects.filter(domain__in=_suffixes(domain)).select_related("organisation")
    best = max(matches, key=lambda match: len(match.domain), default=None)
    if best is not None:
        return Eligibility(True, best.organisation)
    return Eligibility(matches_allowed_suffix(domain))
