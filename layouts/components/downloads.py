"""A line of download links (served by dashboard/web/downloads.py)."""

from __future__ import annotations

from dash import html


def download_links(links: list[tuple[str, str]], lead: str = "Tải về:") -> html.Div:
    """'Tải về: Excel · CSV' — plain links, so the browser downloads without a callback."""
    items: list = [html.Span(lead + " ", className="text-muted")]
    for i, (label, href) in enumerate(links):
        if i:
            items.append(" · ")
        items.append(html.A(label, href=href, download="", className="download-link"))
    return html.Div(items, className="download-links small mb-2")
