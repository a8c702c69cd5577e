"""dcc.Dropdown with its own texts (search box, select all, …) in Vietnamese."""

from __future__ import annotations

from typing import Any

from dash import dcc

LABELS_VI: dcc.Dropdown.Labels = {
    "select_all": "Chọn tất cả",
    "deselect_all": "Bỏ chọn tất cả",
    "selected_count": "Đã chọn {num_selected}",
    "search": "Tìm (gõ không dấu cũng được)",
    "clear_search": "Xóa ô tìm",
    "clear_selection": "Bỏ chọn",
    "no_options_found": "Không tìm thấy",
}


def dropdown(**props: Any) -> dcc.Dropdown:
    """A dcc.Dropdown with Vietnamese labels."""
    return dcc.Dropdown(labels=LABELS_VI, **props)
