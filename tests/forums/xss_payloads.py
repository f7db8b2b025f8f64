"""Known XSS and HTML-injection payloads, each trying to run alert(1) or set a flag.
Used by tests/forums/test_markdown_safety.py and tests/browser/test_xss_journey.py."""

import re
from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "<javascript:alert(1)>",
    '<http://x.example/"onmouseover="alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)></select>",
    "<textarea autofocus onfocus=alert(1)></textarea>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)></audio>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<link rel=import href=data:text/html,<script>alert(1)</script>>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](&#x6A;avascript:alert(1))",
    '<img src="https://example.com/x.png" onerror="alert(1)">',
    "<img src=`javascript:alert(1)`>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<isindex action=javascript:alert(1) type=image>",
    "<button formaction=javascript:alert(1)>x</button>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="/x" onclick="alert(1)">x</a>',
    "<p onmouseover=alert(1)>hover</p>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<math href="javascript:alert(1)">x</math>',
    "@alice<img src=x onerror=alert(1)>",
    '@alice"><script>alert(1)</script>',
    "> quote <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "<h1 onclick=alert(1)>Heading</h1>",
    '<a href="https://example.com" target="_blank" onfocus="alert(1)" autofocus>x</a>',
    "<template><script>alert(1)</script></template>",
    "<plaintext><script>alert(1)</script>",
    "<x onclick=alert(1)>click</x>",
]

SAFE_SCHEMES = {"http", "https", "mailto"}


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it (control characters and spaces ignored), or None if relative."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    match = re.match(r"^([^/?#]*?):", cleaned)
    return match.group(1) if match else None


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "base", "meta"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "background"}:
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and value and _scheme(value) not in SAFE_SCHEMES | {None}:
                self.problems.append(f"{tag}[{name}={value}]")


def dangerous_parts(html: str) -> list[str]:
    """Tags, attributes and URLs in `html` that could run script; [] when it is safe."""
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.problems
