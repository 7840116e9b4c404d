"""Tutorial models whose code differs from any lstmcast setting in ways that change the numbers.

``CreateDatasetWindows``: the airline and milk tutorials' ``create_dataset`` drops the last
window of the data it is given (``range(len(dataset) - look_back - 1)``).

``ShampooTutorial``: the shampoo tutorial's own model, exactly as its code builds it (Brownlee,
'Time Series Forecasting with the Long Short-Term Memory Network in Python'). The tutorial differs from
``LocalLSTM(difference=1, scale="minmax", stateful=True)`` in two ways that change the numbers,
both reproduced here:

* ``timeseries_to_supervised`` pairs each difference with the one before it and fills the first
  row's missing input with 0: the 23 training rows include a made-up sample (input 0, target the
  first difference), which the model is trained on and which starts the state warm-up;
* the ``MinMaxScaler((-1, 1))`` is fitted on the two columns [input, target] of the training
  rows, each with its own min and max (the input column's range includes the made-up 0), so an
  input and the same value as a target are scaled differently.

Training is stateful at batch size 1 in order, the state reset at each epoch's start; forecasting
warms the state on the training inputs from zero and walks on through the new points without a
reset (the tutorial's ``predict(train_reshaped)`` before its walk-forward loop).
"""

from __future__ import annotations

import jax
import numpy as np

from lstmcast._checks import non_negative_int, positive_int
from lstmcast._shapes import bucket_size, pad_rows
from lstmcast.forecast import LocalForecaster
from lstmcast.forecast.local_lstm import LocalLSTM
from lstmcast.nn import NetworkSpec, ensemble_stateful, run_stateful
from lstmcast.train import TrainConfig, fit_many


class CreateDatasetWindows(LocalLSTM):
    """``LocalLSTM`` trained on every window of its training data but the last, as the
    tutorials' ``create_dataset`` builds them; forecasts still start from all the data."""

    def _prepare(self, values: np.ndarray):
        return super()._prepare(values[:-1])


class ShampooTutorial(LocalForecaster):
    """The shampoo tutorial's stateful LSTM on its own supervised frame and per-column scaler.

    Parameters
    ----------
    units : int, default 4
        LSTM units.
    epochs : int, default 3000
        Stateful epochs at batch size 1, in order, the state reset at each epoch's start.
    n_seeds : int, default 1
        Networks trained from seeds ``seed ..`` (an ensemble, averaged).
    seed : int, default 0
        The first seed.
    verbose : int, default 0
        1 shows a progress bar.
    alias : str, default "lstm"
        The forecast's column name.
    """

    min_length = 3
    units: int = 4
    epochs: int = 3000
    n_seeds: int = 1
    seed: int = 0
    verbose: int = 0
    alias: str = "lstm"

    def _fit(self, values: np.ndarray) -> None:
        inputs, targets = _supervised(values)
        self.columns_ = {
            "input": (float(inputs.min()), float(inputs.max())),
            "target": (float(targets.min()), float(targets.max())),
        }
        self.spec_ = NetworkSpec(1, (positive_int(self.units, "units"),), (1,))
        seed = non_negative_int(self.seed, "seed")
        result = fit_many(
            self.spec_,
            self._scaled(inputs, "input")[:, None, None],
            self._scaled(targets, "target"),
            TrainConfig(epochs=self.epochs, batch_size=1, stateful=True),
            seeds=[seed + k for k in range(positive_int(self.n_seeds, "n_seeds"))],
            verbose=non_negative_int(self.verbose, "verbose"),
        )
        self.params_ = result.params
        self.history_ = result.history
        self.epochs_run_ = np.asarray(result.epochs_run)

    def _scaled(self, values: np.ndarray, column: str) -> np.ndarray:
        low, high = self.columns_[column]
        return (-1.0 + 2.0 * (values - low) / (high - low)).astype(np.float32)

    def _unscaled_target(self, z: np.ndarray) -> np.ndarray:
        low, high = self.columns_["target"]
        return low + (np.asarray(z, np.float64) + 1.0) * (high - low) / 2.0

    def _one_step(self, new: np.ndarray, include_history: bool) -> np.ndarray:
        """Row ``j`` of the supervised frame predicts ``y[j + 1]``: its input is the difference
        before it (0 for the first row), its output a difference added to the true ``y[j]``."""
        y_all = np.concatenate([self.y_, new])
        inputs, _ = _supervised(y_all)
        x = self._scaled(inputs, "input")[:, None, None]
        outputs = np.asarray(
            ensemble_stateful(self.spec_, self.params_, pad_rows(x, bucket_size(len(x))))[0][:, : len(x), 0]
        )
        predictions = np.full((len(outputs), len(y_all)), np.nan)
        predictions[:, 1:] = y_all[:-1] + self._unscaled_target(outputs)
        return predictions if include_history else predictions[:, len(self.y_) :]

    def _forecast(self, horizon: int) -> np.ndarray:
        """Recursive, member by member: the state warmed on every training row, then each
        forecast difference fed back as the next input (scaled as an input: the columns differ)."""
        warm_up = self._scaled(_supervised(self.y_)[0], "input")[:, None, None]
        forecasts = []
        for k in range(len(self.epochs_run_)):
            params = jax.tree_util.tree_map(lambda a, k=k: a[k], self.params_)
            _, state = run_stateful(self.spec_, params, warm_up)
            difference, differences = np.diff(self.y_)[-1], []
            for _ in range(horizon):
                z, state = run_stateful(
                    self.spec_, params, self._scaled(np.array([difference]), "input")[:, None, None], state
                )
                difference = float(self._unscaled_target(z[0, 0]))
                differences.append(difference)
            forecasts.append(self.y_[-1] + np.cumsum(differences))
        return np.array(forecasts)


def _supervised(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The tutorial's ``timeseries_to_supervised(difference(values), 1)``: inputs (the previous
    difference, 0 for the first row) and targets (the differences)."""
    differences = np.diff(values)
    return np.concatenate([[0.0], differences[:-1]]), differences
