//! Statistics as their sources publish them (JSON-stat, PxWeb, Kolada, CSV), read into one shape: a [`Table`] of values by
//! dimension, each dimension with its categories and, where the source says, its role (time,
//! place, measure). Indicators' values are brought in from tables (issue 12): one reader per
//! kind of source, each refusing what breaks its format with the rule broken and where
//! ([`ReadError`]), never with a panic.
//!
//! No I/O: bytes in, tables out. Fetching from the services stays with the caller.

pub mod csv;
mod error;
pub mod jsonstat;
mod kind;
pub mod kolada;
pub mod observe;
pub mod pxweb;
mod rows;
mod table;

pub use error::{ReadError, Rule};
pub use kind::{Kind, read};
pub use table::{Category, Dimension, Role, Table, Unit};
