"""Export Keras' own numbers for lstmcast's Keras-equivalence test (run once, with TensorFlow).

    python -m venv /tmp/keras && /tmp/keras/bin/pip install tensorflow-cpu keras
    KERAS_BACKEND=tensorflow /tmp/keras/bin/python benchmarks/keras_fixture.py

Not a dependency of lstmcast and not run by CI: it writes ``tests/fixtures/keras_reference.npz``
(NumPy arrays only, no pickle), which ``tests/test_keras_equivalence.py`` reads. Two tutorials,
100 epochs each, seed 7:

* airline (tutorial 003): the leaky min-max scaling, ``create_dataset(look_back=1)``, LSTM(4) ->
  Dense(1), MSE, Adam, batch 1. ``shuffle=False``: Keras draws its shuffles inside ``fit`` with
  its own generator, which no other library can replay, so the equivalence is checked in order;
* shampoo (tutorial 002): its 23-row supervised frame and per-column (-1, 1) scaling, a stateful
  LSTM(4) -> Dense(1) at batch 1, each epoch ``fit(epochs=1, shuffle=False)`` then
  ``reset_states()``; then the tutorial's warm-up over the training inputs and its walk forward
  over the 12 test rows.

For each: the training arrays, Keras' initial weights, its weights after training, and its
predictions (scaled units). Keras 3's JAX backend ignores ``stateful=True``: use TensorFlow.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "datasets" / "seeds"
OUT = ROOT / "tests" / "fixtures" / "keras_reference.npz"
EPOCHS, SEED = 100, 7


def airline(keras) -> dict[str, np.ndarray]:
    values = np.loadtxt(SEEDS / "airline_passengers.csv", delimiter=",", skiprows=1, usecols=1).astype("float32")
    scaled = (values - values.min()) / (values.max() - values.min())
    train_size = int(len(scaled) * 0.67)
    train, test = scaled[:train_size], scaled[train_size:]
    x, y = train[: len(train) - 2, None, None], train[1 : len(train) - 1]
    x_test = test[: len(test) - 2, None, None]
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input(shape=(1, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(loss="mean_squared_error", optimizer="adam")
    initial = model.get_weights()
    model.fit(x, y, epochs=EPOCHS, batch_size=1, verbose=0, shuffle=False)
    return _export("airline", x, y, initial, model.get_weights(), x_test, model.predict(x_test, verbose=0)[:, 0])


def shampoo(keras) -> dict[str, np.ndarray]:
    values = np.loadtxt(SEEDS / "shampoo_sales.csv", delimiter=",", skiprows=1, usecols=1)
    diff = np.diff(values)
    supervised = np.stack([np.r_[0.0, diff[:-1]], diff], axis=1)  # timeseries_to_supervised(diff, 1), fillna(0)
    train, test = supervised[:-12], supervised[-12:]
    low, high = train.min(axis=0), train.max(axis=0)  # MinMaxScaler((-1, 1)).fit(train), per column
    scale = lambda rows: (-1 + 2 * (rows - low) / (high - low)).astype("float32")  # noqa: E731
    train_scaled, test_scaled = scale(train), scale(test)
    x, y = train_scaled[:, :1, None], train_scaled[:, 1]
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential(
        [keras.Input(batch_shape=(1, 1, 1)), keras.layers.LSTM(4, stateful=True), keras.layers.Dense(1)]
    )
    model.compile(loss="mean_squared_error", optimizer="adam")
    initial = model.get_weights()
    for _ in range(EPOCHS):
        model.fit(x, y, epochs=1, batch_size=1, verbose=0, shuffle=False)
        model.layers[0].reset_states()
    model.predict(x, batch_size=1, verbose=0)  # the tutorial's warm-up over the training inputs
    x_test = test_scaled[:, :1, None]
    walk = np.array([model.predict(row[None], batch_size=1, verbose=0)[0, 0] for row in x_test])
    return _export("shampoo", x, y, initial, model.get_weights(), x_test, walk)


def _export(name, x, y, initial, final, x_test, predictions) -> dict[str, np.ndarray]:
    arrays = {f"{name}.x": x, f"{name}.y": y, f"{name}.x_test": x_test, f"{name}.predictions": predictions}
    arrays.update({f"{name}.initial.{k}": w for k, w in enumerate(initial)})
    arrays.update({f"{name}.final.{k}": w for k, w in enumerate(final)})
    return {key: np.asarray(value, np.float32) for key, value in arrays.items()}


def main() -> None:
    import keras
    import tensorflow as tf

    if keras.backend.backend() != "tensorflow":
        raise SystemExit("run with KERAS_BACKEND=tensorflow: Keras' JAX backend ignores stateful=True")
    arrays = {**airline(keras), **shampoo(keras)}
    meta = {"keras": keras.__version__, "tensorflow": tf.__version__, "epochs": EPOCHS, "seed": SEED}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    tmp = OUT.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {meta}")


if __name__ == "__main__":
    main()
