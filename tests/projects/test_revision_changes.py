"""The one comparison of a revision (memo and approvals queue) reads old
frozen copies too: before money stayed a number, a snapshot kept the
project's total as formatted text under ``budget_total``."""

from decimal import Decimal

from projects.revision_changes import compare


def _row(pk, budget, months=("2024-11-01",)):
    return {
        "id": pk,
        "number": str(pk),
        "name": f"กิจกรรม {pk}",
        "budget": budget,
        "months": list(months),
        "months_label": "พ.ย. 2567",
    }


def test_an_old_snapshot_total_is_read_not_zero():
    before = {"budget_total": "12,345.50", "activities": [_row(1, "12345.50")]}
    after = {"total_budget": Decimal("10000.00"), "activities": [_row(1, "10000.00")]}
    changes = compare(before, after)
    assert (changes.before_total, changes.after_total) == (
        Decimal("12345.50"),
        Decimal("10000.00"),
    )
    assert changes.change == Decimal("-2345.50")
    assert changes.categories is None  # no cost lines on either side


def test_a_transfer_keeps_the_total():
    before = {
        "total_budget": "300.00",
        "activities": [_row(1, "100.00"), _row(2, "200.00")],
    }
    after = {
        "total_budget": "300.00",
        "activities": [_row(1, "150.00"), _row(2, "150.00")],
    }
    changes = compare(before, after)
    assert changes.change == 0 and changes.transferred
