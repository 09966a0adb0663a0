#!/usr/bin/env python3
"""Public series for the detectors' evaluation, from a pinned PyPI package (pmdarima 2.1.1, which
ships them inside the package; nothing is downloaded at run time).

    eval_detectors.py export DIR   writes DIR/taylor.csv (half-hourly electricity demand, England and
                                   Wales, 2000-06-05..2000-08-27, 4032 points), DIR/taylor_daily.csv
                                   (its daily means, 84 days) and DIR/msft_volume.csv (Microsoft daily
                                   trading volume 1986-2017, trading days only: irregular spacing).
    eval_detectors.py baseline DIR  prints, for taylor_daily, the numpy MASE of seasonal naive and
                                   naive forecasts over the last 60 origins (horizon 7), to compare
                                   with the Swift backtest's figures.

Run with the dev venv: .build/pyenv/bin/python Tests/tools/eval_detectors.py export /tmp/series
(Tests/tools/pyenv.sh creates it). Tests/DetectorsTests/PublicSeriesTests.swift runs both.
"""
import datetime as dt
import json
import os
import sys

import numpy as np
from pmdarima.datasets import load_msft, load_taylor


def export(directory):
    os.makedirs(directory, exist_ok=True)
    taylor = load_taylor()
    start = dt.datetime(2000, 6, 5)
    with open(os.path.join(directory, "taylor.csv"), "w") as f:
        f.write("timestamp,value\n")
        for i, v in enumerate(taylor):
            f.write((start + dt.timedelta(minutes=30 * i)).strftime("%Y-%m-%dT%H:%M:%SZ") + f",{v:.1f}\n")
    daily = taylor.reshape(-1, 48).mean(axis=1)
    with open(os.path.join(directory, "taylor_daily.csv"), "w") as f:
        f.write("timestamp,value\n")
        for i, v in enumerate(daily):
            f.write((start + dt.timedelta(days=i)).strftime("%Y-%m-%d") + f",{float(v)!r}\n")
    msft = load_msft()
    with open(os.path.join(directory, "msft_volume.csv"), "w") as f:
        f.write("timestamp,value\n")
        for date, volume in zip(msft["Date"], msft["Volume"]):
            f.write(f"{date},{int(volume)}\n")
    print(json.dumps({"taylor": len(taylor), "taylor_daily": len(daily), "msft_volume": len(msft)}))


def baseline(directory):
    y = np.loadtxt(os.path.join(directory, "taylor_daily.csv"), delimiter=",", skiprows=1, usecols=1)
    n, horizon = len(y), 7
    result = {}
    for name, forecast in (("seasonal_naive", lambda t, h: y[t - 7 + (h - 1) % 7]), ("naive", lambda t, h: y[t - 1])):
        scaled = []
        for t in range(max(14, n - 60), n):
            scale = np.mean(np.abs(y[7:t] - y[:t - 7]))
            for h in range(1, min(horizon, n - t) + 1):
                scaled.append(abs(y[t + h - 1] - forecast(t, h)) / scale)
        result[name] = float(np.mean(scaled))
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("export", "baseline"):
        sys.exit(__doc__)
    {"export": export, "baseline": baseline}[sys.argv[1]](sys.argv[2])
