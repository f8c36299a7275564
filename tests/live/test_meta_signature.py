"""Meta Page webhook helpers: signature, subscription handshake, new comments."""

import hashlib
import hmac
import json

import pytest

from shop.live.meta import (
    FeedComment,
    feed_comments,
    sign,
    verification_response,
    verify_signature,
)

SECRET = "app-secret-123"
BODY = json.dumps({"object": "page", "entry": [{"id": "1", "changes": []}]}).encode()


def test_sign_is_hmac_sha256_of_the_body_with_the_secret():
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert sign(BODY, SECRET) == "sha256=" + expected


def test_signature_accepted_for_the_exact_bytes():
    assert verify_signature(BODY, sign(BODY, SECRET), SECRET) is True
    assert verify_signature(BODY, sign(BODY, SECRET).upper().replace("SHA256=", "sha256="), SECRET)


def test_signature_refused_for_a_changed_byte():
    header = sign(BODY, SECRET)
    for i in (0, len(BODY) // 2, len(BODY) - 1):
        changed = bytearray(BODY)
        changed[i] ^= 1
        assert verify_signature(bytes(changed), header, SECRET) is False
    assert verify_signature(BODY + b" ", header, SECRET) is False


def test_signature_refused_for_a_wrong_or_empty_secret():
    assert verify_signature(BODY, sign(BODY, SECRET), "other-secret") is False
    assert verify_signature(BODY, sign(BODY, ""), "") is False


@pytest.mark.parametrize("header", [
    None,
    "",
    "sha256=",
    "sha1=" + hashlib.sha1(BODY).hexdigest(),
    "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest(),
    "sha256=" + "z" * 64,
    "sha256=" + "ab" * 31,
    "sha256=" + "ab" * 33,
    "md5=abcdef",
])
def test_signature_refused_for_missing_or_malformed_header(header):
    assert verify_signature(BODY, header, SECRET) is False


def test_signature_header_without_prefix_is_refused():
    assert verify_signature(BODY, sign(BODY, SECRET).removeprefix("sha256="), SECRET) is False


def test_handshake_answers_the_challenge_when_the_token_matches():
    params = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
    assert verification_response(params, "tok") == "1158201444"


@pytest.mark.parametrize(("params", "token"), [
    ({"hub.mode": "subscribe", "hub.verify_token": "bad", "hub.challenge": "c"}, "tok"),
    ({"hub.mode": "unsubscribe", "hub.verify_token": "tok", "hub.challenge": "c"}, "tok"),
    ({"hub.verify_token": "tok", "hub.challenge": "c"}, "tok"),
    ({"hub.mode": "subscribe", "hub.challenge": "c"}, "tok"),
    ({"hub.mode": "subscribe", "hub.verify_token": "tok"}, "tok"),
    ({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "c"}, ""),
    ({}, "tok"),
])
def test_handshake_refused(params, token):
    assert verification_response(params, token) is None


def test_handshake_works_with_a_querydict():
    from django.http import QueryDict

    params = QueryDict("hub.mode=subscribe&hub.verify_token=tok&hub.challenge=42")
    assert verification_response(params, "tok") == "42"
    assert verification_response(params, "tok2") is None


def _change(**value):
    base = {
        "item": "comment", "verb": "add", "comment_id": "111_222", "post_id": "100_111",
        "parent_id": "100_111", "from": {"id": "9", "name": "Nguyễn Văn A"},
        "message": "0987654321 SAM2 x2", "created_time": 1700000000,
    }
    base.update(value)
    return {"field": "feed", "value": base}


def _payload(*changes, **extra):
    return {"object": "page", "entry": [{"id": "100", "time": 1700000001, "changes": list(changes)}],
            **extra}


def test_a_new_comment_is_extracted():
    assert feed_comments(_payload(_change())) == [
        FeedComment(comment_id="111_222", post_id="100_111", author="Nguyễn Văn A",
                    message="0987654321 SAM2 x2", created_time=1700000000),
    ]


def test_edits_removals_reactions_and_posts_are_ignored():
    payload = _payload(
        _change(verb="edited"),
        _change(verb="remove"),
        _change(item="reaction", reaction_type="like"),
        _change(item="status", verb="add"),
        _change(item="post", verb="add"),
        {"field": "mention", "value": _change()["value"]},
        _change(comment_id="keep", message="lấy 2 A3"),
    )
    assert [c.comment_id for c in feed_comments(payload)] == ["keep"]


def test_comments_from_several_entries_keep_their_order():
    payload = {"object": "page", "entry": [
        {"id": "1", "changes": [_change(comment_id="a"), _change(comment_id="b")]},
        {"id": "2", "changes": [_change(comment_id="c")]},
    ]}
    assert [c.comment_id for c in feed_comments(payload)] == ["a", "b", "c"]


def test_malformed_pieces_are_skipped():
    payload = {"object": "page", "entry": [
        "not a dict",
        {"id": "1"},
        {"id": "2", "changes": "nope"},
        {"id": "3", "changes": [None, 5, {"field": "feed"}, {"field": "feed", "value": []}]},
        {"id": "4", "changes": [
            _change(comment_id=None),
            _change(comment_id=""),
            _change(post_id={"x": 1}),
            _change(message=None),
            _change(comment_id="ok-no-author", **{"from": "Ann"}),
            _change(comment_id="ok-bad-time", created_time="yesterday"),
            _change(comment_id=123, post_id=456),
            _change(comment_id="ok-bool-time", created_time=True),
        ]},
    ]}
    comments = feed_comments(payload)
    assert [c.comment_id for c in comments] == ["ok-no-author", "ok-bad-time", "123", "ok-bool-time"]
    assert comments[0].author == ""
    assert comments[1].created_time is None
    assert comments[2].post_id == "456"
    assert comments[3].created_time is None


@pytest.mark.parametrize("payload", [
    {"object": "page"},
    {"object": "page", "entry": None},
    {"object": "page", "entry": {"id": "1"}},
    {"object": "page", "entry": []},
])
def test_a_page_payload_without_entries_gives_nothing(payload):
    assert feed_comments(payload) == []


@pytest.mark.parametrize("payload", [
    None, [], "page", {"object": "user", "entry": []}, {"entry": []}, {"object": "instagram"},
])
def test_anything_but_a_page_payload_is_refused(payload):
    with pytest.raises(ValueError):
        feed_comments(payload)
