"""How lstmcast's default forecaster (``recommended_params``, as the ``forecast`` command uses it)
and the recommended combination (``recommended_ensemble``: that LSTM with AutoETS and AutoCES,
their median, as ``forecast --ensemble`` makes it) compare with AutoETS, AutoTheta and seasonal
naive on M1 monthly series, inside their training files only (the competition's test parts are
never read).

    python benchmarks/defaults_m1.py                 # every 10th series with >= 60 training months
    python benchmarks/defaults_m1.py --every 1       # all that qualify (slow)
    python benchmarks/defaults_m1.py --global-lstm   # and a GlobalLSTM fitted on each series alone

Each chosen series' training file is cut 18 months before its end (the competition's horizon);
every model is fitted on the part before and forecasts the 18 months after (a one-window
rolling-origin backtest). MASE is scaled by the seasonal-naive error on the part before.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "competitions" / "m1_monthly_train.csv"


def main() -> None:
    from lstmcast.evaluate import backtest
    from lstmcast.forecast import (
        AutoETS,
        AutoTheta,
        GlobalLSTM,
        LocalLSTM,
        SeasonalNaive,
        recommended_ensemble,
        recommended_params,
    )

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--min-length", type=int, default=60)
    parser.add_argument(
        "--global-lstm",
        action="store_true",
        help="also GlobalLSTM on each series alone (32 units, batch 16, 100 epochs): the candidate one-series default",
    )
    args = parser.parse_args()
    frame = pd.read_csv(DATA)
    series = [(uid, g["y"].to_numpy(np.float64)) for uid, g in frame.groupby("unique_id", sort=True)]
    chosen = [(uid, y) for uid, y in series if len(y) >= args.min_length][:: args.every]
    rows, started = [], time.perf_counter()
    for uid, y in chosen:
        lstm = LocalLSTM(**recommended_params(y[:-18], 12))
        ensemble = recommended_ensemble(lstm, y[:-18], season=12, horizon=18)
        baselines = [SeasonalNaive(season=12), AutoETS(season=12), AutoTheta(season=12)]
        models = [lstm, ensemble]
        if args.global_lstm:
            models.append(GlobalLSTM(horizon=18, season=12, units=32, batch_size=16, epochs=100, alias="global_lstm"))
        result = backtest(models, y, horizon=18, n_windows=1, season=12, baselines=baselines)
        rows.append({"unique_id": uid, **{alias: m["mase"] for alias, m in result.metrics.items()}})
    table = pd.DataFrame(rows).set_index("unique_id")
    print(
        f"{len(table)} M1 monthly series (every {args.every}th with >= {args.min_length} training months), "
        f"horizon 18 inside the training files, {time.perf_counter() - started:.0f} s"
    )
    print("mean MASE:", table.mean().round(3).to_dict())
    print("median MASE:", table.median().round(3).to_dict())
    for alias in ("lstm", "ensemble"):
        share = float((table[alias] < table["auto_ets"]).mean())
        print(f"share of series where {alias} beats AutoETS: {share:.2f}")


if __name__ == "__main__":
    main()
