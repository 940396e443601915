"""Scores statsforecast's AutoETS and a global ridge regression on lag features on the same
rolling-origin split as `warroom backtest --data` (3 origins 14 days apart, the last one 28 days
before the end, 28 days ahead, WAPE pooled over series, origins and steps).

    python3 bench/make_panel.py --series 500 --days 730 --out panel.csv
    python3 bench/compare_with_statsforecast.py panel.csv
    warroom backtest --data panel.csv --json

Needs pandas, numpy, scikit-learn and statsforecast (a virtual environment is enough).
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from statsforecast import StatsForecast
from statsforecast.models import AutoETS

H, STEP, ORIGINS = 28, 14, 3


def main(path):
    df = pd.read_csv(path, parse_dates=["ds"]).sort_values(["unique_id", "ds"])
    df = df[df["y"].notna()]
    ids = df["unique_id"].unique()
    dates = np.sort(df["ds"].unique())
    Y = df.pivot(index="unique_id", columns="ds", values="y").loc[ids].to_numpy(float)
    P = df.pivot(index="unique_id", columns="ds", values="promo").loc[ids].to_numpy(float) if "promo" in df else np.zeros_like(Y)
    T = Y.shape[1]
    origins = [T - H - (ORIGINS - 1 - k) * STEP for k in range(ORIGINS)]
    dow = pd.DatetimeIndex(dates).dayofweek.to_numpy()

    # AutoETS, all series, one fit per origin.
    err = act = 0.0
    t0 = time.time()
    for o in origins:
        train = df[df["ds"] < dates[o]]
        sf = StatsForecast(models=[AutoETS(season_length=7)], freq="D", n_jobs=-1)
        fc = sf.forecast(df=train[["unique_id", "ds", "y"]], h=H)
        F = fc.pivot(index="unique_id", columns="ds", values="AutoETS").loc[ids].to_numpy(float)
        err += np.abs(Y[:, o:o + H] - F).sum()
        act += np.abs(Y[:, o:o + H]).sum()
    print(f"statsforecast AutoETS: accuracy {1 - err / act:.4f} ({time.time() - t0:.1f} s for {len(origins)} origins)")

    # Global ridge on lag features, scaled by each series' mean of the 28 days before the origin.
    def rows(o):
        L = Y[:, o - 28:o].mean(axis=1)
        ok = L > 0
        lags = Y[:, o - 28:o] / np.where(ok, L, 1)[:, None]
        X, y, scale, where = [], [], [], []
        for h in range(1, H + 1):
            d = o + h - 1
            onehot = np.zeros((Y.shape[0], 7)); onehot[:, dow[d]] = 1
            hot = np.zeros((Y.shape[0], H)); hot[:, h - 1] = 1
            X.append(np.hstack([lags, onehot, hot, P[:, d:d + 1], P[:, o - 28:o].mean(axis=1, keepdims=True)]))
            y.append(Y[:, d] / np.where(ok, L, 1)); scale.append(L); where.append(ok)
        return np.vstack(X), np.concatenate(y), np.concatenate(scale), np.concatenate(where)

    err = act = 0.0
    t0 = time.time()
    for o in origins:
        train_origins = [o - H - 7 * k for k in range(52) if o - H - 7 * k >= 28]
        parts = [rows(t) for t in train_origins]
        X = np.vstack([p[0] for p in parts]); y = np.concatenate([p[1] for p in parts]); w = np.concatenate([p[3] for p in parts])
        model = Ridge(alpha=1.0).fit(X[w], y[w])
        Xt, _, L, ok = rows(o)
        F = (model.predict(Xt) * L).reshape(H, -1).T
        err += np.abs(Y[:, o:o + H] - F).sum()
        act += np.abs(Y[:, o:o + H]).sum()
    print(f"global ridge on lags: accuracy {1 - err / act:.4f} ({time.time() - t0:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1])
