//! The `weifen` command.
fn main() {}
