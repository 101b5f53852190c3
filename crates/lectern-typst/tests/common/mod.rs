//! What the integration tests share: the plugins the shipped `lectern` registers.

/// The same plugins as `crates/lectern-cli/src/plugins.rs` (the tests cannot depend on the
/// CLI, which depends on this crate).
pub fn plugins() -> lectern_block::Registry {
    lectern_block::Registry::new()
        .with(lectern_charts::Charts)
        .with(lectern_diagrams::Diagrams)
        .with(lectern_qr::Qr)
        .with(lectern_table::Tables)
}
