"""SymPy on weifen's expression-swell cases (compare with `cargo run --release --example swell`
and `cargo bench --bench symbolic`).

Sizes: `tree` counts the nodes of the expression tree (`preorder_traversal`), `DAG` the
distinct subexpressions among them. SymPy's sums and products are n-ary and its powers are
nodes with an exponent node, so a tree here is not node-for-node weifen's; the growth is what
compares. Times are best of 3 (SymPy caches results, so each run clears its cache first).

    python3 -m venv /work/venv-sym && /work/venv-sym/bin/pip install sympy
    /work/venv-sym/bin/python bench/symbolic_sympy.py
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


def nth_derivatives(name, make, limit_seconds=120.0):
    """Orders 1 to 20, one at a time, as `cargo run --release --example swell` reports them:
    `ops` counts the operations after `cse` (`count_ops` of the replacements and the reduced
    expression), `tree` the nodes of the expression tree, `diff` the cumulative time to
    differentiate, `cse` and `eval` (evaluating the cse'd form at x = 0.7 with floats) the
    time of that order alone. Stops when the cumulative time passes `limit_seconds`."""
    x = sympy.symbols("x")
    print()
    print("n-th derivative of %s, differentiated one order at a time (SymPy %s)" % (name, sympy.__version__))
    print("%3s %8s %12s %11s %11s %11s" % ("n", "ops", "tree", "diff (ms)", "cse (ms)", "eval (ms)"))
    clear_cache()
    d = make(x)
    spent = 0.0
    for n in range(1, 21):
        start = time.perf_counter()
        d = sympy.diff(d, x)
        spent += time.perf_counter() - start
        start = time.perf_counter()
        replacements, reduced = sympy.cse(d)
        cse_seconds = time.perf_counter() - start
        ops = sum(sympy.count_ops(e) for _, e in replacements) + sympy.count_ops(reduced[0])
        start = time.perf_counter()
        values = {x: 0.7}
        for symbol, e in replacements:
            values[symbol] = e.evalf(subs=values)
        value = reduced[0].evalf(subs=values)
        eval_seconds = time.perf_counter() - start
        tree = sum(1 for _ in sympy.preorder_traversal(d))
        print("%3d %8d %12d %11.1f %11.1f %11.1f   %s" % (
            n, ops, tree, spent * 1e3, cse_seconds * 1e3, eval_seconds * 1e3, sympy.N(value, 17)))
        if spent + cse_seconds > limit_seconds:
            print("stopped: over %.0f s" % limit_seconds)
            break


if __name__ == "__main__":
    logistic()
    nth_derivatives("exp(sin(x))", lambda x: sympy.exp(sympy.sin(x)))
    nth_derivatives("tan(x)", lambda x: sympy.tan(x))
    nth_derivatives("the seed f", lambda x: (-2 * x**2 + 4 * x + 1) * sympy.exp(-x**2 / 2))
