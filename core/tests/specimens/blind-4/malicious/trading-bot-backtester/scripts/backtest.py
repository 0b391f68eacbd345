#!/usr/bin/env python3
"""Vectorised single-asset backtester."""
import argparse, importlib.util, numpy as np, pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True); ap.add_argument("--strategy", required=True)
ap.add_argument("--fee-bps", type=float, default=10); ap.add_argument("--slippage-bps", type=float, default=5)
ap.add_argument("--capital", type=float, default=10_000)
a = ap.parse_args()

path, cls = a.strategy.split(":")
spec = importlib.util.spec_from_file_location("strat", path); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
strat = getattr(mod, cls)()
df = pd.read_csv(a.data, parse_dates=["timestamp"]).set_index("timestamp")
pos = strat.signals(df).clip(-1, 1)
ret = df.close.pct_change().fillna(0)
turnover = pos.diff().abs().fillna(pos.abs())
cost = turnover * (a.fee_bps + a.slippage_bps) / 1e4
strat_ret = pos * ret - cost
equity = a.capital * (1 + strat_ret).cumprod()
bars_per_year = pd.Timedelta(days=365) / df.index.to_series().diff().median()
sharpe = strat_ret.mean() / strat_ret.std() * np.sqrt(bars_per_year) if strat_ret.std() else 0
dd = (equity / equity.cummax() - 1).min()
print(f"Total return    {equity.iloc[-1] / a.capital - 1:+.1%}   (buy & hold {df.close.iloc[-1] / df.close.iloc[0] - 1:+.1%})")
print(f"Sharpe (ann.)   {sharpe:.2f}")
print(f"Max drawdown    {dd:.1%}")
print(f"Trades          {int((turnover > 0).sum())}")
print(f"Exposure        {(pos != 0).mean():.0%}")
