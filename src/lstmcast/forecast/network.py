"""What the two LSTM forecasters share: their network and training settings, declared once.

``NetworkForecaster`` adds to ``lstmcast.train.NetworkEstimator`` (the LSTM, its head, training,
early stopping, seeds, saving) what forecasting needs: the look-back, the strategy (one value
ahead, fed back; or the whole horizon at once), the horizon and the loss; and builds the
``NetworkSpec`` and the ``TrainConfig`` from them. ``LocalLSTM`` (one series) and ``GlobalLSTM``
(many series) each add their own data handling.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lstmcast._checks import one_of, positive_int
from lstmcast.errors import InvalidInputError
from lstmcast.nn import NetworkSpec
from lstmcast.train import NetworkEstimator, TrainConfig

__all__ = ["STRATEGIES", "NetworkForecaster"]

STRATEGIES = ("recursive", "direct")


class NetworkForecaster(NetworkEstimator):
    """Forecasting settings of an LSTM forecaster (besides ``NetworkEstimator``'s).

    Parameters
    ----------
    look_back : int, default 1
        Past values each forecast sees.
    strategy : {"recursive", "direct"}, default "recursive"
        ``"recursive"``: the network forecasts the next value and is fed its own forecasts;
        ``"direct"``: its output layer gives the whole ``horizon`` at once.
    horizon : int, optional
        The values forecast after the data: needed by ``strategy="direct"`` and by whatever
        calibrates intervals for it.
    loss : {"mse", "mae", ...}, default "mse"
        The training loss (``lstmcast.train.LOSSES``), on the transformed scale.
    shuffle : bool, optional
        Shuffle the training windows each epoch; None shuffles unless the network is stateful.
    """

    look_back: int | Sequence[int] | None = 1
    strategy: str = "recursive"
    horizon: int | None = None
    loss: str = "mse"
    shuffle: bool | None = None

    def _outputs(self) -> int:
        """What the network outputs: the next value (recursive) or the next ``horizon`` (direct)."""
        one_of(self.strategy, STRATEGIES, "strategy")
        if self.strategy == "recursive":
            return 1
        if self.horizon is None:
            raise InvalidInputError("strategy='direct' outputs the whole horizon at once: give horizon=H")
        return positive_int(self.horizon, "horizon")

    def _spec(self) -> NetworkSpec:
        return NetworkSpec(
            input_dim=1,
            lstm_units=self.units,
            dense=self._head(self._outputs()),
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
        )

    def _training_loss(self) -> str:
        """The per-sample loss the network is trained with (``lstmcast.train.LOSSES``)."""
        return self.loss

    def _forecaster_training(self, validating: bool, **settings: Any) -> TrainConfig:
        return self._training(loss=self._training_loss(), validating=validating, shuffle=self.shuffle, **settings)
