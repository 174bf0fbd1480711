//! The domain of Röd tråd: the regional strategy, the plans with their goal trees, the
//! activities that serve them and the organisations that do the work.
//!
//! This crate has no I/O. Its value types ([`Slug`], [`PartialDate`], [`MunicipalityCode`], the
//! vocabularies) cannot hold a bad value, so the layers above (the exchange format, storage, the
//! web) only check input once, at their boundary, and pass these types on.

mod date;
mod model;
mod slug;
mod vocab;

pub use date::{DateError, PartialDate, Period};
pub use model::*;
pub use slug::{GoalRef, Slug, SlugError};
pub use vocab::{
    InterventionLevel, MunicipalityCode, MunicipalityCodeError, OrganisationKind, PlanKind, Role,
    Status, UnknownValue, Vocabulary,
};
