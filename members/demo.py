"""Demo organisations and people: a believable UK public-sector comms world."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from core.markdown import render_markdown
from members.models import Organisation, OrganisationDomain, User

DEMO_PASSWORD = "commsnet-demo-2026"

ORGANISATIONS = [
    ("Kent County Council", Organisation.Kind.LOCAL_AUTHORITY, "South East", "kent.gov.uk"),
    ("Leeds City Council", Organisation.Kind.LOCAL_AUTHORITY, "Yorkshire and the Humber", "leeds.gov.uk"),
    ("Dacorum Borough Council", Organisation.Kind.LOCAL_AUTHORITY, "East of England", "dacorum.gov.uk"),
    ("Manchester University NHS Foundation Trust", Organisation.Kind.NHS, "North West", "mft.nhs.uk"),
    ("NHS Lothian", Organisation.Kind.NHS, "Scotland", "nhslothian.scot.nhs.uk"),
    ("West Midlands Police", Organisation.Kind.POLICE, "West Midlands", "westmidlands.police.uk"),
    ("Devon and Somerset Fire and Rescue Service", Organisation.Kind.FIRE_AND_RESCUE, "South West", "dsfire.gov.uk"),
    ("Department for Education", Organisation.Kind.CENTRAL_GOVERNMENT, "London", "education.gov.uk"),
    ("Welsh Government", Organisation.Kind.DEVOLVED_GOVERNMENT, "Wales", "gov.wales"),
    ("Environment Agency", Organisation.Kind.ARMS_LENGTH_BODY, "National", "environment-agency.gov.uk"),
    ("Citizens Advice Kent", Organisation.Kind.THIRD_SECTOR, "South East", "citizensadvicekent.org.uk"),
    ("Surrey County Council", Organisation.Kind.LOCAL_AUTHORITY, "South East", "surreycc.gov.uk"),
    ("Glasgow City Council", Organisation.Kind.LOCAL_AUTHORITY, "Scotland", "glasgow.gov.uk"),
    ("Bristol City Council", Organisation.Kind.LOCAL_AUTHORITY, "South West", "bristol.gov.uk"),
    ("Northumbria Police", Organisation.Kind.POLICE, "North East", "northumbria.police.uk"),
    (
        "Greater Manchester Fire and Rescue Service",
        Organisation.Kind.FIRE_AND_RESCUE,
        "North West",
        "manchesterfire.gov.uk",
    ),
    ("Cabinet Office", Organisation.Kind.CENTRAL_GOVERNMENT, "London", "cabinetoffice.gov.uk"),
    ("Scottish Government", Organisation.Kind.DEVOLVED_GOVERNMENT, "Scotland", "gov.scot"),
    ("Food Standards Agency", Organisation.Kind.ARMS_LENGTH_BODY, "National", "food.gov.uk"),
    ("Age UK Leeds", Organisation.Kind.THIRD_SECTOR, "Yorkshire and the Humber", "ageukleeds.org.uk"),
    ("Leicestershire Partnership NHS Trust", Organisation.Kind.NHS, "East Midlands", "leicspart.nhs.uk"),
]

# username, display name, organisation, role on the site
PEOPLE = [
    ("priya", "Priya Shah", "Dacorum Borough Council", "member"),
    ("marcus", "Marcus Okafor", "Manchester University NHS Foundation Trust", "facilitator"),
    ("fiona", "Fiona Grant", "West Midlands Police", "facilitator"),
    ("sam", "Sam Adeyemi", "Department for Education", "site_admin"),
    ("tom", "Tom Hughes", "Kent County Council", "member"),
    ("aisha", "Aisha Rahman", "Leeds City Council", "member"),
    ("gareth", "Gareth Evans", "Welsh Government", "member"),
    ("morag", "Morag Campbell", "NHS Lothian", "member"),
    ("dave", "Dave Pritchard", "Devon and Somerset Fire and Rescue Service", "member"),
    ("hannah", "Hannah Cole", "Environment Agency", "member"),
    ("lucy", "Lucy Burns", "Citizens Advice Kent", "member"),
    ("rachel", "Rachel Moore", "Surrey County Council", "member"),
    ("iain", "Iain MacLeod", "Glasgow City Council", "member"),
    ("becky", "Becky Thomas", "Bristol City Council", "member"),
    ("jordan", "Jordan Clarke", "Northumbria Police", "member"),
    ("nadia", "Nadia Hussain", "Greater Manchester Fire and Rescue Service", "member"),
    ("oliver", "Oliver Bennett", "Cabinet Office", "member"),
    ("kirsty", "Kirsty Fraser", "Scottish Government", "member"),
    ("ben", "Ben Walker", "Food Standards Agency", "member"),
    ("sian", "Siân Jones", "Welsh Government", "member"),
    ("ellie", "Ellie Wright", "Age UK Leeds", "member"),
    ("raj", "Raj Patel", "Leicestershire Partnership NHS Trust", "member"),
    ("claire", "Claire Dixon", "Leeds City Council", "member"),
    ("mike", "Mike Harris", "Kent County Council", "member"),
    ("zara", "Zara Ali", "Manchester University NHS Foundation Trust", "member"),
    ("owen", "Owen Price", "Dacorum Borough Council", "member"),
    ("grace", "Grace Okoro", "Department for Education", "member"),
]

# username: job title, region, bio (Markdown), areas of expertise
PROFILES = {
    "priya": (
        "Press officer",
        "East of England",
        "I handle media enquiries and social media for a district council. Lately: **election-period** "
        "comments, planning rows and bin collection changes.",
        ["media relations", "social media", "pre-election period"],
    ),
    "marcus": (
        "Digital engagement lead",
        "North West",
        "I run social media surgeries for colleagues across the trust and help clinicians become "
        "credible voices online.",
        ["social media", "digital champions", "staff advocacy"],
    ),
    "fiona": (
        "Head of corporate communications",
        "West Midlands",
        "Police communications: live incidents, media handling and community confidence.",
        ["crisis communications", "media relations"],
    ),
    "sam": ("CommsNet site administrator", "London", "I look after CommsNet. Ask me anything about the site.", []),
    "tom": (
        "Communications officer",
        "South East",
        "Flood warnings, school closures and winter resilience campaigns.",
        ["crisis communications", "campaigns"],
    ),
    "aisha": (
        "Internal communications manager",
        "Yorkshire and the Humber",
        "Staff engagement, intranet content and the all-staff newsletter.",
        ["internal communications", "staff engagement"],
    ),
    "gareth": (
        "Senior digital content designer",
        "Wales",
        "Bilingual content, plain English (and plain Welsh), accessibility.",
        ["accessibility", "plain English", "bilingual content"],
    ),
    "morag": (
        "Communications manager",
        "Scotland",
        "Public health campaigns and evaluation.",
        ["campaign evaluation", "public health"],
    ),
    "dave": (
        "Media and communications officer",
        "South West",
        "Incident communications and community safety campaigns.",
        ["crisis communications", "video"],
    ),
    "hannah": (
        "Senior communications adviser",
        "National",
        "Flood risk communications with local partners.",
        ["crisis communications", "partnership working"],
    ),
    "lucy": (
        "Communications and campaigns officer",
        "South East",
        "Cost of living advice campaigns and volunteer recruitment.",
        ["campaigns", "social media"],
    ),
    "rachel": (
        "Digital communications officer",
        "South East",
        "Social media, web content and our residents' newsletter.",
        ["social media", "newsletters"],
    ),
    "iain": (
        "Media manager",
        "Scotland",
        "Press office for a big city council: planning, transport and events.",
        ["media relations"],
    ),
    "becky": (
        "Campaigns officer",
        "South West",
        "Recycling, climate and active travel campaigns.",
        ["campaigns", "behaviour change"],
    ),
    "jordan": (
        "Digital media officer",
        "North East",
        "Police social media, appeals and video.",
        ["social media", "video"],
    ),
    "nadia": (
        "Communications officer",
        "North West",
        "Fire safety campaigns and incident updates.",
        ["crisis communications", "campaigns"],
    ),
    "oliver": (
        "Head of digital engagement",
        "London",
        "Cross-government digital engagement and social media standards.",
        ["social media", "digital"],
    ),
    "kirsty": (
        "Senior communications officer",
        "Scotland",
        "Public information campaigns and evaluation.",
        ["campaign evaluation"],
    ),
    "ben": (
        "Press officer",
        "National",
        "Food alerts, recalls and reactive media handling.",
        ["media relations", "crisis communications"],
    ),
    "sian": (
        "Internal communications officer",
        "Wales",
        "Staff engagement and bilingual internal channels.",
        ["internal communications", "bilingual content"],
    ),
    "ellie": (
        "Engagement and communications lead",
        "Yorkshire and the Humber",
        "Reaching older people online and offline.",
        ["accessibility", "community engagement"],
    ),
    "raj": (
        "Communications and engagement manager",
        "East Midlands",
        "Mental health services, staff stories and patient engagement.",
        ["internal communications", "campaigns"],
    ),
    "claire": (
        "Digital content officer",
        "Yorkshire and the Humber",
        "Web content, accessibility and plain English.",
        ["accessibility", "plain English"],
    ),
    "mike": ("Press officer", "South East", "Highways, schools and the odd pothole story.", ["media relations"]),
    "zara": (
        "Internal communications officer",
        "North West",
        "Staff app, all-staff briefings and recognition awards.",
        ["internal communications"],
    ),
    "owen": (
        "Communications assistant",
        "East of England",
        "New to comms: social media, photos and the council magazine.",
        ["social media"],
    ),
    "grace": (
        "Campaign manager",
        "London",
        "Recruitment campaigns and evaluation.",
        ["campaigns", "campaign evaluation"],
    ),
}

# Someone the site does not recognise, so the approvals queue has work in it.
PENDING_APPLICANT = {
    "username": "jo",
    "email": "jo.freelance.comms@gmail.com",
    "display_name": "Jo Whitaker",
    "join_reason": "I am a freelance communications consultant on a six-month contract with "
    "Dacorum Borough Council, covering the press office. My council email address is not set up yet.",
}

DEMO_LOGINS = [
    ("Member (council press officer)", "priya"),
    ("Facilitator (NHS digital engagement lead)", "marcus"),
    ("Site admin", "sam"),
]


@functools.cache
def demo_password_hash() -> str:
    """The demo password, hashed once: every demo person shares it, and hashing it for
    each of them took most of `make run`'s seeding time."""
    return make_password(DEMO_PASSWORD)


def email_for(username: str, organisation: str) -> str:
    domain = next(d for name, _, _, d in ORGANISATIONS if name == organisation)
    return f"{username}@{domain}"


def seed_members() -> dict[str, User]:
    organisations = {}
    for name, kind, region, domain in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": region, "website": f"https://www.{domain}"}
        )
        OrganisationDomain.objects.get_or_create(domain=domain, defaults={"organisation": organisation})
        organisations[name] = organisation
    people = {}
    for username, display_name, organisation, role in PEOPLE:
        email = email_for(username, organisation)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "display_name": display_name,
                "organisation": organisations[organisation],
                "status": User.Status.APPROVED,
                "is_staff": role == "site_admin",
                "is_superuser": role == "site_admin",
            },
        )
        if created:
            user.password = demo_password_hash()
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if created:
            _fill_profile(user)
        people[username] = user
    _seed_pending_applicant()
    return people


def _fill_profile(user: User) -> None:
    job_title, region, bio, expertise = PROFILES[user.username]
    user.job_title, user.region, user.bio = job_title, region, bio
    user.bio_html = render_markdown(bio)
    user.save(update_fields=["job_title", "region", "bio", "bio_html"])
    user.expertise.set(expertise)


def _seed_pending_applicant() -> None:
    details = dict(PENDING_APPLICANT)
    email = details.pop("email")
    user, created = User.objects.get_or_create(
        username=details.pop("username"), defaults={"email": email, "status": User.Status.PENDING, **details}
    )
    if created:
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
