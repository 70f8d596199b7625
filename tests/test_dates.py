import datetime as dt

import pytest

from khaldun.dates import find_dateline, find_dates, parse_date

PUB = dt.date(2021, 2, 16)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-07-22T14:52:00Z", "2019-07-22"),
        ("July 23, 2019", "2019-07-23"),
        ("Tuesday, 16 February 2021", "2021-02-16"),
        ("16.03.2022 21:48", "2022-03-16"),
        ("Feb 16, 2021 6:41 AM UTC", "2021-02-16"),
        ("no date here", None),
    ],
)
def test_parse_date(text, expected):
    d = parse_date(text)
    assert (d.isoformat() if d else None) == expected


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        ("A rocket hit the base late on Monday, officials said.", "2021-02-15", 1),
        ("The strike happened yesterday.", "2021-02-15", 1),
        ("Drones attacked the depot overnight.", "2021-02-16", 1),
        ("Drones attacked the depot last night.", "2021-02-15", 1),
        ("Gunmen attacked the village on Tuesday.", "2021-02-16", 1),
        ("The blast on 31 December killed two.", "2020-12-31", 1),
        ("Fighting flared last week.", "2021-02-09", 2),
        ("Earlier in the week, rebels shelled the town.", "2021-02-16", 2),
        ("Clashes continued earlier this month.", "2021-02-15", 3),
        # a month whose year the sentence gives in words
        ("The convoy was ambushed in November of last year.", "2020-11-15", 3),
        ("The bridge was blown up on March 3 last year.", "2020-03-03", 1),
        ("Rebels took the town in January this year.", "2021-01-15", 3),
    ],
)
def test_relative_dates(sentence, date, precision):
    hit = find_dates(sentence, PUB)[0]
    assert (hit.date.isoformat(), hit.precision) == (date, precision)
    assert sentence[hit.start:hit.end] == hit.text


def test_weekday_inside_a_stated_month_is_not_a_second_date():
    hits = find_dates("In January this year, two gunmen attacked Sunday Mass at a church.", dt.date(2024, 6, 27))
    assert [h.text for h in hits] == ["In January"]


def test_a_month_in_a_since_clause_leaves_the_weekday():
    hits = find_dates("Shells hit a market in Omdurman on Monday, the worst attack since the siege began in March.", PUB)
    assert [(h.text, h.date.isoformat()) for h in hits if h.precision == 1] == [("on Monday", "2021-02-15")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menu\nPosted on July 23, 2019 by Front Line\nBody.", "2019-07-23"),
        ("QAMISHLO, 4 August 2023 — The agency said four fighters died on the road.", "2023-08-04"),
        ("Home\nDAILY DIGEST — Thursday, 28 November 2019\n", "2019-11-28"),
        ("KABUL, May 8. /Agency/. The ministry said in 2021 that the school was hit.", "2021-05-08"),
        ("Nothing dated here.\nAt all.", None),
    ],
)
def test_dateline(text, expected):
    d = find_dateline(text)
    assert (d.isoformat() if d else None) == expected


def test_a_year_before_the_event_noun_dates_it():
    hits = find_dates("The 2014 abduction of 276 girls from Chibok drew global attention.", PUB)
    assert [(h.text, h.precision) for h in hits] == [("The 2014", 4)]


def test_a_dateline_without_a_year_takes_the_pasted_pages_latest_year():
    from khaldun.dates import find_dateline

    text = "PORT SUDAN, 11 January (SNNS) - The army retook the city it lost in December 2023."
    assert find_dateline(text, year_text=text + "\n© 2025 Sudan National News Service") == dt.date(2025, 1, 11)
