"""Reading Authentication-Results strictly, trusting only our own server's, and
checking that a pass is aligned with the From domain."""

import email
from email import policy

import pytest

from notifications.authresults import Malformed, aligned, parse, sender_authenticated, trusted_results

OURS = "mx.commsnet.example.gov.uk"

# As written by the services that add them (values made up, shapes real).
OPENDMARC = f"{OURS}; dmarc=pass (p=reject dis=none) header.from=example.gov.uk"
OPENDKIM = (
    f"{OURS};\n\tdkim=pass (2048-bit key; unprotected) header.d=example.gov.uk header.i=@example.gov.uk "
    "header.a=rsa-sha256 header.s=selector1 header.b=Xk3a9QpL;\n\tdkim-atps=neutral"
)
GMAIL = (
    "mx.google.com;\n       dkim=pass header.i=@example.gov.uk header.s=google header.b=Qm1Nn2Oo;\n"
    "       spf=pass (google.com: domain of bob@example.gov.uk designates 209.85.128.46 as permitted sender) "
    "smtp.mailfrom=bob@example.gov.uk;\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.gov.uk"
)
MICROSOFT = "dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=example.gov.uk;"
RSPAMD = (
    f'{OURS};\n\tdkim=pass header.d=example.gov.uk header.s=mail2026 header.b="Tt8Uu9Vv";\n'
    "\tspf=pass (mx.commsnet.example.gov.uk: domain of bob@example.gov.uk designates 194.80.12.34 as permitted "
    "sender) smtp.mailfrom=bob@example.gov.uk;\n\tdmarc=pass (policy=reject) header.from=example.gov.uk"
)


def mail(*auth_results, sender="bob@example.gov.uk"):
    """A message as our server hands it over, its headers folded as they arrive."""
    headers = []
    for value in auth_results:
        if value == "RECEIVED":
            headers.append(
                "Received: from smtp.example.gov.uk\n\tby mx.commsnet.example.gov.uk; 30 Nov 2026 09:14:22 +0000"
            )
        else:
            headers.append(f"Authentication-Results: {value}")
    headers += [f"From: Bob Member <{sender}>", "Subject: Hello"]
    return email.message_from_string("\n".join(headers) + "\n\nHello\n", policy=policy.default)


@pytest.fixture(autouse=True)
def _our_server(settings):
    settings.INBOUND_AUTHSERV_IDS = [OURS]


def test_opendkim_header_parses_into_two_results():
    authserv_id, results = parse(OPENDKIM)
    assert authserv_id == OURS
    assert [(r.method, r.result) for r in results] == [("dkim", "pass"), ("dkim-atps", "neutral")]
    assert results[0].properties["header.d"] == "example.gov.uk"
    assert results[0].properties["header.i"] == "@example.gov.uk"


def test_gmail_header_with_comments_holding_colons_and_addresses_parses():
    authserv_id, results = parse(GMAIL)
    assert authserv_id == "mx.google.com"
    assert [(r.method, r.result) for r in results] == [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")]
    assert results[1].properties["smtp.mailfrom"] == "bob@example.gov.uk"


def test_rspamd_header_with_a_quoted_value_parses():
    _, results = parse(RSPAMD)
    assert results[0].properties["header.b"] == "Tt8Uu9Vv"


def test_exim_header_with_iprev_an_unknown_ptype_and_a_null_sender_parses():
    header = (
        f'{OURS}; iprev=pass (mail.example.gov.uk) smtp.remote-ip=194.80.12.34; spf=none smtp.mailfrom=""; '
        "dnswl=pass dns.zone=list.dnswl.example policy.ip=127.0.10.0; dkim=pass header.d=example.gov.uk; arc=none"
    )
    _, results = parse(header)
    assert [r.method for r in results] == ["iprev", "spf", "dnswl", "dkim", "arc"]
    assert results[1].properties["smtp.mailfrom"] == ""


def test_a_trailing_semicolon_is_tolerated():
    assert parse(f"{OURS}; dmarc=pass header.from=example.gov.uk;")[1][0].result == "pass"


def test_version_number_and_none_are_understood():
    assert parse(f"{OURS} 1; none") == (OURS, [])


def test_method_version_is_dropped_from_the_method_name():
    _, [result] = parse(f"{OURS}; dkim/1=pass header.d=example.gov.uk")
    assert result.method == "dkim"


@pytest.mark.parametrize(
    "header",
    [
        MICROSOFT,  # no authserv-id at all
        f"{OURS}; dkim=pass (unclosed comment header.d=example.gov.uk",
        f"{OURS}; dkim=pass header.d=example.gov.uk)",
        f'{OURS}; dkim=pass header.d="example.gov.uk',
        f"{OURS}; dkim=pass header.d=example.gov.uk junk",
        f"{OURS}; dkim=pass nonsense=example.gov.uk",
        f"{OURS}; dkim=pass header.d=<example.gov.uk>",
        f"{OURS}; =pass",
        f"{OURS} x; dkim=pass",
        "",
    ],
)
def test_malformed_headers_are_refused(header):
    with pytest.raises(Malformed):
        parse(header)


def test_our_servers_dmarc_pass_authenticates():
    assert sender_authenticated(mail(OPENDMARC, OPENDKIM))


def test_a_message_without_authentication_results_is_not_authenticated():
    assert not sender_authenticated(mail())


def test_a_pass_from_another_server_does_not_count():
    assert not sender_authenticated(mail(GMAIL))


def test_without_a_configured_authserv_id_nothing_counts(settings):
    settings.INBOUND_AUTHSERV_IDS = []
    assert not sender_authenticated(mail(OPENDMARC))


def test_a_header_in_our_name_below_other_headers_is_ignored():
    # What a sender writes into their own message sits below our server's Received header.
    forged = f"{OURS}; dmarc=pass header.from=example.gov.uk"
    assert not sender_authenticated(mail(f"{OURS}; spf=none smtp.mailfrom=example.gov.uk", "RECEIVED", forged))
    assert not sender_authenticated(mail(f"{OURS}; dmarc=fail header.from=example.gov.uk", "RECEIVED", forged))


def test_a_header_in_our_name_below_the_senders_own_headers_is_ignored():
    msg = mail(f"{OURS}; dmarc=pass header.from=example.gov.uk")
    forged = email.message_from_string(
        "Received: by mx.commsnet.example.gov.uk\nDKIM-Signature: v=1; d=example.gov.uk\n" + msg.as_string(),
        policy=policy.default,
    )
    assert not sender_authenticated(forged)


def test_trace_headers_above_our_header_are_expected():
    msg = mail(f"{OURS}; dmarc=pass header.from=example.gov.uk")
    delivered = email.message_from_string(
        "Return-Path: <bob@example.gov.uk>\nDelivered-To: x@post.example\nX-Spam-Score: 0\n"
        "Received: by mx.commsnet.example.gov.uk\n" + msg.as_string(),
        policy=policy.default,
    )
    assert sender_authenticated(delivered)


def test_a_header_in_our_name_below_anothers_is_ignored():
    assert not sender_authenticated(mail(GMAIL, OPENDMARC))


def test_the_topmost_result_for_a_method_wins():
    fail = f"{OURS}; dkim=fail header.d=example.gov.uk"
    forged = f"{OURS}; dkim=pass header.d=example.gov.uk"
    assert not sender_authenticated(mail(fail, forged))
    assert trusted_results(mail(fail, forged))["dkim"][0].result == "fail"


def test_a_malformed_header_ends_what_we_trust():
    assert not sender_authenticated(mail(f"{OURS}; dmarc=pass (broken", OPENDMARC))


def test_dmarc_fail_is_not_overridden_by_a_dkim_pass():
    header = f"{OURS}; dkim=pass header.d=example.gov.uk; dmarc=fail header.from=example.gov.uk"
    assert not sender_authenticated(mail(header))


def test_dmarc_pass_for_another_domain_does_not_count():
    assert not sender_authenticated(mail(f"{OURS}; dmarc=pass header.from=attacker.example"))


def test_aligned_spf_pass_authenticates_without_dmarc():
    assert sender_authenticated(mail(f"{OURS}; spf=pass smtp.mailfrom=bounces@mail.example.gov.uk"))


def test_unaligned_spf_pass_does_not_authenticate():
    assert not sender_authenticated(mail(f"{OURS}; spf=pass smtp.mailfrom=bounces@attacker.example"))


def test_a_dkim_pass_from_any_of_several_signatures_may_align():
    header = f"{OURS}; dkim=pass header.d=mailer.example; dkim=pass header.d=example.gov.uk"
    assert sender_authenticated(mail(header))


def test_unaligned_dkim_pass_does_not_authenticate():
    assert not sender_authenticated(mail(f"{OURS}; dkim=pass header.d=attacker.example; dmarc=none"))


@pytest.mark.parametrize(
    ("authenticated", "from_domain", "expected"),
    [
        ("example.gov.uk", "example.gov.uk", True),
        ("EXAMPLE.gov.uk.", "example.gov.uk", True),
        ("mail.example.gov.uk", "example.gov.uk", True),
        ("bounces@mail.example.gov.uk", "example.gov.uk", True),
        # Without a public-suffix list we cannot tell gov.uk from example.gov.uk: a parent never aligns.
        ("gov.uk", "example.gov.uk", False),
        ("example.gov.uk", "news.example.gov.uk", False),
        ("notexample.gov.uk", "example.gov.uk", False),
        ("example.gov.uk.attacker.example", "example.gov.uk", False),
        ("", "example.gov.uk", False),
    ],
)
def test_alignment_is_the_from_domain_or_its_subdomain(authenticated, from_domain, expected):
    assert aligned(authenticated, from_domain) is expected
