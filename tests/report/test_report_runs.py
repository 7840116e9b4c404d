"""Run folders are never reused; JSON and CSV outputs are valid, atomic and never clobber a file."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lstmcast.errors import InvalidInputError, OutputExistsError
from lstmcast.report import new_run_dir, write_csv, write_json


def strict_loads(text):
    def reject(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=reject)


def test_new_run_dir_never_reuses_a_folder(tmp_path):
    dirs = [new_run_dir(tmp_path / "runs", "airline") for _ in range(4)]
    assert len(set(dirs)) == 4
    assert all(d.is_dir() and d.parent == tmp_path / "runs" for d in dirs)
    assert dirs[0].name.startswith("airline-") and len(dirs[0].name) == len("airline-20240101-120000")
    # Same second: suffixes -2, -3 ... (all four calls normally fall within one or two seconds).
    assert any(d.name.endswith("-2") for d in dirs)


def test_new_run_dir_skips_an_existing_folder(tmp_path, monkeypatch):
    first = new_run_dir(tmp_path, "run")
    (first / "keep.txt").write_text("old results")
    stamp = first.name[len("run-") :][:15]

    import lstmcast.report.runs as runs

    monkeypatch.setattr(runs, "_timestamp", lambda: stamp)  # the clock has not moved on
    second = new_run_dir(tmp_path, "run")
    assert second != first and second.name == f"run-{stamp}-2"
    assert list(second.iterdir()) == []
    assert (first / "keep.txt").read_text() == "old results"


def test_new_run_dir_rejects_paths_as_names(tmp_path):
    with pytest.raises(InvalidInputError):
        new_run_dir(tmp_path, "a/b")


def test_write_json_converts_numpy_and_nan(tmp_path):
    obj = {
        "rmse": np.float32(1.5),
        "epochs": np.int64(7),
        "ok": np.bool_(True),
        "losses": np.array([[0.5, np.nan], [np.inf, 0.25]]),
        "nan": float("nan"),
        "nested": [{"x": np.float64(-np.inf)}, (1, 2)],
        np.int64(3): "numpy key",
        "path": Path("runs/a"),
        "when": pd.Timestamp("2024-01-02"),
    }
    path = write_json(tmp_path / "metrics.json", obj)
    data = strict_loads(path.read_text())
    assert data["rmse"] == 1.5 and data["epochs"] == 7 and data["ok"] is True
    assert data["losses"] == [[0.5, None], [None, 0.25]]
    assert data["nan"] is None and data["nested"] == [{"x": None}, [1, 2]]
    assert data["3"] == "numpy key" and data["path"] == "runs/a" and data["when"].startswith("2024-01-02")


def test_write_json_refuses_to_overwrite(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("precious")
    with pytest.raises(OutputExistsError):
        write_json(path, {"a": 1})
    assert path.read_text() == "precious"
    write_json(path, {"a": 1}, overwrite=True)
    assert strict_loads(path.read_text()) == {"a": 1}


def test_write_json_rejects_unknown_objects(tmp_path):
    with pytest.raises(InvalidInputError, match="JSON"):
        write_json(tmp_path / "m.json", {"model": object()})
    assert not (tmp_path / "m.json").exists()


def test_write_csv_index_only_when_meaningful(tmp_path):
    plain = pd.DataFrame({"model": ["lstm", "naive"], "rmse": [1.5, math.pi]})
    dated = pd.DataFrame({"lstm": [1.0, 2.0]}, index=pd.date_range("2024-01-01", periods=2, freq="MS", name="ds"))
    a = write_csv(tmp_path / "a.csv", plain)
    b = write_csv(tmp_path / "b.csv", dated)
    c = write_csv(tmp_path / "c.csv", plain, index=True)
    assert a.read_text().splitlines()[0] == "model,rmse"
    assert b.read_text().splitlines()[:2] == ["ds,lstm", "2024-01-01,1.0"]
    assert c.read_text().splitlines()[0] == ",model,rmse"
    assert pd.read_csv(a).equals(plain)


def test_write_csv_refuses_to_overwrite(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("precious")
    with pytest.raises(OutputExistsError):
        write_csv(path, pd.DataFrame({"a": [1]}))
    assert path.read_text() == "precious"
    with pytest.raises(InvalidInputError):
        write_csv(tmp_path / "g.csv", [[1, 2]])
