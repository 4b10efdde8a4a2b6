"""``score-batch`` streams: chunked scoring equals scoring the whole file, whatever the chunk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gateway.scoring.batch_io import score_csv
from gateway.scoring.chunks import csv_chunks
from gateway.scoring.frame import DataError, read_csv_fast


def test_chunks_cover_every_row_once_with_their_line_numbers(population_csv: Path) -> None:
    chunks = list(csv_chunks(population_csv, ["age"], ["phone"], rows=1500))
    assert [line for line, _ in chunks] == [2, 1502, 3002]
    whole = read_csv_fast(population_csv, ["age"], ["phone"])
    phones = [p for _, frame in chunks for p in frame.columns["phone"].tolist()]
    assert phones == whole.columns["phone"].tolist()


def test_scores_are_the_same_in_small_chunks_as_in_one(
    population_csv: Path, small_artefact: dict[str, Any], tmp_path: Path
) -> None:
    one, many = tmp_path / "one.csv", tmp_path / "many.csv"
    whole = score_csv(small_artefact, population_csv, one, "pepper", chunk_rows=10**7)
    chunked = score_csv(small_artefact, population_csv, many, "pepper", chunk_rows=333)
    assert one.read_text() == many.read_text()
    assert whole["rows"] == chunked["rows"] == 4000
    assert whole["segments"] == chunked["segments"]


def test_a_quoted_field_across_lines_is_never_split(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('customer_ref,note,age\na,"two\nlines",30\nb,plain,40\nc,x,50\n')
    chunks = list(csv_chunks(path, ["age"], ["customer_ref"], rows=1))
    refs = [r for _, frame in chunks for r in frame.columns["customer_ref"].tolist()]
    assert refs == ["a", "b", "c"]


def test_a_bad_phone_is_reported_at_its_line_in_the_file(
    small_artefact: dict[str, Any], tmp_path: Path, population_csv: Path
) -> None:
    lines = population_csv.read_text().splitlines()
    lines[2501] = "not-a-phone" + lines[2501][lines[2501].index(",") :]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match="line 2502: phone"):
        score_csv(small_artefact, bad, tmp_path / "out.csv", "pepper", chunk_rows=1000)


def test_an_empty_file_is_an_error(small_artefact: dict[str, Any], tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("customer_ref,age\n")
    with pytest.raises(DataError, match="no rows"):
        score_csv(small_artefact, empty, tmp_path / "out.csv", "pepper")
