//! The plugins that draw fenced blocks, registered at compile time (one line each).

use lectern_block::Registry;

/// Every plugin Lectern ships.
pub fn registry() -> Registry {
    Registry::new().with(lectern_charts::Charts)
}
