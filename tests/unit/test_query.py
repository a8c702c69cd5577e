"""The view query: every page's URL, every CLI command's flags and the download links hold
the same view, and reading a hand-written URL gives exactly what it says."""

from __future__ import annotations

import pytest

from dashboard.cli import build_parser
from dashboard.domain.query import BY_URL, COMMANDS, ViewQuery
from dashboard.web.pages import PAGES

# Every parameter away from its default, with the characters a URL must escape.
EVERYTHING = ViewQuery(
    period="2025-01-05:2025-02-20",
    units=("10657", "10606@2025-07-01"),
    unit="291-NNMT",
    fields=("Hộ tịch", "Đất đai & nhà ở"),
    procedures=("1.001612", "2.000889"),
    channels=(2, 3),
    by="online_payment",
    group="phong",
    streak_only=True,
    as_of="2025-06-20",
    days=3,
    classes=("qua_han", "den_han"),
    slide_seconds=12,
    refresh_seconds=300,
    component="4.1",
)


def test_every_page_declares_parameters_the_query_knows() -> None:
    for page in PAGES:
        assert set(page.filters) <= set(BY_URL), page.key


@pytest.mark.parametrize("page", [p for p in PAGES if p.filters], ids=lambda p: p.key)
def test_a_page_url_round_trips(page) -> None:
    q = EVERYTHING.only(page.filters)
    url = q.to_url(page.filters)
    assert ViewQuery.from_url(url) == q
    # A download link is the file's path plus the page's query string: read the same way.
    assert ViewQuery.from_url(url, strict=True) == q
    # What the page does not take stays out of its URL.
    names = {pair.split("=")[0] for pair in url.lstrip("?").split("&")}
    assert names <= set(page.filters)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_cli_command_round_trips(command: str) -> None:
    names = COMMANDS[command]
    q = EVERYTHING.only(names)
    required = {"digest": ["--out", "sang-nay"]}.get(command, [])  # not a view parameter
    args = build_parser().parse_args([command, *q.cli_args(names), *required])
    assert ViewQuery.from_cli(args) == q
    # The same view through the URL.
    assert ViewQuery.from_url(q.to_url(names)) == q


def test_a_hand_written_url_reads_as_it_says() -> None:
    q = ViewQuery.from_url(
        "?ky=2025-q1&don_vi=10657&don_vi=+291-NNMT+&linh_vuc=H%E1%BB%99+t%E1%BB%8Bch"
        "&kenh=2&theo=overdue&nhom=phong&lien_tiep=1&giay=15&lam_moi=0"
    )
    assert q == ViewQuery(
        period="2025-Q1",
        units=("10657", "291-NNMT"),
        fields=("Hộ tịch",),
        channels=(2,),
        by="overdue",
        group="phong",
        streak_only=True,
        slide_seconds=15,
        refresh_seconds=None,  # 0 is no interval: the screen's default applies
    )


def test_a_page_reads_leniently_and_a_download_strictly() -> None:
    url = "?ky=2025-Q9&nhom=huyen&theo=diem&kenh=2&kenh=9&linh_vuc=Hộ tịch"
    assert ViewQuery.from_url(url) == ViewQuery(fields=("Hộ tịch",), channels=(2,))
    with pytest.raises(ValueError) as refused:
        ViewQuery.from_url(url, strict=True)
    message = str(refused.value)
    for part in ("kỳ «2025-Q9»", "nhóm «huyen»", "chỉ số xếp hạng «diem»", "kênh «9»"):
        assert part in message


def test_the_url_is_written_in_one_order_with_defaults_left_out() -> None:
    league = next(p for p in PAGES if p.key == "league").filters
    q = ViewQuery(period="2025-Q1", by="online_payment")
    assert q.to_url(league) == "?ky=2025-Q1&theo=online_payment&nhom=xa"
    assert ViewQuery(period="2025-03").to_url(("ky", "lien_tiep")) == "?ky=2025-03"
    assert (
        ViewQuery(period="2025", fields=("Hộ tịch",)).to_url(("ky", "linh_vuc"))
        == "?ky=2025&linh_vuc=H%E1%BB%99+t%E1%BB%8Bch"
    )


def test_the_filter_part_of_a_cache_key_ignores_the_order_of_choice() -> None:
    a = ViewQuery(period="2025", fields=("Đất đai", "Hộ tịch"), channels=(3, 2))
    b = ViewQuery(period="2025", fields=("Hộ tịch", "Đất đai", "Hộ tịch"), channels=(2, 3))
    assert a.filter_key == b.filter_key == (("Hộ tịch", "Đất đai"), (), (2, 3))
