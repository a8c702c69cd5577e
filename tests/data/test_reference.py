"""Reference data: the real units of Nam Sách and the procedure catalog; loading is idempotent."""

import datetime as dt

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from data_access.models import Field, Procedure, Unit, UnitLink
from data_access.reference import load_reference

# The 19 communes/towns until 30/11/2024, with their GSO codes (domain guide).
COMMUNES_2024 = {
    "10606": "Thị trấn Nam Sách",
    "10609": "Nam Hưng",
    "10612": "Nam Tân",
    "10615": "Hợp Tiến",
    "10618": "Hiệp Cát",
    "10621": "Thanh Quang",
    "10624": "Quốc Tuấn",
    "10627": "Nam Chính",
    "10630": "An Bình",
    "10633": "Nam Trung",
    "10636": "An Sơn",
    "10639": "Cộng Hòa",
    "10642": "Thái Tân",
    "10645": "An Lâm",
    "10648": "Phú Điền",
    "10651": "Nam Hồng",
    "10654": "Hồng Phong",
    "10657": "Đồng Lạc",
    "10666": "Minh Tân",
}


def _valid_communes(conn, day: dt.date) -> dict[str, str]:
    rows = conn.execute(
        select(Unit.code, Unit.name).where(
            Unit.kind.in_(["commune", "town"]),
            Unit.valid_from <= day,
            (Unit.valid_to.is_(None)) | (Unit.valid_to >= day),
        )
    )
    return dict(rows.all())


def test_loading_twice_changes_nothing(empty_engine: Engine) -> None:
    with empty_engine.begin() as conn:
        first = load_reference(conn)
    with empty_engine.begin() as conn:
        snapshot = [tuple(r) for r in conn.execute(select(Unit).order_by(Unit.id))]
        links = [tuple(r) for r in conn.execute(select(UnitLink).order_by(UnitLink.predecessor_id))]
        second = load_reference(conn)
        again = [tuple(r) for r in conn.execute(select(Unit).order_by(Unit.id))]
        links_again = [
            tuple(r) for r in conn.execute(select(UnitLink).order_by(UnitLink.predecessor_id))
        ]
    assert first["inserted"] > 0 and first["updated"] == 0
    assert second["inserted"] == second["updated"] == 0
    assert second["unchanged"] == first["inserted"]
    assert snapshot == again and links == links_again


# The 15 units from 1/12/2024, with the GSO codes (domain guide): the merged Quốc Tuấn took
# Thanh Quang's code, Trần Phú Nam Trung's, An Phú An Lâm's.
COMMUNES_DEC_2024 = {
    "10606": "Thị trấn Nam Sách",
    "10609": "Nam Hưng",
    "10612": "Nam Tân",
    "10615": "Hợp Tiến",
    "10618": "Hiệp Cát",
    "10621": "Quốc Tuấn",
    "10630": "An Bình",
    "10633": "Trần Phú",
    "10636": "An Sơn",
    "10639": "Cộng Hòa",
    "10642": "Thái Tân",
    "10645": "An Phú",
    "10654": "Hồng Phong",
    "10657": "Đồng Lạc",
    "10666": "Minh Tân",
}


def test_units_before_and_after_the_december_2024_merger(empty_engine: Engine) -> None:
    with empty_engine.begin() as conn:
        load_reference(conn)
        assert _valid_communes(conn, dt.date(2024, 11, 30)) == COMMUNES_2024
        assert _valid_communes(conn, dt.date(2024, 12, 1)) == COMMUNES_DEC_2024
        assert _valid_communes(conn, dt.date(2025, 6, 30)) == COMMUNES_DEC_2024
        old, new = aliased(Unit), aliased(Unit)
        links = conn.execute(
            select(old.name, old.code, new.name, new.code, UnitLink.carries_dossiers)
            .join(old, old.id == UnitLink.predecessor_id)
            .join(new, new.id == UnitLink.successor_id)
            .where(new.valid_from <= dt.date(2024, 12, 1))
        ).all()
        assert sorted(tuple(r) for r in links) == sorted(
            [
                ("An Lâm", "10645", "An Phú", "10645", True),
                ("Nam Chính", "10627", "Trần Phú", "10633", True),
                ("Nam Hồng", "10651", "Thị trấn Nam Sách", "10606", True),
                ("Nam Trung", "10633", "Trần Phú", "10633", True),
                ("Phú Điền", "10648", "An Phú", "10645", True),
                ("Quốc Tuấn", "10624", "Quốc Tuấn", "10621", True),
                ("Thanh Quang", "10621", "Quốc Tuấn", "10621", True),
            ]
        )
        district = conn.execute(select(Unit).where(Unit.code == "291")).one()
        parent = conn.execute(select(Unit.code).where(Unit.id == district.parent_id)).scalar()
        assert (district.name, district.kind, parent) == ("Nam Sách", "district", "30")
        departments = conn.execute(
            select(func.count()).where(Unit.kind == "department", Unit.parent_id == district.id)
        ).scalar()
        assert departments == 8


def test_procedure_catalog_has_the_national_codes(empty_engine: Engine) -> None:
    with empty_engine.begin() as conn:
        load_reference(conn)
        procs = dict(conn.execute(select(Procedure.code, Procedure.name)).all())
        fields = dict(conn.execute(select(Procedure.code, Field.name).join(Field)).all())
    expected = {
        "1.001193": "Đăng ký khai sinh",
        "1.000894": "Đăng ký kết hôn",
        "1.000656": "Đăng ký khai tử",
        "1.004884": "Đăng ký lại khai sinh",
        "1.004837": "Đăng ký giám hộ",
        "1.001022": "Đăng ký nhận cha, mẹ, con",
        "1.001612": "Đăng ký thành lập hộ kinh doanh",
    }
    for code, name in expected.items():
        assert procs[code] == name
    assert procs["2.000815"].startswith("Chứng thực bản sao từ bản chính")
    assert fields["2.000884"] == "Chứng thực"
    assert fields["1.001699"] == "Bảo trợ xã hội"
    assert {"Đất đai", "Xây dựng"} <= set(fields.values())


def test_a_province_of_the_national_list_loads_once(empty_engine: Engine) -> None:
    from collections import Counter

    from data_access.reference import load_province

    with empty_engine.begin() as conn:
        load_reference(conn)  # Nam Sách, whose five communes are also Hải Phòng's
        first = load_province(conn, "31")
        again = load_province(conn, "31")
        city = conn.execute(select(Unit).where(Unit.code == "31")).one()
        members = conn.execute(select(Unit.kind).where(Unit.parent_id == city.id)).scalars()
        kinds = Counter(members)
        five = conn.execute(
            select(Unit.code, Unit.name)
            .where(Unit.parent_id == city.id, Unit.code.in_(["10606", "10633"]))
            .order_by(Unit.code)
        ).all()
    # 67 communes, 45 wards and 2 special zones (the national list of 1/7/2025).
    assert (city.name, city.kind, city.valid_from) == (
        "Thành phố Hải Phòng",
        "municipality",
        dt.date(2025, 7, 1),
    )
    assert kinds == {"commune": 67, "ward": 45, "special_zone": 2}
    assert [tuple(r) for r in five] == [("10606", "Xã Nam Sách"), ("10633", "Xã Trần Phú")]
    # 114 new units and the city, less Nam Sách's five communes and the city already there.
    assert first["inserted"] == 109 and first["updated"] == 0
    assert again["inserted"] == again["updated"] == 0


def test_an_unknown_province_is_refused(empty_engine: Engine) -> None:
    import pytest

    from data_access.reference import load_province

    with (
        pytest.raises(ValueError, match="Không có tỉnh, thành phố mã 99"),
        empty_engine.begin() as conn,
    ):
        load_province(conn, "99")


def test_a_split_names_the_successor_that_takes_the_open_dossiers(
    empty_engine: Engine, tmp_path
) -> None:
    import shutil

    from data_access.queries import all_units
    from data_access.reference import REFERENCE_DIR

    (tmp_path / "units.csv").write_text(
        "code,name,kind,parent,valid_from,valid_to,successors,sort_order\n"
        "1,Huyện X,district,,2000-01-01,,,0\n"
        "11,Xã Cũ,commune,1,2000-01-01,2025-06-30,21;22~,1\n"
        "21,Xã Mới A,commune,1,2025-07-01,,,2\n"
        "22,Xã Mới B,commune,1,2025-07-01,,,3\n",
        encoding="utf-8",
    )
    shutil.copy(REFERENCE_DIR / "procedures.csv", tmp_path / "procedures.csv")
    with empty_engine.begin() as conn:
        load_reference(conn, tmp_path)
        units = all_units(conn)
    old = units.valid_on("11", dt.date(2025, 1, 1))
    a, b = units.valid_on("21", dt.date(2025, 7, 1)), units.valid_on("22", dt.date(2025, 7, 1))
    assert old.successor_id == a.id  # the carrier
    assert a.predecessor_ids == (old.id,) and b.predecessor_ids == (old.id,)
