from dashboard.domain.catalog import CATALOG, indicator


def test_catalog_holds_the_directive_targets() -> None:
    # Targets of the March 2025 directive (seed 004), typed here from the directive itself.
    expected = {
        "online_submission": 0.80,
        "online_payment": 0.80,
        "dossier_digitization": 1.0,
        "result_digitization": 1.0,
        "data_reuse": 0.50,
        "publicity": 1.0,
        "overdue": 0,
        "paused": 0,
        "returned": 0,
    }
    for key, target in expected.items():
        assert indicator(key).default_target == target, key


def test_every_indicator_is_described_in_vietnamese_and_english() -> None:
    keys = [spec.key for spec in CATALOG]
    assert len(keys) == len(set(keys)) == 11
    for spec in CATALOG:
        assert spec.name_vi and spec.name_en and spec.definition_vi
        # counts are lower-is-better, rates higher-is-better
        assert spec.higher_is_better == (spec.unit == "%")
