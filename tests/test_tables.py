import pytest

from pipeline.tables import split_row


@pytest.mark.parametrize(
    ("line", "columns", "cells"),
    [
        ("Founded in 1961 Founded in 1989", 2, ["Founded in 1961", "Founded in 1989"]),
        ("15 member states 21 member states", 2, ["15 member states", "21 member states"]),
        (
            "Budget: small and lean Budget: large",
            2,
            ["Budget: small and lean", "Budget: large"],
        ),
        (
            "Capital Oslo Capital Bern Capital Rome",
            3,
            ["Capital Oslo", "Capital Bern", "Capital Rome"],
        ),
    ],
)
def test_split_row_finds_repeated_cells(line, columns, cells):
    spans = split_row(line, columns)
    assert spans is not None
    assert [line[start:end] for start, end in spans] == cells


@pytest.mark.parametrize(
    ("line", "columns"),
    [
        ("The council met in Oslo on Monday to discuss the budget.", 2),
        ("Founded in 1961", 2),
        ("Founded in 1961 Founded in 1989", 1),
        ("", 2),
        ("Founded Founded", 2),
    ],
)
def test_split_row_rejects_prose(line, columns):
    assert split_row(line, columns) is None


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("40 member states 12 member countries", ["40 member states", "12 member countries"]),
        ("Set up in 1961 Established in 1989", ["Set up in 1961", "Established in 1989"]),
    ],
)
def test_split_row_handles_varied_wording(line, cells):
    spans = split_row(line, 2)
    assert spans is not None
    assert [line[start:end] for start, end in spans] == cells
