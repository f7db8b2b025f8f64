"""Mailing-list archives written from scratch for the import tests: one conversation
as Thunderbird, Gmail, Outlook and Apple Mail send it (with a reply that lost its
References, one filed before its parent, and a cross-posted copy), a nested forward,
an HTML-only message, RFC 2047 names, and a message with nothing of its own."""

from __future__ import annotations

import base64
import io
import zipfile

# bob@example.gov.uk is the verified address of bob (tests/conftest.py); the others
# belong to nobody on the site.
THUNDERBIRD_OPENING = b"""\
From: Priya Shah <priya.shah@council.gov.uk>
To: commsnet-list@lists.example.gov.uk
Subject: [commsnet-list] How do you handle election-period comments?
Date: Mon, 2 Mar 2020 09:00:00 +0000
Message-ID: <opening@council.gov.uk>
User-Agent: Mozilla Thunderbird
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Morning all,

During the pre-election period, do you hide political comments on your
council's social media posts, or leave them?

--\x20
Priya Shah
Press officer, Anytown Council
01234 567890
"""

GMAIL_REPLY = b"""\
From: Bob Member <bob@example.gov.uk>
To: commsnet-list@lists.example.gov.uk
Subject: Re: [commsnet-list] How do you handle election-period comments?
Date: Mon, 2 Mar 2020 10:15:00 +0000
Message-ID: <CAgmail-reply@mail.gmail.com>
In-Reply-To: <opening@council.gov.uk>
References: <opening@council.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="gm"

--gm
Content-Type: text/plain; charset="UTF-8"

We pause scheduled posts and hide nothing unless it breaks our house rules.

On Mon, 2 Mar 2020 at 09:00, Priya Shah <priya.shah@council.gov.uk> wrote:
> Morning all,
> During the pre-election period, do you hide political comments?

--gm
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">We pause scheduled posts and hide nothing unless it breaks our house rules.</div>
<div class="gmail_quote">On Mon, 2 Mar 2020 at 09:00, Priya Shah wrote:<blockquote>Morning all</blockquote></div>

--gm--
"""

# windows-1252 and quoted-printable: an en dash (=96) and a curly apostrophe (=92).
OUTLOOK_REPLY = b"""\
From: "O'Neill, Tom" <tom.oneill@nhs.net>
To: commsnet-list@lists.example.gov.uk
Subject: RE: [commsnet-list] How do you handle election-period comments?
Date: Mon, 2 Mar 2020 11:30:00 +0000
Message-ID: <DB7PR-outlook-reply@eurprd.outlook.com>
In-Reply-To: <CAgmail-reply@mail.gmail.com>
References: <opening@council.gov.uk> <CAgmail-reply@mail.gmail.com>
Thread-Index: AQHWabc123
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

Thanks Bob =96 that=92s what our trust does too.

Kind regards,
Tom
Head of Communications
Anytown NHS Trust
OFFICIAL

________________________________
From: Bob Member <bob@example.gov.uk>
Sent: 02 March 2020 10:15
To: commsnet-list@lists.example.gov.uk
Subject: Re: [commsnet-list] How do you handle election-period comments?

We pause scheduled posts.

This email and any files transmitted with it are confidential and intended solely for the addressee.
"""

# base64 UTF-8, an iPhone signature, and only In-Reply-To (Apple Mail drops nothing,
# but list software sometimes strips References).
APPLE_BODY = (
    "We publish a holding line on every post \u2014 it saves arguments \U0001f60a\n\n"
    "Sent from my iPhone\n\n"
    "On 2 Mar 2020, at 09:00, Priya Shah <priya.shah@council.gov.uk> wrote:\n\n"
    "> Morning all,\n"
)
APPLE_REPLY = b"""\
From: =?utf-8?q?Si=C3=A2n_Jones?= <sian.jones@wales.gov.uk>
To: commsnet-list@lists.example.gov.uk
Subject: Re: [commsnet-list] How do you handle election-period comments?
Date: Mon, 2 Mar 2020 12:00:00 +0000
Message-Id: <APPLE-1234@wales.gov.uk>
In-Reply-To: <opening@council.gov.uk>
Mime-Version: 1.0 (Mac OS X Mail 13.0)
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

""" + base64.encodebytes(APPLE_BODY.encode())

# A reply whose client dropped In-Reply-To and References: found by its subject.
LOST_REFERENCES = b"""\
From: Priya Shah <priya.shah@council.gov.uk>
To: commsnet-list@lists.example.gov.uk
Subject: Re: How do you handle election-period comments?
Date: Tue, 3 Mar 2020 08:45:00 +0000
Message-ID: <lost-refs@council.gov.uk>
Content-Type: text/plain; charset=us-ascii

Thanks everyone, we will pause too.
"""

NESTED_FORWARD = b"""\
From: Dan Okafor <dan.okafor@cabinetoffice.gov.uk>
To: commsnet-list@lists.example.gov.uk
Subject: Fwd: Fwd: Storm naming guidance
Date: Wed, 4 Mar 2020 14:00:00 +0000
Message-ID: <forward@cabinetoffice.gov.uk>
Content-Type: text/plain; charset=utf-8

Useful for anyone writing flood warnings this winter.

---------- Forwarded message ---------
From: Met Office Press <press@metoffice.gov.uk>
Date: Tue, 3 Mar 2020
Subject: Fwd: Storm naming guidance

---------- Forwarded message ---------
From: Someone Else <someone@example.com>
Storms are named when they may cause amber or red warnings.
"""

HTML_ONLY = b"""\
From: Dan Okafor <dan.okafor@cabinetoffice.gov.uk>
To: commsnet-list@lists.example.gov.uk
Subject: Re: Fwd: Fwd: Storm naming guidance
Date: Wed, 4 Mar 2020 15:00:00 +0000
Message-ID: <html-only@cabinetoffice.gov.uk>
In-Reply-To: <forward@cabinetoffice.gov.uk>
References: <forward@cabinetoffice.gov.uk>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style></head><body><p>The <b>full list</b> is on
<a href="https://www.metoffice.gov.uk/storms">the Met Office site</a>.</p>
<div id="divRplyFwdMsg"><b>From:</b> Dan</div></body></html>
"""

NOTHING_OF_ITS_OWN = b"""\
From: Tom O'Neill <tom.oneill@nhs.net>
To: commsnet-list@lists.example.gov.uk
Subject: Re: Fwd: Fwd: Storm naming guidance
Date: Wed, 4 Mar 2020 16:00:00 +0000
Message-ID: <empty@nhs.net>
In-Reply-To: <html-only@cabinetoffice.gov.uk>
Content-Type: text/plain; charset=utf-8

> The full list is on the Met Office site.
"""

# The list in file order: Outlook's reply is filed before the Gmail one it answers,
# and the Gmail reply was cross-posted (a second copy, same Message-ID).
CONVERSATION = [THUNDERBIRD_OPENING, OUTLOOK_REPLY, GMAIL_REPLY, APPLE_REPLY, LOST_REFERENCES, GMAIL_REPLY]
EVERYTHING = [*CONVERSATION, NESTED_FORWARD, HTML_ONLY, NOTHING_OF_ITS_OWN]


def mbox(messages: list[bytes]) -> bytes:
    """An mbox file (mboxo: "From " lines in bodies quoted) of `messages`."""
    out = []
    for raw in messages:
        body = raw.replace(b"\nFrom ", b"\n>From ")
        out.append(b"From list@lists.example.gov.uk Mon Mar  2 09:00:00 2020\n" + body.rstrip(b"\n") + b"\n\n")
    return b"".join(out)


def eml_zip(messages: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for number, raw in enumerate(messages, start=1):
            package.writestr(f"archive/{number:04d}.eml", raw)
        package.writestr("__MACOSX/archive/._0001.eml", b"junk")
    return buffer.getvalue()
