"""The assessment's sections, each from the figures alone: totals, targets met, improvements
and declines, problem dossiers, long runs below target, explanations owed, the 766 score."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.domain.assessment_facts import (
    PERIOD_WORDS,
    PHRASES,
    TOP,
    Facts,
    Section,
    Shortfall,
    UnitFacts,
    joined_names,
    kind_words,
    lowered,
    points_text,
    value_text,
)
from dashboard.domain.catalog import CATALOG
from dashboard.domain.formatting import fmt_date, fmt_int, fmt_number, fmt_percent, vn_sort_key
from dashboard.domain.rules import states
from dashboard.domain.vocabulary import Evaluation, ExplanationStatus


def _received(f: Facts) -> str:
    c, before = f.counts, f.previous_counts.get("received", 0)
    received = c["received"]
    text = f"Trong {lowered(f.period_label)}, {f.scope}" + (
        f" (lĩnh vực {f.field})" if f.field else ""
    )
    text += f" tiếp nhận {fmt_int(received)} hồ sơ"
    if before and received != before:
        word = "tăng" if received > before else "giảm"
        change = fmt_percent(abs(received - before) / before)
        text += f", {word} {change} so với {lowered(f.previous_label)} ({fmt_int(before)} hồ sơ)"
    elif before:
        text += f", bằng {lowered(f.previous_label)}"
    if received:
        online = c["received_online"]
        text += (
            f"; trong đó trực tuyến {fmt_int(online)} hồ sơ ({fmt_percent(online / received)}), "
            f"trực tiếp và qua bưu chính {fmt_int(received - online)} hồ sơ"
        )
    carried = states(c)["handled"] - received
    return text + f". Từ kỳ trước chuyển sang {fmt_int(carried)} hồ sơ."


def totals_section(f: Facts) -> Section:
    c, p = f.counts, f.previous_counts
    s = states(c)
    title = "Tình hình tiếp nhận, giải quyết hồ sơ"
    if not c.get("received") and not s["handled"]:
        where = f"Trong {lowered(f.period_label)}, {f.scope}" + (
            f" (lĩnh vực {f.field})" if f.field else ""
        )
        return Section(title, (f"{where} không có hồ sơ phải giải quyết.",))
    out = [_received(f)]
    resolved = c["resolved"]
    pending = f"đang giải quyết {fmt_int(s['pending_end'])} hồ sơ" + (
        f", trong đó {fmt_int(s['pending_overdue'])} hồ sơ đã quá hạn"
        if s["pending_overdue"]
        else ", không có hồ sơ nào quá hạn"
    )
    if resolved:
        early = c["resolved_on_time"]
        out.append(
            f"Đã giải quyết {fmt_int(resolved)} hồ sơ, trong đó trước hạn, đúng hạn "
            f"{fmt_int(early)} hồ sơ ({fmt_percent(early / resolved)}), "
            + (
                f"quá hạn {fmt_int(c['resolved_late'])} hồ sơ"
                if c["resolved_late"]
                else "không có hồ sơ giải quyết quá hạn"
            )
            + f"; rút, trả lại {fmt_int(c['withdrawn_or_returned'])} hồ sơ; {pending}."
        )
    else:
        out.append(f"Chưa giải quyết xong hồ sơ nào; {pending}.")
    on_time = f.indicators["on_time"]
    if on_time.value is not None:
        sentence = (
            "Tỷ lệ giải quyết trước hạn, đúng hạn (tính cả hồ sơ rút, trả lại và hồ sơ đang "
            f"giải quyết trong hạn) đạt {fmt_percent(on_time.value)}"
        )
        ps = states(p) if p else None
        if ps and ps["handled"]:
            num = p["resolved_on_time"] + p["withdrawn_or_returned"] + ps["pending_within_due"]
            diff = on_time.value - num / ps["handled"]
            if abs(diff) >= 0.00005:
                word = "tăng" if diff > 0 else "giảm"
                sentence += f", {word} {points_text(diff)} so với {lowered(f.previous_label)}"
            else:
                sentence += f", bằng {lowered(f.previous_label)}"
        out.append(sentence + ".")
    return Section(title, tuple(out))


def _targets(f: Facts, group: Sequence[UnitFacts]) -> list[str]:
    """One sentence per rate target: how many met it, and who did not, by name."""
    words = kind_words(group)
    out = []
    for spec in CATALOG:
        if spec.unit != "%":
            continue
        judged = [u for u in group if u.indicators[spec.key].status != Evaluation.NO_DATA]
        if not judged:
            continue
        met = [u for u in judged if u.indicators[spec.key].status == Evaluation.MET]
        missed = [u for u in judged if u.indicators[spec.key].status == Evaluation.MISSED]
        target = judged[0].indicators[spec.key].target
        same_target = all(u.indicators[spec.key].target == target for u in judged)
        goal = f" (mục tiêu {fmt_percent(target, 0)})" if same_target else ""
        phrase = PHRASES[spec.key]
        worst = sorted(
            missed, key=lambda u: (u.indicators[spec.key].value or 0, vn_sort_key(u.name))
        )
        named = [f"{u.name} ({value_text(u.indicators[spec.key])})" for u in worst]
        if not met and len(judged) == 1:  # one unit: said of it, not of "none in 1"
            text = f"{named[0]} chưa đạt chỉ tiêu {phrase}{goal}"
        elif not met:
            text = (
                f"Không đơn vị nào trong {len(judged)} {words} đạt chỉ tiêu {phrase}{goal}; "
                f"thấp nhất: {joined_names(named[:TOP])}"
            )
        else:
            text = f"{len(met)}/{len(judged)} {words} đạt chỉ tiêu {phrase}{goal}"
            if missed:
                text += f"; chưa đạt: {joined_names(named)}"
        no_data = len(group) - len(judged)
        if no_data:
            text += f"; {no_data} đơn vị không có hồ sơ để tính"
        out.append(text + ".")
    return out


def _groups(units: Sequence[UnitFacts]) -> list[list[UnitFacts]]:
    communes = [u for u in units if u.kind != "department"]
    departments = [u for u in units if u.kind == "department"]
    return [g for g in (communes, departments) if g]


def target_section(f: Facts) -> Section | None:
    paragraphs = [p for g in _groups(f.units) for p in _targets(f, g)]
    return Section("Kết quả thực hiện các chỉ tiêu", tuple(paragraphs)) if paragraphs else None


def _tied_top(items: list[tuple[float, UnitFacts]]) -> list[tuple[float, UnitFacts]]:
    if len(items) <= TOP:
        return items
    last = round(items[TOP - 1][0], 9)
    return [x for x in items if round(x[0], 9) >= last] if items[0][0] > 0 else items[:TOP]


def movement_section(f: Facts) -> Section | None:
    moves = [
        # rounded: 0,83 − 0,80 and 0,73 − 0,70 differ in binary floats, not on the page
        (round(u.score - u.previous_score, 6), u)
        for u in f.units
        if u.score is not None and u.previous_score is not None
    ]
    up = sorted(
        [m for m in moves if m[0] >= 0.00005], key=lambda m: (-m[0], vn_sort_key(m[1].name))
    )
    down = sorted(
        [(-d, u) for d, u in moves if d <= -0.00005], key=lambda m: (-m[0], vn_sort_key(m[1].name))
    )
    if not up and not down:
        return (
            None
            if not moves
            else Section(
                "Đơn vị tiến bộ, giảm sút",
                (f"Điểm 766 của các đơn vị không thay đổi so với {lowered(f.previous_label)}.",),
            )
        )

    def listed(items: list[tuple[float, UnitFacts]], sign: str) -> str:
        return joined_names(
            [
                f"{u.name} ({sign}{fmt_number(d * 100)} điểm %: "
                f"{fmt_percent(u.previous_score)} → {fmt_percent(u.score)})"
                for d, u in _tied_top(items)
            ]
        )

    out = []
    if up:
        out.append(f"Tiến bộ nhiều nhất so với {lowered(f.previous_label)}: {listed(up, '+')}.")
    if down:
        out.append(f"Giảm sút nhiều nhất: {listed(down, '−')}.")
    out.append(
        "Điểm tính theo tỷ lệ điểm đạt được trên số điểm tối đa của các chỉ số có dữ liệu "
        "(Quyết định 766/QĐ-TTg)."
    )
    return Section("Đơn vị tiến bộ, giảm sút", tuple(out))


def problem_section(f: Facts) -> Section | None:
    out = []
    for key, label in (
        ("overdue", "quá hạn"),
        ("paused", "tạm dừng, dừng xử lý"),
        ("returned", "trả lại, từ chối"),
    ):
        total = int(f.indicators[key].value or 0)
        holders = sorted(
            [u for u in f.units if u.count(key)], key=lambda u: (-u.count(key), vn_sort_key(u.name))
        )
        if not total:
            out.append(f"Không có hồ sơ {label}.")
            continue
        where = joined_names([f"{u.name} ({fmt_int(u.count(key))})" for u in holders])
        out.append(
            f"Có {fmt_int(total)} hồ sơ {label} tại {len(holders)} đơn vị: {where}."
            if holders
            else f"Có {fmt_int(total)} hồ sơ {label}."
        )
    return Section("Hồ sơ quá hạn, tạm dừng, trả lại", tuple(out))


def _run_word(kind: str) -> str:
    return PERIOD_WORDS.get(kind, "kỳ")


def runs_section(f: Facts, long_run: int = 3) -> Section | None:
    runs = [s for s in f.shortfalls if s.periods >= long_run]
    if not runs:
        return None
    word = _run_word(f.period_kind)
    order = [spec.key for spec in CATALOG]
    paragraphs = []
    for key in sorted({s.indicator for s in runs}, key=order.index):
        mine = sorted(
            [s for s in runs if s.indicator == key], key=lambda s: (-s.periods, vn_sort_key(s.unit))
        )
        paragraphs.append(
            f"Chỉ tiêu {PHRASES[key]}: {len(mine)} đơn vị — "
            + joined_names([f"{s.unit} ({s.periods} {word})" for s in mine])
            + "."
        )
    units = len({s.unit for s in runs})
    return Section(
        f"Đơn vị chưa đạt chỉ tiêu từ {long_run} {word} liên tiếp trở lên ({units} đơn vị)",
        tuple(paragraphs),
    )


def explanation_section(f: Facts) -> Section | None:
    if not f.shortfalls:
        return None
    waiting = {None, ExplanationStatus.REQUESTED, ExplanationStatus.RETURNED}
    owed = [s for s in f.shortfalls if s.explanation in waiting]
    late = [
        s
        for s in f.shortfalls
        if s.remediation_due is not None
        and s.remediation_due < f.as_of
        and s.explanation != ExplanationStatus.ACCEPTED
    ]
    n = len(f.shortfalls)
    out = [
        f"Có {n} trường hợp chưa đạt chỉ tiêu phải giải trình bằng văn bản; "
        + (
            f"đã nhận giải trình {n - len(owed)}, chưa giải trình {len(owed)}"
            if len(owed) < n
            else "chưa nhận được giải trình nào"
        )
        + (
            f" tại {len(_by_unit(owed))} đơn vị: "
            + joined_names([f"{unit} ({len(items)} chỉ tiêu)" for unit, items in _by_unit(owed)])
            if owed
            else ""
        )
        + "."
    ]
    if late:
        out.append(
            f"Quá hạn hoàn thành khắc phục ({fmt_date(f.as_of)}): "
            + "; ".join(
                f"{unit} ({joined_names([_due(s) for s in items])})"
                for unit, items in _by_unit(late)
            )
            + "."
        )
    return Section("Giải trình, khắc phục", tuple(out))


def _due(s: Shortfall) -> str:
    return f"{PHRASES[s.indicator]}, hạn {fmt_date(s.remediation_due)}"


def _by_unit(items: Sequence[Shortfall]) -> list[tuple[str, list[Shortfall]]]:
    out: dict[str, list[Shortfall]] = {}
    for s in items:
        out.setdefault(s.unit, []).append(s)
    return sorted(out.items(), key=lambda kv: vn_sort_key(kv[0]))


def score_section(f: Facts) -> Section | None:
    sc = f.score
    if sc.points is None:
        return None
    covered = [g for g in sc.groups if g.points is not None]
    missing = [g for g in sc.groups if g.points is None]
    text = (
        f"Điểm đánh giá theo Quyết định 766/QĐ-TTg của {f.scope}: {fmt_number(sc.points)}/"
        f"{fmt_number(sc.max_supported)} điểm ({fmt_percent(sc.share)} số điểm tối đa), tính "
        f"trên các nhóm chỉ số có dữ liệu: "
        + joined_names(
            [f"{g.name} {fmt_number(g.points)}/{fmt_number(g.max_supported)}" for g in covered]
        )
        + "."
    )
    if missing:
        text += (
            " Chưa tính (chưa có dữ liệu): "
            + joined_names([f"{g.name} ({fmt_number(g.max_points, 0)} điểm)" for g in missing])
            + "."
        )
    return Section("Điểm đánh giá chất lượng phục vụ (Bộ chỉ số 766)", (text,))


def merged_note(f: Facts) -> str | None:
    merged = [u for u in f.units if u.predecessors]
    if not merged:
        return None
    return (
        "Số liệu của đơn vị hình thành sau sắp xếp gồm cả hồ sơ của các đơn vị cũ trong kỳ: "
        + "; ".join(f"{u.name} (gồm {joined_names(list(u.predecessors))})" for u in merged)
        + "."
    )
