//! The domain of Röd tråd: the regional strategy, the plans with their goal trees, the
//! activities that serve them and the organisations that do the work.
//!
//! This crate has no I/O. Its value types ([`Slug`], [`PartialDate`], [`MunicipalityCode`], the
//! vocabularies) cannot hold a bad value, so the layers above (the exchange format, storage, the
//! web) only check input once, at their boundary, and pass these types on.

/// Serde for a value type written as text: its `Display` out, its own parser in, so that a
/// stored or sent value is checked exactly as a typed one is.
macro_rules! text_serde {
    ($ty:ty, $parse:expr) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                ($parse)(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use text_serde;

mod date;
mod fields;
mod indicators;
mod items;
mod model;
mod rounds;
mod slug;
mod vocab;

pub use date::{DateError, PartialDate, Period};
pub use fields::{FieldChange, changes, fields};
pub use indicators::{
    Area, Direction, Fetch, Indicator, IndicatorSource, IndicatorValue, MAX_DECIMALS, Mark,
    Measure, Sex, ValuePeriod,
};
pub use items::{Action, Applied, ItemChange, ItemKey, ItemKind, item_changes};
pub use model::*;
pub use rounds::{Refusal, ReportStep, frozen, open_for_reports};
pub use slug::{GoalRef, Slug, SlugError};
pub use vocab::{
    InterventionLevel, MunicipalityCode, MunicipalityCodeError, OrganisationKind, PlanKind,
    ReportState, Role, RoundState, Status, UnknownValue, Vocabulary,
};
