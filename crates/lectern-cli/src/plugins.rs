//! The plugins that draw fenced blocks, registered at compile time (one line each).

use lectern_block::Registry;

/// Every plugin Lectern ships.
pub fn registry() -> Registry {
    Registry::new()
        .with(lectern_charts::Charts)
        .with(lectern_diagrams::Diagrams)
        .with(lectern_qr::Qr)
        .with(lectern_table::Tables)
}
