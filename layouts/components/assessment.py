"""The period's assessment as a page block: numbered sections of plain paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard.domain.assessment import Section


def sections_block(sections: Sequence[Section], class_name: str = "") -> html.Ol:
    """1. Tình hình … / 2. Kết quả thực hiện các chỉ tiêu … as an ordered list."""
    return html.Ol(
        [
            html.Li(
                [html.Strong(s.title), *[html.P(p, className="mb-1") for p in s.paragraphs]],
                className="mb-2",
            )
            for s in sections
        ],
        className=f"assessment ps-3 {class_name}".strip(),
    )


def folded(block_id: str, docx_href: str) -> html.Details:
    """Folded by default; its text is computed when it is first opened (a click on its
    summary: the callback fills it)."""
    return html.Details(
        [
            html.Summary(
                "Nhận xét, đánh giá của kỳ (bấm để mở, đóng)",
                id=f"{block_id}-summary",
                className="fw-semibold",
            ),
            html.Div(
                [
                    html.A(
                        "Báo cáo kết quả giải quyết TTHC (.docx)",
                        href=docx_href,
                        download="",
                        className="download-link small",
                    ),
                    html.Div(id=f"{block_id}-text", className="mt-2"),
                ],
                className="mt-2",
            ),
        ],
        id=block_id,
        open=False,
        className="card card-body py-2 mb-3",
    )
