//! Statistics for indicators, fetched from the web: a [`Source`] says where (Kolada, a PxWeb
//! table of version 1 or 2, a plain URL), [`Client::fetch`] brings its bytes, one answer or
//! Kolada's pages, and [`Fetched::read`] hands them to `rodtrad-stats`, which reads bytes into
//! tables without I/O. The split keeps the readers testable on recorded answers and this crate
//! about HTTP only: limits, retries when a service is busy, and errors that say where.
//!
//! Async, since the web server fetches too; one [`Client`] is meant to be shared (it keeps
//! connections), its [`Config`] holding the services' base URLs so that tests can point them
//! at a local server.

mod client;
mod error;
mod http;
mod indicator;
mod kolada;
mod pxweb;
mod source;

pub use client::{Client, Config};
pub use error::FetchError;
pub use indicator::{kolada_areas, source_for};
pub use source::{Fetched, PxSite, Select, Source};
