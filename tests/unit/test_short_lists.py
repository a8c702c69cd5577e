"""Long lists of units in the assessment's words, cut for the wall and the pack."""

from __future__ import annotations

from dashboard.domain.short_lists import shorten


def test_a_city_long_list_names_the_largest_first_and_counts_the_rest() -> None:
    units = [f"Xã {chr(65 + i % 26)}{i} ({30 - i} chỉ tiêu)" for i in range(30)]
    text = "Có 30 đơn vị chưa đạt: " + ", ".join(units) + "."
    short = shorten(text)
    named = short.removeprefix("Có 30 đơn vị chưa đạt: ").split(", ")
    assert named[:9] == units[:9]  # the 10 with the most, in order
    assert named[9] == f"{units[9]} và 20 đơn vị khác."


def test_short_lists_and_other_sentences_stay_whole() -> None:
    few = "Chưa đạt: Xã An Phú (3 chỉ tiêu), Xã Nam Sách (2 chỉ tiêu)."
    assert shorten(few) == few
    plain = "Trong quý I/2025, Huyện Nam Sách tiếp nhận 4.000 hồ sơ, tăng 2,10 %."
    assert shorten(plain) == plain
    # Figures with commas inside the brackets are one item each (87,50 %).
    many = ", ".join(f"Phường P{i} ({50 + i},25 %)" for i in range(27))
    cut = shorten(f"Thấp nhất: {many}.")
    assert cut.endswith("và 17 đơn vị khác.") and cut.count("Phường") == 10
