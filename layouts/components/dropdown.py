"""dcc.Dropdown with its own texts (search box, select all, …) in Vietnamese."""

from __future__ import annotations

from typing import Any

from dash import dcc

from dashboard.domain.formatting import fold

LABELS_VI: dcc.Dropdown.Labels = {
    "select_all": "Chọn tất cả",
    "deselect_all": "Bỏ chọn tất cả",
    "selected_count": "Đã chọn {num_selected}",
    "search": "Tìm (gõ không dấu cũng được)",
    "clear_search": "Xóa ô tìm",
    "clear_selection": "Bỏ chọn",
    "no_options_found": "Không tìm thấy",
}


def searchable(options: list[dict]) -> list[dict]:
    """Options found by what is typed with or without diacritics ("quy i" finds "Quý I/2025",
    "đồng" and "dong" find "Đồng Lạc"): the search text holds the label both ways."""
    return [
        o if "search" in o else o | {"search": f"{o['label']} {fold(str(o['label']))} {o['value']}"}
        for o in options
    ]


def dropdown(**props: Any) -> dcc.Dropdown:
    """A dcc.Dropdown with Vietnamese labels, its options searchable without diacritics."""
    if props.get("options"):
        props["options"] = searchable(props["options"])
    return dcc.Dropdown(labels=LABELS_VI, **props)
