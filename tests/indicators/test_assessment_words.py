"""The assessment's sentences for figures written by hand: a unit that met everything, none
that did, ties, zero dossiers, a merged unit, explanations owed and late. Every number in an
expected sentence is worked out here from the counts in the test."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.assessment import as_text, assess
from dashboard.domain.assessment_facts import Facts, Shortfall, UnitFacts
from dashboard.domain.catalog import BY_KEY, CATALOG
from dashboard.domain.score766 import GroupScore, Score766
from dashboard.domain.targets import Evaluated
from dashboard.domain.vocabulary import Evaluation, ExplanationStatus

MET, MISSED, NONE = Evaluation.MET, Evaluation.MISSED, Evaluation.NO_DATA
NO_SCORE = Score766((), (), None, 0.0)


def ev(key: str, num: int | None, den: int | None, target: float, status: str) -> Evaluated:
    rate = BY_KEY[key].unit == "%"
    value = None if num is None else (num / den if rate and den else float(num))
    return Evaluated(key, num, den, value, target, Evaluation(status), None)


def indicators(**given: Evaluated) -> dict[str, Evaluated]:
    """Every catalog indicator without data, except those given."""
    out = {s.key: ev(s.key, None, None, s.default_target, NONE) for s in CATALOG}
    return out | given


def counts(**given: int) -> dict[str, int]:
    base = dict.fromkeys(
        (
            "received",
            "received_online",
            "resolved",
            "resolved_on_time",
            "resolved_late",
            "withdrawn_or_returned",
            "returned",
            "received_to_end",
            "finished_to_end",
            "finished_before_start",
            "overdue_start_before_end",
            "overdue_end_to_end",
            "paused_open_to_end",
        ),
        0,
    )
    return base | given


def facts(units: list[UnitFacts], **kw) -> Facts:
    base = dict(
        scope="Khu vực Thử",
        period_label="Tháng 3/2025",
        period_kind="month",
        previous_label="Tháng 2/2025",
        counts=counts(),
        previous_counts=counts(),
        indicators=indicators(),
        score=NO_SCORE,
        units=units,
        shortfalls=(),
        as_of=dt.date(2025, 3, 31),
    )
    return Facts(**(base | kw))


def online(num: int, den: int) -> Evaluated:
    return ev("online_submission", num, den, 0.8, MET if num * 5 >= den * 4 else MISSED)


def unit(name: str, score=None, before=None, kind="commune", preds=(), **inds) -> UnitFacts:
    return UnitFacts(name, kind, indicators(**inds), score, before, preds)


def paragraphs(f: Facts, title: str) -> tuple[str, ...]:
    found = [s for s in assess(f) if s.title.startswith(title)]
    return found[0].paragraphs if found else ()


def test_every_unit_met_the_target() -> None:
    f = facts(
        [
            unit("An Lâm", online_submission=online(4, 5)),  # 80 %: met exactly
            unit("Thị trấn Ba", kind="town", online_submission=online(9, 10)),
        ]
    )
    assert paragraphs(f, "Kết quả thực hiện") == (
        "2/2 xã, thị trấn đạt chỉ tiêu nộp hồ sơ trực tuyến (mục tiêu 80 %).",
    )


def test_no_unit_met_the_target_names_the_lowest() -> None:
    f = facts(
        [
            unit("Đồng Lạc", online_submission=online(1, 2)),  # 50,00 %
            unit("Dương Quang", online_submission=online(3, 5)),  # 60,00 %
            unit("An Lâm", online_submission=online(7, 10)),  # 70,00 %
            unit("Bình Minh", online_submission=online(3, 4)),  # 75,00 %
            unit("Cẩm Giàng", online_submission=ev("online_submission", None, None, 0.8, NONE)),
        ]
    )
    assert paragraphs(f, "Kết quả thực hiện") == (
        "Không đơn vị nào trong 4 xã đạt chỉ tiêu nộp hồ sơ trực tuyến (mục tiêu 80 %); "
        "thấp nhất: Đồng Lạc (50,00 %), Dương Quang (60,00 %), An Lâm (70,00 %); "
        "1 đơn vị không có hồ sơ để tính.",
    )


def test_some_met_lists_every_unit_that_did_not_lowest_first_and_departments_apart() -> None:
    f = facts(
        [
            unit("Đồng Lạc", online_submission=online(2, 3)),  # 66,67 %
            unit("Dương Quang", online_submission=online(2, 3)),  # tie: D before Đ
            unit("An Lâm", online_submission=online(5, 5)),
            unit("Phòng Tư pháp", kind="department", online_submission=online(1, 4)),
        ]
    )
    assert paragraphs(f, "Kết quả thực hiện") == (
        "1/3 xã đạt chỉ tiêu nộp hồ sơ trực tuyến (mục tiêu 80 %); chưa đạt: "
        "Dương Quang (66,67 %), Đồng Lạc (66,67 %).",
        # One unit in the group: said of it (issue 24: "Không đơn vị nào trong 1 …" was wrong).
        "Phòng Tư pháp (25,00 %) chưa đạt chỉ tiêu nộp hồ sơ trực tuyến (mục tiêu 80 %).",
    )


def test_totals_and_the_change_against_the_previous_period() -> None:
    # 40 received (10 online = 25,00 %), 8 carried over (received_to_end 60 − finished before
    # the start 12 = 48 handled, 48 − 40). Resolved 30: 27 early/on time (90,00 %), 3 late;
    # 2 returned; pending 60 − 28 = 32 … see the states: finished_to_end 44 − 12 = 32 finished
    # in the period, so pending at the end = 60 − 44 = 16, of them 5 overdue.
    now = counts(
        received=40,
        received_online=10,
        resolved=30,
        resolved_on_time=27,
        resolved_late=3,
        withdrawn_or_returned=2,
        returned=2,
        received_to_end=60,
        finished_before_start=12,
        finished_to_end=44,
        overdue_start_before_end=9,
        overdue_end_to_end=4,
    )
    # on time = (27 + 2 + (16 − 5)) / 48 = 40/48 = 83,33 %; before: (18 + 0 + 2) / 25 = 80 %.
    before = counts(
        received=50,
        resolved=18,
        resolved_on_time=18,
        received_to_end=25,
        finished_to_end=23,
    )
    f = facts(
        [],
        counts=now,
        previous_counts=before,
        indicators=indicators(on_time=ev("on_time", 40, 48, 1.0, MISSED)),
    )
    assert paragraphs(f, "Tình hình") == (
        "Trong tháng 3/2025, Khu vực Thử tiếp nhận 40 hồ sơ, giảm 20,00 % so với tháng 2/2025 "
        "(50 hồ sơ); trong đó trực tuyến 10 hồ sơ (25,00 %), trực tiếp và qua bưu chính 30 hồ "
        "sơ. Từ kỳ trước chuyển sang 8 hồ sơ.",
        "Đã giải quyết 30 hồ sơ, trong đó trước hạn, đúng hạn 27 hồ sơ (90,00 %), quá hạn 3 hồ "
        "sơ; rút, trả lại 2 hồ sơ; đang giải quyết 16 hồ sơ, trong đó 5 hồ sơ đã quá hạn.",
        "Tỷ lệ giải quyết trước hạn, đúng hạn (tính cả hồ sơ rút, trả lại và hồ sơ đang giải "
        "quyết trong hạn) đạt 83,33 %, tăng 3,33 điểm phần trăm so với tháng 2/2025.",
    )


def test_zero_dossiers_says_so_and_nothing_else_about_dossiers() -> None:
    f = facts([unit("An Lâm")], period_label="Từ 01/03/2025 đến 05/03/2025", period_kind="range")
    sections = assess(f)
    assert [s.title for s in sections] == ["Tình hình tiếp nhận, giải quyết hồ sơ"]
    assert sections[0].paragraphs == (
        "Trong từ 01/03/2025 đến 05/03/2025, Khu vực Thử không có hồ sơ phải giải quyết.",
    )


def test_ties_at_the_last_place_of_the_improvements_are_all_named() -> None:
    f = facts(
        [
            unit("An Lâm", 0.90, 0.85),  # +5
            unit("Bình Minh", 0.83, 0.80),  # +3
            unit("Cộng Hòa", 0.73, 0.70),  # +3
            unit("Đồng Lạc", 0.63, 0.60),  # +3
            unit("Hợp Tiến", 0.61, 0.60),  # +1: fourth place, not named
            unit("Nam Hưng", 0.50, 0.52),  # −2
            unit("Minh Tân", None, 0.52),  # no data now: not compared
        ]
    )
    assert paragraphs(f, "Đơn vị tiến bộ") == (
        "Tiến bộ nhiều nhất so với tháng 2/2025: An Lâm (+5,00 điểm %: 85,00 % → 90,00 %), "
        "Bình Minh (+3,00 điểm %: 80,00 % → 83,00 %), Cộng Hòa (+3,00 điểm %: 70,00 % → "
        "73,00 %), Đồng Lạc (+3,00 điểm %: 60,00 % → 63,00 %).",
        "Giảm sút nhiều nhất: Nam Hưng (−2,00 điểm %: 52,00 % → 50,00 %).",
        "Điểm tính theo tỷ lệ điểm đạt được trên số điểm tối đa của các chỉ số có dữ liệu "
        "(Quyết định 766/QĐ-TTg).",
    )


def test_problem_dossiers_by_unit_most_first() -> None:
    f = facts(
        [
            unit("An Lâm", overdue=ev("overdue", 2, 9, 0, MISSED)),
            unit("Bình Minh", overdue=ev("overdue", 5, 9, 0, MISSED)),
            unit("Cộng Hòa", overdue=ev("overdue", 0, 9, 0, MET)),
        ],
        counts=counts(received=5, received_to_end=9),
        indicators=indicators(
            overdue=ev("overdue", 7, 9, 0, MISSED),
            paused=ev("paused", 0, 9, 0, MET),
            returned=ev("returned", 0, 9, 0, MET),
        ),
    )
    assert paragraphs(f, "Hồ sơ quá hạn") == (
        "Có 7 hồ sơ quá hạn tại 2 đơn vị: Bình Minh (5), An Lâm (2).",
        "Không có hồ sơ tạm dừng, dừng xử lý.",
        "Không có hồ sơ trả lại, từ chối.",
    )


def test_long_runs_and_explanations_owed_and_late() -> None:
    shortfalls = [
        Shortfall("Bình Minh", "online_submission", 4, None),
        Shortfall("An Lâm", "online_submission", 3, ExplanationStatus.SUBMITTED),
        Shortfall("An Lâm", "on_time", 2, ExplanationStatus.ACCEPTED, dt.date(2025, 3, 1)),
        Shortfall(
            "Cộng Hòa", "online_payment", 1, ExplanationStatus.SUBMITTED, dt.date(2025, 3, 30)
        ),
    ]
    f = facts([], shortfalls=shortfalls)
    assert paragraphs(f, "Đơn vị chưa đạt chỉ tiêu từ 3 tháng") == (
        "Chỉ tiêu nộp hồ sơ trực tuyến: 2 đơn vị — Bình Minh (4 tháng), An Lâm (3 tháng).",
    )
    # Owed: Bình Minh (nothing on record). Late: Cộng Hòa's plan was due 30/03, the day of the
    # figures is 31/03; An Lâm's accepted plan is not late.
    assert paragraphs(f, "Giải trình") == (
        "Có 4 trường hợp chưa đạt chỉ tiêu phải giải trình bằng văn bản; đã nhận giải trình 3, "
        "chưa giải trình 1 tại 1 đơn vị: Bình Minh (1 chỉ tiêu).",
        "Quá hạn hoàn thành khắc phục (31/03/2025): Cộng Hòa (thanh toán trực tuyến, hạn "
        "30/03/2025).",
    )


def test_merged_unit_and_the_score_with_what_it_covers() -> None:
    score = Score766(
        (),
        (
            GroupScore("Tiến độ giải quyết", 20, 18.5, 20),
            GroupScore("Công khai, minh bạch", 18, None, 0),
        ),
        18.5,
        20,
    )
    f = facts(
        [unit("Trần Phú", preds=("Nam Chính", "Nam Trung"))],
        counts=counts(received=1, received_to_end=1),
        score=score,
        scope="Huyện Thử",
    )
    text = as_text(assess(f))
    assert (
        "Điểm đánh giá theo Quyết định 766/QĐ-TTg của Huyện Thử: 18,50/20,00 điểm (92,50 % số "
        "điểm tối đa), tính trên các nhóm chỉ số có dữ liệu: Tiến độ giải quyết 18,50/20,00. "
        "Chưa tính (chưa có dữ liệu): Công khai, minh bạch (18 điểm)."
    ) in text
    assert (
        "Số liệu của đơn vị hình thành sau sắp xếp gồm cả hồ sơ của các đơn vị cũ trong kỳ: "
        "Trần Phú (gồm Nam Chính, Nam Trung)."
    ) in text
    assert text.startswith("1. Tình hình tiếp nhận, giải quyết hồ sơ\n")


def test_nothing_late_and_nothing_pending_overdue_is_said_in_words() -> None:
    # 3 received, all resolved early or on time, none pending at the end.
    done = counts(received=3, resolved=3, resolved_on_time=3, received_to_end=3, finished_to_end=3)
    f = facts([], counts=done, indicators=indicators(on_time=ev("on_time", 3, 3, 1.0, MET)))
    assert paragraphs(f, "Tình hình")[1] == (
        "Đã giải quyết 3 hồ sơ, trong đó trước hạn, đúng hạn 3 hồ sơ (100,00 %), không có hồ sơ "
        "giải quyết quá hạn; rút, trả lại 0 hồ sơ; đang giải quyết 0 hồ sơ, không có hồ sơ nào "
        "quá hạn."
    )
