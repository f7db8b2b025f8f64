"""Demo organisations and people: a believable UK public-sector comms world."""

from allauth.account.models import EmailAddress

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
]

DEMO_LOGINS = [
    ("Member (council press officer)", "priya"),
    ("Facilitator (NHS digital engagement lead)", "marcus"),
    ("Site admin", "sam"),
]


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
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        people[username] = user
    return people
