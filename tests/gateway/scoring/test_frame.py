"""Reading CSV columns: the fast path and the careful path agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gateway.scoring.frame import DataError, read_csv, read_csv_fast, target_vector


def test_fast_and_careful_readers_agree_including_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("a,b,c\n,x,1.5\n2,,\n3,y,NA\n4,z,\n")
    careful = read_csv(path)
    fast = read_csv_fast(path, ["a", "c"], ["b"])
    for name in ("a", "c"):
        assert np.array_equal(careful.numeric(name), fast.numeric(name), equal_nan=True)
    assert list(careful.categorical("b")) == list(fast.categorical("b")) == ["x", None, "y", "z"]


def test_quoted_files_fall_back_to_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('a,b\n1,"x, y"\n2,z\n')
    frame = read_csv_fast(path, ["a"], ["b"])
    assert list(frame.categorical("b")) == ["x, y", "z"]


def test_a_non_number_in_a_numeric_column_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("a,b\n1,x\nlots,y\n")
    with pytest.raises(DataError, match="column a"):
        read_csv_fast(path, ["a"], ["b"]).numeric("a")


def test_a_ragged_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('a,b\n1,"x"\n2\n')
    with pytest.raises(DataError, match="line 3"):
        read_csv(path)


def test_the_target_needs_both_outcomes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("y,a\ngood,1\ngood,2\n")
    with pytest.raises(DataError, match="both"):
        target_vector(read_csv(path), "y", "bad")
