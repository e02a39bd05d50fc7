"""Decisions in spreadsheets: all-or-nothing import, stale rows, conflicts, export."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline.decisions import export_decisions, import_decisions
from pipeline.errors import UsageError
from pipeline.evaluate import read_findings
from pipeline.runner import run
from pipeline.store import Store

MINI = Path(__file__).parent / "data" / "mini_reference"


@pytest.fixture
def store_with_findings(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Published: June 1, 2024\n\nThe Northern Pact has 3 members. "
        "Prime Minister Rudolf Rassendyll spoke.\n",
        encoding="utf-8",
    )
    reference = tmp_path / "reference"
    shutil.copytree(MINI, reference)
    db = tmp_path / "fc.db"
    run(
        [folder],
        reference_dir=reference,
        out_dir=tmp_path / "r",
        default_date=date(2024, 6, 1),
        db=db,
    )
    rows = read_findings(tmp_path / "r" / "findings.csv")
    return db, tmp_path / "r" / "findings.csv", [row["finding_id"] for row in rows]


def write(path: Path, header: list[str], rows: list[list[str]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_an_exported_findings_file_changes_nothing(store_with_findings):
    db, findings_csv, _ = store_with_findings
    with Store.open(db) as store:
        result = import_decisions(store, findings_csv)
        assert (result.applied, store.decisions()) == (0, {})


def test_a_bom_short_rows_and_empty_rows_are_read(store_with_findings, tmp_path):
    db, _, ids = store_with_findings
    path = tmp_path / "d.csv"
    path.write_text(
        f"\ufefffinding_id,flag_status,flag_note\n{ids[0]},confirmed\n,,\n{ids[1]}\n",
        encoding="utf-8",
    )
    with Store.open(db) as store:
        result = import_decisions(store, path, by="ana")
        assert result.applied == 1
        assert store.decisions()[ids[0]].by == "ana"


def test_formula_cells_are_read_back_to_their_text(store_with_findings, tmp_path):
    db, _, ids = store_with_findings
    path = write(
        tmp_path / "d.csv",
        ["finding_id", "flag_status", "flag_note"],
        [[ids[0], "disputed", "'=source is from 2019"]],
    )
    with Store.open(db) as store:
        import_decisions(store, path)
        assert store.decisions()[ids[0]].note == "=source is from 2019"
        out = tmp_path / "export.csv"
        export_decisions(store, out)
        (row,) = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
        assert row["flag_note"] == "'=source is from 2019"
        assert import_decisions(store, out).applied == 0


def test_a_row_left_as_exported_does_not_undo_a_later_decision(store_with_findings, tmp_path):
    db, _, ids = store_with_findings
    with Store.open(db) as store:
        store.decide([(ids[0], "confirmed", "", "ana")])
        exported = tmp_path / "exported.csv"
        export_decisions(store, exported)
        store.decide([(ids[0], "dismissed", "a quotation", "bo")])
        result = import_decisions(store, exported)  # ana's old file, untouched
        assert result.applied == 0
        assert store.decisions()[ids[0]].status == "dismissed"


def test_an_edit_to_a_row_someone_decided_since_is_a_conflict(store_with_findings, tmp_path):
    db, _, ids = store_with_findings
    with Store.open(db) as store:
        store.decide([(ids[0], "confirmed", "", "ana")])
        exported = tmp_path / "exported.csv"
        export_decisions(store, exported)
        store.decide([(ids[0], "dismissed", "a quotation", "bo")])
        rows = list(csv.DictReader(exported.read_text(encoding="utf-8").splitlines()))
        rows[0]["flag_status"] = "disputed"
        edited = write(tmp_path / "edited.csv", list(rows[0]), [list(r.values()) for r in rows])
        with pytest.raises(UsageError, match=r"edited.csv:2: .* was decided dismissed by bo"):
            import_decisions(store, edited)
        assert store.decisions()[ids[0]].status == "dismissed"


def test_two_different_decisions_for_one_finding_are_refused(store_with_findings, tmp_path):
    db, _, ids = store_with_findings
    path = write(
        tmp_path / "d.csv",
        ["finding_id", "flag_status"],
        [[ids[0], "confirmed"], [ids[0], "dismissed"]],
    )
    with Store.open(db) as store:
        with pytest.raises(UsageError, match=r"d.csv:3: .* has another decision on line 2"):
            import_decisions(store, path)
        assert store.decisions() == {}


def test_a_finding_decided_before_but_no_longer_current_can_still_be_decided(
    store_with_findings, tmp_path
):
    db, _, ids = store_with_findings
    with Store.open(db) as store:
        store.decide([(ids[0], "confirmed", "", "ana")])
        store.db.execute("DELETE FROM findings WHERE finding_id = ?", (ids[0],))
        path = write(tmp_path / "d.csv", ["finding_id", "flag_status"], [[ids[0], "dismissed"]])
        assert import_decisions(store, path).applied == 1


def test_a_file_that_is_not_csv_text_is_one_clear_error(store_with_findings, tmp_path):
    db, _, _ = store_with_findings
    path = tmp_path / "d.csv"
    path.write_bytes(b"finding_id,flag_status\n\xff\xfe\xfa,confirmed\n")
    with Store.open(db) as store, pytest.raises(UsageError, match="not UTF-8 text"):
        import_decisions(store, path)
