#!/usr/bin/env python3
"""weifen's finite differences beside numdifftools and SciPy, on the same suite.

The suite is the 25 smooth functions of crates/weifen/tests/integration/common/suite.rs (same names,
points and exact derivatives). weifen's side comes from the `numeric_suite` example, one JSON
object per (function, method); this script runs numdifftools' `Derivative` (Richardson
extrapolation of central differences, its default) and SciPy's
`scipy.differentiate.derivative` (SciPy >= 1.15) on the same functions, counts their
evaluations of f (points, not calls: both pass arrays), times them, and prints a table of the
median relative error, the evaluations, the time per derivative and the share of the suite
where the reported error bound holds.

Not run by CI. Usage:

    python3 -m venv /tmp/venv-nd && /tmp/venv-nd/bin/pip install numdifftools scipy
    cargo run --release -p weifen --example numeric_suite > /tmp/weifen.jsonl
    /tmp/venv-nd/bin/python bench/numeric_compare.py /tmp/weifen.jsonl
"""

import json
import statistics
import sys
import time

import numpy as np
import numdifftools as nd
from scipy.differentiate import derivative as scipy_derivative
from scipy.special import erf

TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)

# name: (f, f', x), as in suite.rs.
SUITE = {
    "exp": (np.exp, np.exp, 0.5),
    "exp_tiny_x": (np.exp, np.exp, 1e-8),
    "sin": (np.sin, np.cos, 1.2),
    "sin_tiny_x": (np.sin, np.cos, 1e-8),
    "cos": (np.cos, lambda x: -np.sin(x), 0.7),
    "recip_near_pole": (lambda x: 1.0 / x, lambda x: -1.0 / (x * x), 0.05),
    "recip_huge_x": (lambda x: 1.0 / x, lambda x: -1.0 / (x * x), 1e8),
    "pow1.5": (lambda x: x**1.5, lambda x: 1.5 * np.sqrt(x), 2.0),
    "pow1.5_huge_x": (lambda x: x**1.5, lambda x: 1.5 * np.sqrt(x), 1e8),
    "ln": (np.log, lambda x: 1.0 / x, 3.0),
    "ln_huge_x": (np.log, lambda x: 1.0 / x, 1e8),
    "tanh": (np.tanh, lambda x: 1.0 / np.cosh(x) ** 2, 0.8),
    "gauss": (lambda x: np.exp(-x * x), lambda x: -2.0 * x * np.exp(-x * x), 1.1),
    "x_pow_x": (lambda x: x**x, lambda x: x**x * (np.log(x) + 1.0), 1.5),
    "sqrt_huge_x": (np.sqrt, lambda x: 0.5 / np.sqrt(x), 1e8),
    "sinh": (np.sinh, np.cosh, 2.0),
    "atan": (np.arctan, lambda x: 1.0 / (1.0 + x * x), 0.3),
    "asin": (np.arcsin, lambda x: 1.0 / np.sqrt(1.0 - x * x), 0.5),
    "erf": (erf, lambda x: TWO_OVER_SQRT_PI * np.exp(-x * x), 0.4),
    "exp_sin": (lambda x: np.exp(np.sin(x)), lambda x: np.cos(x) * np.exp(np.sin(x)), 0.9),
    "cbrt": (np.cbrt, lambda x: 1.0 / (3.0 * np.cbrt(x) ** 2), 27.0),
    "poly5": (lambda x: x**5 - 3.0 * x**3 + x, lambda x: 5.0 * x**4 - 9.0 * x * x + 1.0, 1.3),
    "runge": (lambda x: 1.0 / (x * x + 1.0), lambda x: -2.0 * x / (1.0 + x * x) ** 2, 0.2),
    "ln1p_tiny_x": (np.log1p, lambda x: 1.0 / (1.0 + x), 1e-8),
    "hypot1": (lambda x: np.sqrt(x * x + 1.0), lambda x: x / np.sqrt(1.0 + x * x), -3.0),
}


class Counted:
    """f that counts the points it is evaluated at (arrays count element by element)."""

    def __init__(self, f):
        self.f, self.points = f, 0

    def __call__(self, x):
        self.points += np.size(x)
        return self.f(x)


def per_call_seconds(run, budget=0.02):
    """Mean wall time of run() over repetitions filling about `budget` seconds."""
    run()
    reps, start = 0, time.perf_counter()
    while time.perf_counter() - start < budget:
        run()
        reps += 1
    return (time.perf_counter() - start) / reps


def numdifftools_rows():
    for name, (f, df, x) in SUITE.items():
        counted = Counted(f)
        r = nd.Derivative(counted, full_output=True)(x)
        value, bound = float(r.estimate), float(np.max(r.error_estimate))
        seconds = per_call_seconds(lambda: nd.Derivative(f)(x))
        yield row("numdifftools", "Derivative", name, x, value, df(x), bound, counted.points, seconds)


def scipy_rows():
    for name, (f, df, x) in SUITE.items():
        counted = Counted(f)
        r = scipy_derivative(counted, x)
        seconds = per_call_seconds(lambda: scipy_derivative(f, x))
        yield row("scipy", "differentiate.derivative", name, x, float(r.df), df(x),
                  float(r.error), int(r.nfev), seconds)


def row(library, method, name, x, value, exact, bound, evaluations, seconds):
    return {
        "library": library, "method": method, "function": name, "x": x, "value": value,
        "exact": float(exact), "rel_error": abs((value - exact) / exact), "error_bound": bound,
        "evaluations": evaluations, "seconds": seconds,
    }


def summary(rows):
    groups = {}
    for r in rows:
        groups.setdefault((r["library"], r["method"]), []).append(r)
    print("| library | method | median rel. error | max rel. error | median evals | max evals "
          "| median time/derivative | bound holds |")
    print("|---|---|---|---|---|---|---|---|")
    for (library, method), rs in groups.items():
        rel = [r["rel_error"] for r in rs]
        ev = [r["evaluations"] for r in rs]
        t = [r["seconds"] for r in rs]
        honest = sum(abs(r["value"] - r["exact"]) <= r["error_bound"] for r in rs) / len(rs)
        print(f"| {library} | {method} | {statistics.median(rel):.1e} | {max(rel):.1e} "
              f"| {statistics.median(ev):g} | {max(ev)} | {statistics.median(t) * 1e6:.2f} µs "
              f"| {honest:.0%} |")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as lines:
        weifen = [json.loads(line) for line in lines if line.strip()]
    missing = {r["function"] for r in weifen} ^ set(SUITE)
    if missing:
        sys.exit(f"the suites differ in: {sorted(missing)}")
    with np.errstate(all="ignore"):
        rows = weifen + list(numdifftools_rows()) + list(scipy_rows())
    summary(rows)


if __name__ == "__main__":
    main()
