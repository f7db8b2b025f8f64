"""reverse() for the links a page makes by the hundred: each URL pattern is reversed once
with stand-in numbers (every path converter accepts digits, and no real path holds
these), and each address is then made by putting the real values, quoted as reverse()
quotes them, in their places. The answers are those of reverse(name, args=args)."""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse

# As django.urls.resolvers quotes a reversed path.
SAFE = "!$&'()*+,;=" + "/~:@"
_MARK = 987654321000


@cache
def _pieces(name: str, count: int, prefix: str) -> tuple[str, ...]:
    """The pattern's address cut where its `count` values go."""
    marks = [str(_MARK + index) for index in range(count)]
    address = reverse(name, args=marks)
    pieces = []
    for mark in marks:
        before, found, address = address.partition(mark)
        if not found:
            raise ValueError(f"{name} does not put its values in order")
        pieces.append(before)
    pieces.append(address)
    return tuple(pieces)


def reverse_args(name: str, *args) -> str:
    """reverse(name, args=args), reversing the pattern only once per process."""
    pieces = _pieces(name, len(args), get_script_prefix())
    parts = [pieces[0]]
    for value, after in zip(args, pieces[1:], strict=True):
        # An id is digits, which quoting leaves as they are: most values are ids.
        parts.append(str(value) if type(value) is int else quote(str(value), safe=SAFE))
        parts.append(after)
    return "".join(parts)
