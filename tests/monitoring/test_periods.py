import datetime

import pytest

from monitoring.periods import Period, PeriodKind


def test_quarters_and_years_cover_whole_months():
    q1 = Period.quarter(2024, 1)
    assert (q1.start, q1.end, q1.days) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
        91,
    )
    assert Period.quarter(2025, 4).end == datetime.date(2025, 12, 31)
    assert Period.year(2025).days == 365
    assert Period.quarter_of(datetime.date(2025, 8, 15)) == Period.quarter(2025, 3)


def test_previous_and_a_year_earlier():
    assert Period.quarter(2025, 1).previous() == Period.quarter(2024, 4)
    assert Period.year(2025).previous() == Period.year(2024)
    assert Period.quarter(2025, 2).a_year_earlier() == Period.quarter(2024, 2)
    # Leap day: a year before 29 February is the last day of February.
    custom = Period(datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert custom.a_year_earlier() == Period(datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
    # A custom span's previous one is as long and ends the day before.
    assert custom.previous() == Period(datetime.date(2024, 1, 3), datetime.date(2024, 1, 31))


def test_the_last_eight_quarters_oldest_first():
    quarters = Period.year(2025).quarters_up_to(8)
    assert quarters[0] == Period.quarter(2024, 1)
    assert quarters[-1] == Period.quarter(2025, 4)
    assert all(q.kind == PeriodKind.QUARTER for q in quarters)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(datetime.date(2025, 2, 1), datetime.date(2025, 1, 31))
    with pytest.raises(ValueError):
        Period.quarter(2025, 5)


def test_labels():
    assert Period.year(2025).label == "2025"
    assert "2025" in Period.quarter(2025, 3).label
