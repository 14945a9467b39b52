#!/usr/bin/env python3
"""weifen tensors beside PyTorch eager autograd and JAX, on the cases of benches/tensor.rs.

Cases (float64, the same thread count for every library):
  * the seed task f(x) = (-2x^2 + 4x + 1) exp(-x^2/2) and f'(x) on N points of [0, 5]
    (SIZES, default 1e3, 1e5, 1e6; SIZES=1000,1000000,10000000 for the `tensor_map_fn`
    group): PyTorch eager `autograd.grad` with and without `create_graph`, JAX
    `jit(vmap(grad(f)))`, and f alone in each; with F32=1 the seed also in float32
    (names end in `_f32`);
  * extended Rosenbrock with n = 1e6, evaluation, gradient, and (PyTorch) the backward pass alone;
  * the seed Jacobian of g(x) = (x0^2 + x1, x1*x2) at (1, 2, 3).

Prints the median time of each case in microseconds, one line per case, in the same names as
the criterion benchmark (`tensor_seed/graph_grad/1000`, ...), so the two can be read side by
side. A library that is not installed is skipped. Not run by CI. Usage:

    python3 -m venv /work/venv-bench && /work/venv-bench/bin/pip install jax jaxlib torch
    THREADS=2 /work/venv-bench/bin/python bench/tensor_compare.py
    THREADS=1 SIZES=1000,1000000,10000000 F32=1 /work/venv-bench/bin/python bench/tensor_compare.py
"""

import os
import statistics
import time

THREADS = int(os.environ.get("THREADS", "2"))
SIZES = [int(n) for n in os.environ.get("SIZES", "1000,100000,1000000").split(",")]
F32 = os.environ.get("F32") == "1"
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
os.environ.setdefault(
    "XLA_FLAGS", f"--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={THREADS}"
)


def median_us(fn, repeat=None, budget=2.0):
    """Median wall time of fn() in microseconds, after one warm-up call."""
    fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < (repeat or 5) or (repeat is None and time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= 1000:
            break
    return statistics.median(samples) * 1e6


def report(name, us):
    print(f"{name:55s} {us:12.1f} µs", flush=True)


def run_torch():
    import torch

    torch.set_num_threads(THREADS)
    torch.set_default_dtype(torch.float64)

    def f(x):
        x2 = x**2
        return (-2 * x2 + 4 * x + 1) * torch.exp(-x2 / 2)

    for n, (dtype, suffix) in [
        (n, d) for n in SIZES for d in [(torch.float64, "")] + [(torch.float32, "_f32")] * F32
    ]:
        x0 = torch.linspace(0, 5, n, dtype=dtype)

        def f_only():
            with torch.no_grad():
                return f(x0)

        def graph(create):
            x = x0.clone().requires_grad_(True)
            y = f(x)
            (d,) = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), create_graph=create)
            return d

        report(f"torch tensor_seed/tensor_f{suffix}/{n}", median_us(f_only))
        report(f"torch tensor_seed/graph_grad{suffix}/{n}", median_us(lambda: graph(False)))
        report(
            f"torch tensor_seed/graph_grad_create_graph{suffix}/{n}",
            median_us(lambda: graph(True)),
        )

    n = 1_000_000
    r0 = torch.tensor([-1.2 if i % 2 == 0 else 1.0 for i in range(n)])

    def rosen(x):
        return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()

    def rosen_eval():
        with torch.no_grad():
            return rosen(r0)

    def rosen_grad():
        x = r0.clone().requires_grad_(True)
        return torch.autograd.grad(rosen(x), x)[0]

    def rosen_backward_alone():
        # The forward pass outside the timed part: the figure is the backward's.
        samples = []
        for _ in range(30):
            x = r0.clone().requires_grad_(True)
            y = rosen(x)
            t0 = time.perf_counter()
            torch.autograd.grad(y, x)
            samples.append(time.perf_counter() - t0)
        return statistics.median(samples) * 1e6

    report(f"torch tensor_rosenbrock/eval/{n}", median_us(rosen_eval))
    report(f"torch tensor_rosenbrock/gradient/{n}", median_us(rosen_grad))
    report(f"torch tensor_rosenbrock/backward_alone/{n}", rosen_backward_alone())

    def g(x):
        return torch.stack([x[0] ** 2 + x[1], x[1] * x[2]])

    xj = torch.tensor([1.0, 2.0, 3.0])
    report("torch tensor_seed_jacobian", median_us(lambda: torch.autograd.functional.jacobian(g, xj)))


def run_jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    def f(x):
        x2 = x**2
        return (-2 * x2 + 4 * x + 1) * jnp.exp(-x2 / 2)

    f_jit = jax.jit(f)
    df = jax.jit(jax.vmap(jax.grad(f)))
    for n, (dtype, suffix) in [
        (n, d) for n in SIZES for d in [(jnp.float64, "")] + [(jnp.float32, "_f32")] * F32
    ]:
        x = jnp.linspace(0.0, 5.0, n, dtype=dtype)
        report(
            f"jax tensor_seed/tensor_f{suffix}/{n}", median_us(lambda: f_jit(x).block_until_ready())
        )
        report(
            f"jax tensor_seed/jit_vmap_grad{suffix}/{n}",
            median_us(lambda: df(x).block_until_ready()),
        )

    n = 1_000_000
    r0 = jnp.array([-1.2 if i % 2 == 0 else 1.0 for i in range(n)])

    def rosen(x):
        return jnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    re = jax.jit(rosen)
    rg = jax.jit(jax.grad(rosen))
    report(f"jax tensor_rosenbrock/eval/{n}", median_us(lambda: re(r0).block_until_ready()))
    report(f"jax tensor_rosenbrock/gradient/{n}", median_us(lambda: rg(r0).block_until_ready()))

    def g(x):
        return jnp.stack([x[0] ** 2 + x[1], x[1] * x[2]])

    jg = jax.jit(jax.jacrev(g))
    xj = jnp.array([1.0, 2.0, 3.0])
    report("jax tensor_seed_jacobian (jit(jacrev))", median_us(lambda: jg(xj).block_until_ready()))


if __name__ == "__main__":
    print(f"threads: {THREADS}; float64; median of repeated calls after one warm-up")
    for name, run in [("torch", run_torch), ("jax", run_jax)]:
        try:
            run()
        except ImportError as e:
            print(f"{name}: not installed ({e}); skipped")
