"""Facts worth computing once per request (which communities a member may read, say).

A middleware opens a memo for each request and closes it at the end; outside a
request (tasks, the shell, tests calling functions directly) nothing is memoised,
so a long-lived caller never sees a stale answer. Any change to who may see what
(a membership, a community, an account) clears the memo (see communities/signals.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def memoised(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for the same key."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def in_request() -> bool:
    """Whether a memo is open: facts asked for now are kept until the request ends."""
    return _memo.get() is not None


def forget_all() -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
