//! The macros of the SIMD kernels: [`simd!`] runs a lane-generic kernel on the instructions
//! a `lanes::Isa` names, [`simd_copies!`] writes a module's AVX2 and AVX-512 copies of its
//! kernels, and (for tests) `lane_type_tests!` checks a lane type against the baseline
//! lanes. Declared first in `tensor/mod.rs`, so that every module of `tensor` sees them.

/// Runs a lane-generic kernel on the instructions `isa` names (a `lanes::Isa`, which must
/// name only instructions the CPU has): `simd!(isa, f::<…, Lanes>(args))` calls the caller's
/// module's copy of `f` for AVX-512 or AVX2 (`avx512::f`, `avx2::f`, made by
/// [`simd_copies!`]) and returns, or goes on to the baseline call as written.
macro_rules! simd {
    ($isa:expr, $f:ident $(::<$($g:ty),*>)? ($($a:expr),*)) => {{
        #[cfg(target_arch = "x86_64")]
        match $isa {
            $crate::tensor::lanes::Isa::Avx512 => {
                #[allow(unsafe_code)]
                // SAFETY: `$isa` names only instructions the CPU has.
                unsafe {
                    avx512::$f($($a),*)
                };
                return;
            }
            $crate::tensor::lanes::Isa::Avx2 => {
                #[allow(unsafe_code)]
                // SAFETY: as above.
                unsafe {
                    avx2::$f($($a),*)
                };
                return;
            }
            $crate::tensor::lanes::Isa::Baseline => {}
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = $isa;
        $f $(::<$($g),*>)? ($($a),*)
    }};
}

/// The copies of a module's lane-generic kernels that [`simd!`] calls: for each
/// `fn f<…>(args) { body }`, `avx2::f` compiled with AVX2 enabled and `avx512::f` with
/// AVX-512F enabled (the compiler's own vectors in those widths too). In `body`, `Wide` is
/// the widest lanes of the copy (`Avx`, `Avx512`) and `Avx` the four-lane ones; each copy
/// sees the module's items (`super::*`).
macro_rules! simd_copies {
    (@copy $m:ident, $feature:literal, $wide:ty,
        $(fn $f:ident <$($g:ident : $b:path),*> ($($a:ident : $t:ty),*) $body:block)*) => {
        #[cfg(target_arch = "x86_64")]
        mod $m {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::tensor::avx::Avx;
            #[allow(dead_code)]
            type Wide = $wide;
            $(
                #[target_feature(enable = $feature)]
                pub(super) fn $f<$($g: $b),*>($($a: $t),*) $body
            )*
        }
    };
    // After the arm above, which the copies' own calls must match first.
    ($($fns:tt)*) => {
        simd_copies!(@copy avx2, "avx2,fma", $crate::tensor::avx::Avx, $($fns)*);
        simd_copies!(@copy avx512, "avx512f", $crate::tensor::avx512::Avx512, $($fns)*);
    };
}

/// The tests of a lane type `$ty` of `$n` lanes that needs the target feature `$feature`
/// (present when `$has()`): every op of the table gives the bits of the baseline lanes, and
/// a tangent product keeps the zero lanes as `times` on `f64` does.
#[cfg(test)]
macro_rules! lane_type_tests {
    ($ty:ty, $n:literal, $feature:literal, $has:path) => {
        use super::super::lanes::Lane;
        use super::super::lanes::tests::{
            assert_same_as_f64_times, same_bits_as_the_baseline_lanes, tangent_products,
        };
        use crate::Scalar;
        use crate::ops::{Binary, Unary};

        #[target_feature(enable = $feature)]
        fn unary_on(op: Unary, a: &[f64]) -> Vec<f64> {
            let mut o = [0.0; $n];
            <$ty>::load(a).unary(op).store(&mut o);
            o.to_vec()
        }

        #[target_feature(enable = $feature)]
        fn binary_on(op: Binary, a: &[f64], b: &[f64]) -> Vec<f64> {
            let mut o = [0.0; $n];
            <$ty>::load(a).binary(op, <$ty>::load(b)).store(&mut o);
            o.to_vec()
        }

        #[target_feature(enable = $feature)]
        fn times_on(t: &[f64], d: &[f64]) -> Vec<f64> {
            let mut o = [0.0; $n];
            crate::ops::times(<$ty>::load(t), <$ty>::load(d)).store(&mut o);
            o.to_vec()
        }

        #[test]
        fn every_op_gives_the_bits_of_the_baseline_lanes() {
            if !$has() {
                return; // nothing to compare on this CPU: the kernels use other lanes
            }
            same_bits_as_the_baseline_lanes(
                $n,
                // SAFETY: the target feature checked above.
                |op, a| unsafe { unary_on(op, a) },
                |op, a, b| unsafe { binary_on(op, a, b) },
            );
        }

        #[test]
        fn a_tangent_product_skips_the_zero_lanes_as_f64_does() {
            if !$has() {
                return;
            }
            let (t, d) = tangent_products($n);
            for (t, d) in t.chunks_exact($n).zip(d.chunks_exact($n)) {
                // SAFETY: the target feature checked above.
                let got = unsafe { times_on(t, d) };
                assert_same_as_f64_times(t, d, &got);
            }
        }
    };
}
