"""SymPy on weifen's expression-swell cases (compare with `cargo run --release --example swell`
and `cargo bench --bench symbolic`).

Sizes: `tree` counts the nodes of the expression tree (`preorder_traversal`), `DAG` the
distinct subexpressions among them. SymPy's sums and products are n-ary and its powers are
nodes with an exponent node, so a tree here is not node-for-node weifen's; the growth is what
compares. Times are best of 3 (SymPy caches results, so each run clears its cache first).

    python3 -m venv /tmp/venv-sym && /tmp/venv-sym/bin/pip install sympy
    /tmp/venv-sym/bin/python bench/symbolic_sympy.py
"""

import time

import sympy
from sympy.core.cache import clear_cache


def sizes(e):
    nodes = list(sympy.preorder_traversal(e))
    return len(nodes), len(set(nodes))


def best_of(f, runs=3):
    best = float("inf")
    result = None
    for _ in range(runs):
        clear_cache()
        start = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - start)
    return result, best


def logistic():
    x, r = sympy.symbols("x r")
    print("Logistic map f_n = r*f*(1 - f), f_0 = x; derivative d/dx (SymPy %s)" % sympy.__version__)
    print("%3s %10s %6s %12s %7s %9s %10s" % ("n", "tree f", "DAG f", "tree f'", "DAG f'", "f'/f DAG", "diff (µs)"))
    f = x
    for n in range(1, 11):
        f = r * f * (1 - f)
        df, seconds = best_of(lambda: sympy.diff(f, x))
        tf, gf = sizes(f)
        td, gd = sizes(df)
        print("%3d %10d %6d %12d %7d %9.2f %10.1f" % (n, tf, gf, td, gd, gd / gf, seconds * 1e6))


def exp_sin():
    x = sympy.symbols("x")
    print()
    print("k-th derivative of exp(sin(x)), differentiated one order at a time")
    print("%3s %10s %6s %10s %12s %12s" % ("k", "tree", "DAG", "CSE temps", "diff (ms)", "+cse (ms)"))
    f = sympy.exp(sympy.sin(x))

    def all_orders():
        d, out = f, []
        for _ in range(10):
            d = sympy.diff(d, x)
            out.append(d)
        return out

    # Cumulative diff time to each order, as weifen reports it.
    clear_cache()
    start = time.perf_counter()
    d, ds, times = f, [], []
    for _ in range(10):
        d = sympy.diff(d, x)
        ds.append(d)
        times.append(time.perf_counter() - start)
    for k, (d, t) in enumerate(zip(ds, times), start=1):
        (temps, _), cse_seconds = best_of(lambda: sympy.cse(d), runs=1)
        tree, dag = sizes(d)
        print("%3d %10d %6d %10d %12.3f %12.3f" % (k, tree, dag, len(temps), t * 1e3, cse_seconds * 1e3))
    _, seconds = best_of(all_orders)
    print("10 orders, best of 3: %.3f ms" % (seconds * 1e3))


if __name__ == "__main__":
    logistic()
    exp_sin()
