"""The global LSTM on the M1 and M3 competitions, beside statsforecast's benchmarks, in one run.

For each dataset in ``../shared/datasets/competitions/``: every model is fitted on
``*_train.csv`` and forecasts the whole horizon, scored against ``*_test.csv`` (the competitions'
own split): sMAPE (0-200), MASE (scaled by each series' in-sample seasonal-naive error) and OWA
against Naive2, averaged over series; the LSTM's 80% and 95% conformal intervals' coverage; and
each model's fit-and-predict seconds. Models: ``GlobalLSTM`` with its defaults (``lstm``,
its training capped at ``TRAIN_BUDGET`` windows per member, and ``lstm_full``, the same settings
with the full 20 epochs over every window, as they were validated; chosen
by backtests inside the training files, ``benchmarks/competitions_defaults.py``; the test files
are read here only, to score), ``ensemble`` (``Ensemble`` with its defaults: the default LSTM,
AutoETS and AutoCES, their median; ``forecast --ensemble``), Naive2, SeasonalNaive, AutoETS
and AutoTheta (statsforecast, default settings, season from the competition), and AutoARIMA with
``--arima``. ``--skip-full`` leaves out ``lstm_full`` (the slowest column).

    python benchmarks/competitions.py                       # six datasets
    python benchmarks/competitions.py --datasets m3_yearly --output /tmp/m3y.json
    python benchmarks/competitions.py --workers 2           # one dataset per Dask worker

Each dataset is one task (``lstmcast.parallel.run_tasks``): here in turn, or on a Dask cluster
(``--workers N`` a local one, ``--scheduler tcp://host:8786`` a running one). The numbers are the
same either way; each model's seconds are measured where it ran, so with two workers on two cores
they include the other worker's competition.

Writes ``benchmarks/results/competitions.json`` and ``competitions.md`` unless ``--output`` says
otherwise.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "competitions"
RESULTS = Path(__file__).resolve().parent / "results"
DATASETS = ("m3_yearly", "m3_quarterly", "m3_other", "m1_yearly", "m1_quarterly", "m1_monthly")
# The reference OWA, measured on this machine with statsforecast 2.1.1.
REFERENCE = {
    "m3_yearly": {"auto_ets": 0.878, "auto_theta": 0.874, "comb": 0.852},
    "m3_quarterly": {"auto_ets": 0.928, "auto_theta": 0.902, "comb": 0.879},
    "m3_other": {"auto_ets": 0.636, "auto_theta": 0.707, "comb": 0.633},
    "m1_yearly": {"auto_ets": 0.831, "auto_theta": 0.762, "comb": 0.800},
    "m1_quarterly": {"auto_ets": 0.897, "auto_theta": 0.899, "comb": 0.858},
    "m1_monthly": {"auto_ets": 0.910, "auto_theta": 0.986, "comb": 0.897},
}


def season_of(name: str) -> int:
    info = pd.read_csv(DATA / f"{name.split('_')[0]}_series_info.csv")
    train_ids = pd.read_csv(DATA / f"{name}_train.csv", usecols=["unique_id"])["unique_id"].unique()
    periods = info.loc[info["unique_id"].isin(train_ids), "seasonal_period"].unique()
    if len(periods) != 1:
        raise SystemExit(f"{name}: the series info gives several seasonal periods {periods}")
    return int(periods[0])


def run_dataset(name: str, arima: bool, full: bool = True) -> dict:
    from lstmcast.data import load_panel_csv
    from lstmcast.evaluate import holdout
    from lstmcast.forecast import AutoARIMA, AutoETS, AutoTheta, Ensemble, GlobalLSTM, Naive2, SeasonalNaive

    train, test = load_panel_csv(DATA / f"{name}_train.csv"), load_panel_csv(DATA / f"{name}_test.csv")
    season, horizon = season_of(name), int(test.lengths.max())
    lstm = GlobalLSTM(horizon=horizon, season=season)  # the defaults, as the CLI ships them
    params = lstm.get_params()
    models = [lstm] + (
        [GlobalLSTM(horizon=horizon, season=season, max_train_windows=None, alias="lstm_full")] if full else []
    )
    models += [Ensemble(horizon=horizon, season=season), Naive2(season=season)]
    models += [SeasonalNaive(season=season), AutoETS(season=season), AutoTheta(season=season)] + (
        [AutoARIMA(season=season)] if arima else []
    )
    started = time.perf_counter()
    result = holdout(models, train, test, season=season, level=[80, 95])
    table = result.table()
    return {
        "dataset": name,
        "series": len(train),
        "horizon": horizon,
        "season": season,
        "lstm_settings": params,
        "table": {
            alias: {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
            for alias, row in table.to_dict("index").items()
        },
        "failed": {alias: series for alias, series in result.failed.items() if series},
        "seconds": time.perf_counter() - started,
        "reference_owa": REFERENCE[name],
    }


def markdown(rows: list[dict]) -> str:
    models = [
        m
        for m in ("lstm", "lstm_full", "ensemble", "naive2", "seasonal_naive", "auto_ets", "auto_theta", "auto_arima")
        if any(m in r["table"] for r in rows)
    ]
    shown = [m for m in ("lstm", "lstm_full", "ensemble") if m in models]  # the models with intervals
    out = [
        "| dataset | series | h | "
        + " | ".join(f"{m} OWA" for m in models)
        + f" | {' / '.join(shown)} sMAPE | {' / '.join(shown)} 80% / 95% coverage"
        + f" | {' / '.join(shown)} / ETS / Theta s | reference ETS / Theta / Comb OWA |",
        "| --- | --- | --- | " + " | ".join("---" for _ in models) + " | --- | --- | --- | --- |",
    ]
    for r in rows:
        t, ref = r["table"], r["reference_owa"]
        owa = " | ".join("—" if m not in t or t[m].get("owa") is None else f"{t[m]['owa']:.3f}" for m in models)
        smape = " / ".join(f"{t[m]['smape']:.2f}" for m in shown)
        coverage = " ; ".join(f"{t[m]['coverage_80']:.3f} / {t[m]['coverage_95']:.3f}" for m in shown)
        seconds = " / ".join(f"{t[m]['seconds']:.0f}" if m in t else "—" for m in (*shown, "auto_ets", "auto_theta"))
        out.append(
            f"| {r['dataset']} | {r['series']} | {r['horizon']} | {owa} | {smape} | {coverage} | {seconds} | "
            f"{ref['auto_ets']:.3f} / {ref['auto_theta']:.3f} / {ref['comb']:.3f} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--arima", action="store_true", help="add AutoARIMA (minutes per dataset)")
    parser.add_argument("--skip-full", action="store_true", help="leave out lstm_full (the slowest column)")
    parser.add_argument("--output", type=Path, default=RESULTS / "competitions.json")
    parser.add_argument("--workers", type=int, help="run the datasets on a local Dask cluster of N worker processes")
    parser.add_argument("--scheduler", help="run them on a running Dask cluster, e.g. tcp://host:8786")
    args = parser.parse_args()
    from lstmcast.parallel import cluster, run_tasks

    def report(k: int, row: dict) -> None:
        t = row["table"]
        print(
            f"{row['dataset']}: "
            + ", ".join(f"{alias} OWA {r['owa']:.3f}" for alias, r in t.items() if r.get("owa") is not None)
            + f" ({row['seconds']:.0f} s)",
            flush=True,
        )

    started = time.perf_counter()
    with cluster(args.scheduler, workers=args.workers) as executor:
        rows = run_tasks(
            run_dataset,
            [(name, args.arima, not args.skip_full) for name in args.datasets],
            executor=executor,
            on_done=report,
            label="datasets",
        )
    text = markdown(rows)
    print()
    print(text)
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")
    where = args.scheduler or (f"LocalCluster({args.workers} workers)" if args.workers else "in-process")
    args.output.write_text(
        json.dumps({"rows": rows, "seconds": time.perf_counter() - started, "ran": where}, indent=2) + "\n"
    )
    args.output.with_suffix(".md").write_text(text + "\n")


if __name__ == "__main__":
    main()
