import pytest

from notifications.tokens import (
    BadToken,
    make_reply_token,
    make_unsubscribe_token,
    read_reply_token,
    read_unsubscribe_token,
)


def test_reply_token_round_trips(bob):
    token = read_reply_token(make_reply_token(user=bob, thread_id=12, post_id=345))
    assert (token.user_id, token.thread_id, token.post_id, token.version) == (bob.pk, 12, 345, 1)


def test_reply_token_survives_a_mail_server_changing_its_case(bob):
    token = make_reply_token(user=bob, thread_id=12, post_id=345)
    assert read_reply_token(token.upper()).post_id == 345


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(".c.", ".d.", 1),
        lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"),
        lambda t: t + ".x",
        lambda t: "",
    ],
)
def test_tampered_reply_tokens_are_refused(bob, change):
    token = make_reply_token(user=bob, thread_id=12, post_id=345)
    with pytest.raises(BadToken):
        read_reply_token(change(token))


def test_reply_token_for_another_thread_is_not_interchangeable(bob):
    token = make_reply_token(user=bob, thread_id=12, post_id=345)
    forged = token.replace(".c.", ".d.", 1)  # thread 12 is "c" in base 36
    with pytest.raises(BadToken):
        read_reply_token(forged)


def test_unsubscribe_token_round_trips_and_rejects_forgery():
    token = make_unsubscribe_token(user_id=7, community_ids=[3, 1])
    assert read_unsubscribe_token(token) == (7, [1, 3], "", None, "")
    assert read_unsubscribe_token(token[:-2] + "xx") is None


def test_an_opt_out_token_names_the_one_email_it_stops():
    token = make_unsubscribe_token(user_id=7, community_ids=[3], opt_out="highlights")
    assert read_unsubscribe_token(token).opt_out == "highlights"
