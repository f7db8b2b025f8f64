"""Forwarded reply-all chains written from scratch for the chain tests: one conversation
(Priya asks, Bob answers, Sam adds to it) as Outlook, Gmail and Apple Mail forward it,
attached as message/rfc822 parts, and forwarded twice over.

bob@example.gov.uk is the verified address of bob (tests/conftest.py); Priya and Sam
belong to nobody on the site, so they show as archived authors."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings

OPENING = "During the pre-election period, do you hide political comments on council posts?"
ANSWER = "We leave them up unless they break our house rules, and log each decision."
ADDITION = "Same here. Our legal team signed off a short note we pin under each post."
SUBJECT = "Election-period comments"

OUTLOOK = f"""\
Bringing this useful thread into CommsNet.

Alice

-----Original Message-----
From: Sam Jones [mailto:sam.jones@borough.gov.uk]
Sent: Tuesday, March 3, 2020 11:30 AM
To: Bob Member <bob@example.gov.uk>; Priya Shah <priya.shah@council.gov.uk>
Subject: RE: {SUBJECT}

{ADDITION}

Kind regards,
Sam Jones
Digital lead | Anyborough Council
07700 900123

-----Original Message-----
From: Bob Member [mailto:bob@example.gov.uk]
Sent: Monday, March 2, 2020 10:15 AM
To: Priya Shah <priya.shah@council.gov.uk>
Subject: RE: {SUBJECT}

{ANSWER}

Bob

-----Original Message-----
From: Priya Shah [mailto:priya.shah@council.gov.uk]
Sent: Monday, March 2, 2020 9:00 AM
To: Bob Member <bob@example.gov.uk>
Subject: {SUBJECT}

{OPENING}

--
Priya Shah
Press officer, Anytown Council
"""

GMAIL = f"""\
FYI, for the community.

---------- Forwarded message ---------
From: Sam Jones <sam.jones@borough.gov.uk>
Date: Tue, 3 Mar 2020 at 11:30
Subject: Re: {SUBJECT}
To: Bob Member <bob@example.gov.uk>

{ADDITION}

On Mon, 2 Mar 2020 at 10:15, Bob Member <bob@example.gov.uk>
wrote:

> {ANSWER}
>
> On Mon, 2 Mar 2020 at 09:00, Priya Shah <priya.shah@council.gov.uk> wrote:
>
>> {OPENING}
>>
>> --
>> Priya Shah
>
"""

APPLE = f"""\
Worth keeping.

Sent from my iPhone

Begin forwarded message:

From: Sam Jones <sam.jones@borough.gov.uk>
Subject: Re: {SUBJECT}
Date: 3 March 2020 at 11:30:00 GMT
To: Bob Member <bob@example.gov.uk>

{ADDITION}

On 2 Mar 2020, at 10:15, Bob Member <bob@example.gov.uk> wrote:

> {ANSWER}
>
> On 2 Mar 2020, at 09:00, Priya Shah <priya.shah@council.gov.uk> wrote:
>
> > {OPENING}
"""

# Forwarded twice over: Gmail's forward of an Outlook forward of the chain; the top
# message is also quoted again below it (a duplicate to drop).
NESTED = f"""\
---------- Forwarded message ---------
From: Dee Lane <dee.lane@agency.gov.uk>
Date: Wed, 4 Mar 2020 at 08:00
Subject: Fwd: {SUBJECT}
To: Alice <alice@example.gov.uk>

Passing this on as promised.

________________________________
From: Sam Jones <sam.jones@borough.gov.uk>
Sent: Tuesday, 3 March 2020 11:30
To: Bob Member <bob@example.gov.uk>
Subject: RE: {SUBJECT}

{ADDITION}

________________________________
From: Bob Member <bob@example.gov.uk>
Sent: Monday, 2 March 2020 10:15
Subject: RE: {SUBJECT}

{ANSWER}

________________________________
From: Sam Jones <sam.jones@borough.gov.uk>
Sent: Tuesday, 3 March 2020 11:30
Subject: RE: {SUBJECT}

{ADDITION}

________________________________
From: Priya Shah <priya.shah@council.gov.uk>
Sent: Monday, 2 March 2020 09:00
Subject: {SUBJECT}

{OPENING}
"""


def _message(sender: str, date: str, subject: str, body: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "list@council.gov.uk"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = message_id
    message.set_content(body)
    return message


def forward_email(
    body: str, *, sender: str = "alice@example.gov.uk", slug: str = "comms-leads", auth: str | None = None
) -> EmailMessage:
    """The forward as it reaches our posting address; `auth` is what our own server's
    Authentication-Results says (it comes first, above what the sender wrote)."""
    message = EmailMessage()
    if auth:
        message["Authentication-Results"] = auth
    message["From"] = f"Forwarder <{sender}>"
    message["To"] = f"{slug}@{settings.POST_DOMAIN}"
    message["Subject"] = f"Fwd: {SUBJECT}"
    message["Message-ID"] = f"<forward-{abs(hash(body))}@example.gov.uk>"
    message["Date"] = format_datetime_now()
    message.set_content(body)
    return message


def format_datetime_now() -> str:
    from datetime import UTC, datetime

    return format_datetime(datetime(2020, 3, 5, 9, 0, tzinfo=UTC))


def attached_email(**kwargs) -> EmailMessage:
    """The chain's messages attached one by one (Outlook's "Forward as attachment")."""
    message = forward_email("Three emails from the list, attached.", **kwargs)
    parts = [
        _message(
            "Priya Shah <priya.shah@council.gov.uk>",
            "Mon, 2 Mar 2020 09:00:00 +0000",
            SUBJECT,
            f"{OPENING}\n\n--\nPriya Shah\nPress officer\n",
            "<opening@council.gov.uk>",
        ),
        _message(
            "Sam Jones <sam.jones@borough.gov.uk>",
            "Tue, 3 Mar 2020 11:30:00 +0000",
            f"RE: {SUBJECT}",
            f"{ADDITION}\n\n-----Original Message-----\nFrom: Bob Member\nSent: Monday, March 2, 2020 10:15 AM\n"
            f"Subject: RE: {SUBJECT}\n\n{ANSWER}\n",
            "<addition@borough.gov.uk>",
        ),
        _message(
            "Bob Member <bob@example.gov.uk>",
            "Mon, 2 Mar 2020 10:15:00 +0000",
            f"RE: {SUBJECT}",
            f"{ANSWER}\n\nSent from my iPhone\n",
            "<answer@example.gov.uk>",
        ),
    ]
    for part in parts:
        message.add_attachment(part)
    return message


# Outlook's HTML-only forward: each email's header in a div with <b> labels.
OUTLOOK_HTML = f"""<html><body>
<p>For the community.</p>
<hr id="stopSpelling">
<div id="divRplyFwdMsg"><b>From:</b> Sam Jones &lt;sam.jones@borough.gov.uk&gt;<br>
<b>Sent:</b> Tuesday, 3 March 2020 11:30<br><b>To:</b> Bob Member &lt;bob@example.gov.uk&gt;<br>
<b>Subject:</b> RE: {SUBJECT}</div>
<p>{ADDITION}</p>
<hr>
<div><b>From:</b> Bob Member &lt;bob@example.gov.uk&gt;<br><b>Sent:</b> Monday, 2 March 2020 10:15<br>
<b>Subject:</b> RE: {SUBJECT}</div>
<p>{ANSWER}</p>
<hr>
<div><b>From:</b> Priya Shah &lt;priya.shah@council.gov.uk&gt;<br><b>Sent:</b> Monday, 2 March 2020 09:00<br>
<b>Subject:</b> {SUBJECT}</div>
<p>{OPENING}</p>
</body></html>"""


def html_forward_email(**kwargs) -> EmailMessage:
    message = forward_email("", **kwargs)
    message.set_content(OUTLOOK_HTML, subtype="html")
    return message
