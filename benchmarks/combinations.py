"""Which models to combine: every subset of the candidates, by median and by mean, validated inside
the M1 and M3 training files only.

For each dataset, the training series are cut before their last ``h`` values (as
``competitions_defaults.py`` does; the test files are never read). Each candidate model is fitted
once on the cut series and forecasts the ``h`` values; the combinations are then computed from
those forecasts (the median or mean per series and step, as ``lstmcast.forecast.Ensemble``
combines them) and scored by OWA against Naive2, sMAPE and MASE (``lstmcast.metrics``, scaled by
the cut series' seasonal-naive error), on the series every candidate forecast (as the evaluation
engine scores models on the same points).

    python benchmarks/combinations.py                        # lstm, auto_ets, auto_theta, naive2
    python benchmarks/combinations.py --arima                # ... and auto_arima (minutes per set)
    python benchmarks/combinations.py --ces --lstm previous  # ... auto_ces; the LSTM of a candidate of
                                                             # competitions_defaults.py
    python benchmarks/combinations.py --datasets m3_other --output /tmp/comb.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
from competitions import DATASETS, season_of
from competitions_defaults import CANDIDATES, settings_for, validation_split


def member_forecasts(
    name: str, arima: bool, ces: bool = False, lstm: str = "default"
) -> tuple[dict[str, np.ndarray], np.ndarray, list, int, dict]:
    """Each candidate's forecasts ``(series, h)`` of the validation tails, the tails, the cut
    series, the season and each model's seconds."""
    from lstmcast.forecast import AutoARIMA, AutoCES, AutoETS, AutoTheta, GlobalLSTM, Naive2

    head, tail, horizon = validation_split(name)
    season = season_of(name)
    network = GlobalLSTM(horizon=horizon, season=season, **settings_for(lstm, horizon))
    models = [network, AutoETS(season=season), AutoTheta(season=season)]
    models += [Naive2(season=season)] + ([AutoARIMA(season=season)] if arima else [])
    models += [AutoCES(season=season)] if ces else []
    out, seconds = {}, {}
    for model in models:
        result = model.forecast_panel(head, horizon)
        out[model.alias] = result.stacked(horizon)
        seconds[model.alias] = result.seconds
    return out, np.stack(tail.values), list(head.values), season, seconds


def scores(forecast: np.ndarray, truth: np.ndarray, train: list, season: int, rows: list) -> tuple[float, float]:
    """Mean sMAPE and MASE over the series ``rows``."""
    from lstmcast.metrics import mase, smape

    return (
        float(np.mean([smape(truth[k], forecast[k]) for k in rows])),
        float(np.mean([mase(truth[k], forecast[k], y_train=train[k], season=season) for k in rows])),
    )


def evaluate(name: str, arima: bool, ces: bool = False, lstm: str = "default") -> list[dict]:
    started = time.perf_counter()
    forecasts, truth, train, season, seconds = member_forecasts(name, arima, ces, lstm)
    every = np.all([np.isfinite(f).all(axis=1) for f in forecasts.values()], axis=0)
    scored = [k for k in range(len(truth)) if every[k]]  # the series every model forecast, as the engine scores
    reference = scores(forecasts["naive2"], truth, train, season, scored)
    candidates = [alias for alias in forecasts if alias != "naive2"]
    rows = []
    for size in range(1, len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            stacked = np.stack([forecasts[alias] for alias in subset])
            for how, reduce in (("median", np.nanmedian), ("mean", np.nanmean)):
                if size == 1 and how == "mean":
                    continue
                with np.errstate(all="ignore"):
                    combined = reduce(stacked, axis=0)
                s, m = scores(combined, truth, train, season, scored)
                owa = 0.5 * (s / reference[0] + m / reference[1])
                label = subset[0] if size == 1 else f"{how}({', '.join(subset)})"
                rows.append({"dataset": name, "model": label, "owa": owa, "smape": s, "mase": m})
    shown = ", ".join(f"{alias} {s:.0f}" for alias, s in seconds.items())
    print(
        f"{name} ({time.perf_counter() - started:.0f} s; {len(scored)} of {len(truth)} series; seconds {shown})",
        flush=True,
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--arima", action="store_true", help="add AutoARIMA as a candidate (minutes per dataset)")
    parser.add_argument("--ces", action="store_true", help="add AutoCES as a candidate")
    parser.add_argument("--lstm", default="default", choices=list(CANDIDATES), help="the LSTM's settings")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    rows = [row for name in args.datasets for row in evaluate(name, args.arima, args.ces, args.lstm)]
    models = list(dict.fromkeys(r["model"] for r in rows))
    print("\nvalidation OWA (training files only)\n")
    print("| model | " + " | ".join(args.datasets) + " | mean |")
    print("| --- |" + " --- |" * (len(args.datasets) + 1))
    for model in sorted(models, key=lambda m: np.mean([r["owa"] for r in rows if r["model"] == m])):
        values = [next(r["owa"] for r in rows if r["model"] == model and r["dataset"] == d) for d in args.datasets]
        print(f"| {model} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {np.mean(values):.3f} |")
    if args.output:
        args.output.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
