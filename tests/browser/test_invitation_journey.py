"""A facilitator pastes a cc line, checks the preview and sends; a new person follows
the emailed link, signs up, confirms their address and lands in the private community."""

import re

from django.core import mail
from playwright.sync_api import expect

from communities.models import Membership
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory

# Outlook's "Last, First" names, and one address twice.
CC_LINE = (
    '"Dave Pritchard" <dave.pritchard@dsfire.gov.uk>, tom.hughes@kent.gov.uk; '
    "Dunn, Chris <chris.dunn@northumbria.police.uk>; Sam Lee <sam.lee@essex.police.uk>; not-an-address; "
    "Chris.Dunn@northumbria.police.uk"
)


def sign_in(page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_facilitator_invites_a_cc_line_and_a_new_person_joins(page, live_server, assert_accessible):
    community = CommunityFactory(
        name="Police media and live incidents",
        slug="police-media",
        summary="Handling live incidents and media for police forces.",
        visibility="private",
        join_policy="invite",
    )
    fiona = UserFactory(username="fiona", email="fiona.grant@westmidlands.police.uk", display_name="Fiona Grant")
    MembershipFactory(community=community, user=fiona, role="owner")
    dave = UserFactory(username="dave", email="dave.pritchard@dsfire.gov.uk", display_name="Dave Pritchard")
    MembershipFactory(community=community, user=dave)
    UserFactory(username="tom", email="tom.hughes@kent.gov.uk", display_name="Tom Hughes")

    # The facilitator pastes the cc line.
    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, fiona.email, TEST_PASSWORD)
    page.goto("/communities/police-media/")
    assert_accessible(page)
    page.get_by_role("link", name="Invite people").click()
    assert_accessible(page)
    page.get_by_label("Email addresses").fill(CC_LINE)
    page.get_by_role("button", name="Check the list").click()

    # The preview: nothing is sent until they say so.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the list before sending")
    invited = page.get_by_role("table", name="Will be invited (3)")
    expect(invited.get_by_role("row", name="chris.dunn@northumbria.police.uk Chris Dunn")).to_be_visible()
    expect(
        page.get_by_text("chris.dunn@northumbria.police.uk appears 2 times: one invitation will be sent")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Already members (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Not valid email addresses (1)")).to_be_visible()
    assert_accessible(page)
    assert mail.outbox == []
    page.get_by_role("button", name="Change the list").click()
    expect(page.get_by_label("Email addresses")).to_have_value(CC_LINE)
    page.get_by_role("button", name="Check the list").click()
    page.get_by_role("button", name="Send 3 invitations").click()
    expect(page.get_by_role("heading", name="3 people invited")).to_be_visible()
    expect(page.get_by_role("heading", name="Already members (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Not valid email addresses (1)")).to_be_visible()
    assert_accessible(page)

    # The new person opens the invitation email's link in their own browser.
    [message] = [m for m in mail.outbox if m.to == ["chris.dunn@northumbria.police.uk"]]
    assert message.body.startswith("Hello Chris Dunn,")
    # Emails carry SITE_URL; the live server has its own address, so follow the path.
    link = re.search(r"/communities/invitations/\S+/", message.body).group(0)
    invitee = page.context.browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Police media and live incidents")
    assert_accessible(invitee)
    invitee.get_by_role("button", name="Create an account").click()
    assert_accessible(invitee)
    expect(invitee.get_by_label("Email")).to_have_value("chris.dunn@northumbria.police.uk")
    invitee.get_by_label("Full name").fill("Chris Dunn")
    invitee.get_by_label("Password", exact=True).fill("Live-incident-comms-2026!")
    invitee.get_by_label("Password (again)").fill("Live-incident-comms-2026!")
    invitee.get_by_role("button", name=re.compile("Create|Sign up", re.I)).click()
    invitee.wait_for_url("**/confirm-email/")
    assert_accessible(invitee)

    confirmation = next(m for m in reversed(mail.outbox) if "confirm-email" in m.body)
    invitee.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0))
    assert_accessible(invitee)
    invitee.get_by_role("button", name="Confirm").click()

    # Signed in, straight into the private community.
    invitee.wait_for_url("**/communities/police-media/")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Police media and live incidents")
    expect(invitee.get_by_text("You are a member")).to_be_visible()
    assert_accessible(invitee)
    assert Membership.objects.get(community=community, user__email="chris.dunn@northumbria.police.uk").is_active
    invitee.context.close()
