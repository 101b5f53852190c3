//! What the `lectern` command and `cargo xtask watch` share: the plugins they register.

pub mod plugins;
