import json
import zipfile

import jax
import numpy as np
import pytest

from lstmcast import __version__
from lstmcast.errors import ModelFileError, OutputExistsError
from lstmcast.nn import Dense, ModelFile, NetworkSpec, init_network, load_network, read_model_file, save_network

SPEC = NetworkSpec(2, (4, 3), (Dense(5, "relu"), 1), dropout=0.1)


def leaves_equal(a, b):
    return all(
        np.array_equal(x, y) and x.dtype == y.dtype
        for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b))
    )


def test_round_trip_is_bit_exact_with_metadata(tmp_path):
    params = init_network(SPEC, 0)
    params["lstm"][0]["kernel"][0, 0] = np.float32(1.0000001)  # a value that text formats would round
    path = save_network(tmp_path / "model.npz", SPEC, params, metadata={"look_back": 12, "note": "x"})
    spec, loaded, metadata = load_network(path)
    assert spec == SPEC
    assert leaves_equal(params, loaded)
    assert metadata == {"look_back": 12, "note": "x"}
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    assert config["format_version"] == 1 and "lstmcast_version" in config
    assert set(np.load(path).files) >= {"lstm.0.kernel", "dense.1.bias"}  # a plain npz to NumPy


def test_data_arrays_round_trip_beside_the_weights(tmp_path):
    """``arrays`` are kept bit for bit (any shape and numeric dtype) and come back with the rest of
    the file from ``read_model_file``, which also names the lstmcast version that wrote it."""
    params = init_network(SPEC, 1)
    arrays = {
        "scores": np.random.default_rng(0).exponential(size=(7, 3)),
        "counts": np.arange(5, dtype=np.int32),
        "mask": np.array([True, False, True]),
        "nan": np.array([np.nan, -np.inf, 1e-300]),
    }
    path = save_network(tmp_path / "data.npz", SPEC, params, metadata={"kind": "x"}, arrays=arrays)
    model = read_model_file(path)
    assert isinstance(model, ModelFile)
    assert model.spec == SPEC and leaves_equal(params, model.params) and model.metadata == {"kind": "x"}
    assert model.written_by == __version__
    assert sorted(model.arrays) == sorted(arrays)
    for name, array in arrays.items():
        assert model.arrays[name].dtype == array.dtype
        np.testing.assert_array_equal(model.arrays[name], array)
    # the data arrays are not weights: a plain load_network reads the same network
    spec, loaded, metadata = load_network(path)
    assert spec == SPEC and leaves_equal(params, loaded) and metadata == {"kind": "x"}
    # a file without data arrays has none
    assert read_model_file(save_network(tmp_path / "plain.npz", SPEC, params)).arrays == {}


def test_ensemble_round_trip(tmp_path):
    stacked = jax.tree_util.tree_map(lambda *a: np.stack(a), *[init_network(SPEC, s) for s in range(3)])
    save_network(tmp_path / "ens.npz", SPEC, stacked)
    _, loaded, _ = load_network(tmp_path / "ens.npz")
    assert loaded["lstm"][1]["kernel"].shape == (3, 4, 12)
    assert leaves_equal(stacked, loaded)


def test_refuses_to_overwrite_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "model.npz"
    path.write_text("user's precious file")
    with pytest.raises(OutputExistsError):
        save_network(path, SPEC, init_network(SPEC, 0))
    assert path.read_text() == "user's precious file"
    save_network(path, SPEC, init_network(SPEC, 0), overwrite=True)
    assert load_network(path)[0] == SPEC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_bad_files_raise_model_file_error(tmp_path):
    good = save_network(tmp_path / "good.npz", SPEC, init_network(SPEC, 0))
    data = good.read_bytes()
    cases = {
        "missing.npz": None,
        "truncated.npz": data[: len(data) // 2],
        "garbage.npz": b"not a zip file at all",
        "empty.npz": b"",
    }
    for name, content in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
        with pytest.raises(ModelFileError):
            load_network(tmp_path / name)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.ones(3))
    with pytest.raises(ModelFileError):
        load_network(foreign)
    with zipfile.ZipFile(tmp_path / "other.npz", "w") as z:
        z.writestr("config.json", json.dumps({"format": "something-else"}))
    with pytest.raises(ModelFileError, match="not an lstmcast model"):
        load_network(tmp_path / "other.npz")


def test_newer_format_and_wrong_shapes_are_refused(tmp_path):
    path = save_network(tmp_path / "m.npz", SPEC, init_network(SPEC, 0))
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    config = json.loads(members["config.json"])

    def rewrite(target, **changes):
        with zipfile.ZipFile(target, "w") as z:
            for name, content in members.items():
                if name == "config.json":
                    content = json.dumps({**config, **changes})
                z.writestr(name, content)

    rewrite(tmp_path / "newer.npz", format_version=99)
    with pytest.raises(ModelFileError, match="upgrade"):
        load_network(tmp_path / "newer.npz")
    rewrite(tmp_path / "shapes.npz", network={**config["network"], "lstm_units": [5, 3]})
    with pytest.raises(ModelFileError, match="shape"):
        load_network(tmp_path / "shapes.npz")
