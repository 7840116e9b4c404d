"""The on-disk memo: results come back identical, keyed by every input, and a broken cache
never breaks a run."""

import numpy as np

from lstmcast._cache import array_key, memoize_array


def test_memo_returns_the_saved_result_and_keys_on_every_input(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTMCAST_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("TEST_CACHE", "1")
    calls = []

    def compute(value):
        calls.append(value)
        return np.arange(3) * value

    y = np.array([1.0, 2.0, 3.0])
    first = memoize_array("t", array_key(y, 12), lambda: compute(2.0), variable="TEST_CACHE")
    again = memoize_array("t", array_key(y, 12), lambda: compute(99.0), variable="TEST_CACHE")
    np.testing.assert_array_equal(first, again)
    assert calls == [2.0]
    memoize_array("t", array_key(y + 1e-12, 12), lambda: compute(3.0), variable="TEST_CACHE")  # other data
    memoize_array("t", array_key(y, 4), lambda: compute(4.0), variable="TEST_CACHE")  # other setting
    assert calls == [2.0, 3.0, 4.0]


def test_memo_can_be_turned_off_and_survives_a_corrupt_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTMCAST_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("TEST_CACHE", "0")
    calls = []
    for _ in range(2):
        memoize_array("t", "k", lambda: calls.append(1) or np.ones(2), variable="TEST_CACHE")
    assert len(calls) == 2 and not (tmp_path / "t").exists()
    monkeypatch.setenv("TEST_CACHE", "1")
    memoize_array("t", "k", lambda: np.ones(2), variable="TEST_CACHE")
    (saved,) = (tmp_path / "t").iterdir()
    saved.write_bytes(b"garbage")
    np.testing.assert_array_equal(memoize_array("t", "k", lambda: np.full(2, 7.0), variable="TEST_CACHE"), [7.0, 7.0])
