"""Long lists of units in the assessment's words, cut for a screen or a slide: a district's
lists stay whole (Nam Sách has 23 receiving units); a city's (114) name the units a meeting
acts on first, and how many more there are. The wall screen and the briefing pack cut the
same way; the full text stays in the .docx report and on the overview."""

from __future__ import annotations

import re

from dashboard.domain.formatting import fmt_int

LONG_LIST = 25
TOP_NAMES = 10
# «Xã Hà Bắc (8 chỉ tiêu)»: a unit and its figure, as the assessment lists them; the figure a
# list is ranked by when it leads the brackets: (8 chỉ tiêu), (4).
NAMED = re.compile(r"[^()]+ \(.+\)")
LEADING = re.compile(r"\((\d+)[ )]")


def _split(text: str, sep: str) -> list[str]:
    """`text` cut at each `sep` outside brackets (a unit's figure may hold commas)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if text[i] in "()":
            depth += 1 if text[i] == "(" else -1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i = start = i + len(sep)
            continue
        i += 1
    return [*parts, text[start:]]


def _figure(item: str) -> int:
    found = LEADING.search(item)
    return int(found.group(1)) if found else 0


def shorten(paragraph: str, longest: int = LONG_LIST, top: int = TOP_NAMES) -> str:
    """A sentence ending in a list of more than `longest` units («… tại 114 đơn vị: A (8 chỉ
    tiêu), B (7 chỉ tiêu), ….») names the `top` with the largest figures (the list's order
    among equals) and "và N đơn vị khác"; any other sentence comes back as it is."""
    if not paragraph.endswith("."):
        return paragraph
    *heads, body = _split(paragraph[:-1], ": ")
    sep = "; " if len(_split(body, "; ")) > 1 else ", "
    items = _split(body, sep)
    if not heads or len(items) <= longest or not all(NAMED.fullmatch(i) for i in items):
        return paragraph
    first = sorted(items, key=lambda item: -_figure(item))[:top]
    rest = fmt_int(len(items) - len(first))
    return f"{': '.join(heads)}: {sep.join(first)} và {rest} đơn vị khác."
