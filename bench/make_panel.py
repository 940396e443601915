"""Writes a synthetic daily sales panel in the long format (unique_id, ds, y, promo).

Each series: a lognormal level, a slow trend, its own weekly profile, a yearly wave, promotion
days (+30% on average, known ahead in the `promo` column) and negative-binomial noise. Used to
compare `warroom backtest --data` with statsforecast and a ridge regression on the same split
(see compare_with_statsforecast.py). Deterministic for a given seed.

    python3 bench/make_panel.py --series 500 --days 730 --out panel.csv
"""
import argparse
import datetime as dt
import math
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=500)
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="panel.csv")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    start = dt.date(2023, 1, 2)
    with open(a.out, "w") as f:
        f.write("unique_id,ds,y,promo\n")
        for s in range(a.series):
            level = math.exp(rng.gauss(5.5, 1.0))
            trend = rng.gauss(0.0, 0.15) / 365
            week = [math.exp(rng.gauss(0, 0.15)) for _ in range(7)]
            mean_week = sum(week) / 7
            week = [w / mean_week for w in week]
            amplitude = rng.uniform(0.0, 0.2)
            peak = rng.uniform(0, 365)
            shape = 8.0  # negative binomial size: variance = mu + mu^2 / shape
            for t in range(a.days):
                day = start + dt.timedelta(days=t)
                promo = 1 if rng.random() < 0.05 else 0
                mu = level * max(0.3, 1 + trend * t) * week[day.weekday()] * (1 + amplitude * math.cos(2 * math.pi * (t - peak) / 365.25))
                mu *= 1.3 if promo else 1.0
                lam = rng.gammavariate(shape, mu / shape)
                y = poisson(rng, lam)
                f.write(f"S{s:04d},{day.isoformat()},{y},{promo}\n")


def poisson(rng, lam):
    if lam < 30:
        l, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= l:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


if __name__ == "__main__":
    main()
