//! The integration tests of `weifen`, one module per area, built as one test binary (one
//! link instead of one per file: the separate binaries took 1.4 GB of disk in a debug
//! build). Each module's doc says what it checks. `tests/symbolic_memory.rs`, which
//! measures the process's resident set, is a binary of its own.

mod common;

mod argmin_rosenbrock;
mod closed_form;
mod cross_method;
mod extreme_arguments;
mod float_generic;
mod fuzz_regressions;
mod grid;
mod grid_errors;
mod jet_high_order;
mod method;
mod nalgebra_solve;
mod nested;
mod nested_modes;
mod numeric_accuracy;
mod numeric_honesty;
mod op_declarations;
mod op_table;
mod operators;
mod reverse;
mod reverse_hessian;
mod sparse;
mod symbolic_diff;
mod symbolic_eval;
mod symbolic_parse;
mod symbolic_print;
mod symbolic_store;
mod tensor_autograd;
mod tensor_f32;
mod tensor_functional;
mod tensor_fusion;
mod tensor_gradcheck;
mod tensor_lazy;
mod tensor_map_fn;
mod tensor_rules;
