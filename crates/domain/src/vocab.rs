//! The closed vocabularies of the model and the municipality code.
//!
//! Each vocabulary has one code per value, the word used in files, in the database and in URLs;
//! the words people read come from the message files, keyed by the code.

use std::fmt;

/// A value that is not one of a vocabulary's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {value:?}")]
pub struct UnknownValue {
    pub value: String,
}

/// A closed list of codes.
pub trait Vocabulary: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;

    fn parse(s: &str) -> Result<Self, UnknownValue> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == s)
            .ok_or_else(|| UnknownValue {
                value: s.to_owned(),
            })
    }

    /// All codes, comma-separated, for error messages.
    fn codes() -> String {
        Self::ALL
            .iter()
            .map(|v| v.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        crate::text_serde!($name, |s: &str| <$name as Vocabulary>::parse(s));
    };
}

vocabulary! {
    /// Where an activity stands.
    Status {
        Planned = "planned",
        Ongoing = "ongoing",
        Paused = "paused",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

vocabulary! {
    /// Where a follow-up round stands: made ahead, open for reports, closed to them (nothing
    /// more can be reported or reviewed), and published as a frozen report.
    RoundState {
        Planned = "planned",
        Open = "open",
        Closed = "closed",
        Published = "published",
    }
}

impl RoundState {
    /// Whether reports may still be written and reviewed in a round of this state.
    pub fn takes_reports(self) -> bool {
        self == RoundState::Open
    }
}

vocabulary! {
    /// Where one activity's report in a round stands: written (a draft), sent for review,
    /// approved by the reviewer, or returned with the reviewer's comment to be corrected.
    ReportState {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        Approved = "approved",
    }
}

impl ReportState {
    /// Whether the lead's contributors may still change the report's texts: a submitted report
    /// waits for its reviewer, an approved one is done.
    pub fn editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }
}

vocabulary! {
    /// Insatsnivå: whom an effort reaches, from everyone to the individual.
    InterventionLevel {
        /// Health-promoting, universal ("grön").
        Promotive = "promotive",
        /// Selective prevention, for groups at risk ("gul").
        Selective = "selective",
        /// Indicated prevention and treatment, for individuals ("röd").
        Indicated = "indicated",
    }
}

vocabulary! {
    /// What kind of body an organisation is.
    OrganisationKind {
        Region = "region",
        Municipality = "municipality",
        CountyDistrict = "county_district",
        Unit = "unit",
        Committee = "committee",
        Council = "council",
        Network = "network",
        CivilSociety = "civil_society",
        Authority = "authority",
        Association = "association",
        Company = "company",
        University = "university",
        Other = "other",
    }
}

vocabulary! {
    /// A decided plan, or a structure several plans share (the follow-up's joint focus areas).
    PlanKind {
        Plan = "plan",
        Joint = "joint",
    }
}

vocabulary! {
    /// What a person may do, within a scope: a plan (its owner or a reader of its drafts), or
    /// an organisation (a contributor, who keeps the activities it leads). Administrators are
    /// not a role in a scope but a mark on the account.
    Role {
        PlanOwner = "plan_owner",
        Contributor = "contributor",
        Reader = "reader",
    }
}

impl Role {
    /// Whether the role's scope is an organisation (otherwise a plan).
    pub fn scoped_to_organisation(self) -> bool {
        self == Role::Contributor
    }
}

/// A Swedish municipality code (kommunkod): exactly four digits, the first two the county's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MunicipalityCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not four digits")]
pub struct MunicipalityCodeError;

impl MunicipalityCode {
    pub fn parse(s: &str) -> Result<Self, MunicipalityCodeError> {
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(MunicipalityCodeError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::text_serde!(MunicipalityCode, |s: &str| MunicipalityCode::parse(s));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_their_codes() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Ok(*s));
        }
        assert_eq!(
            InterventionLevel::parse("selective"),
            Ok(InterventionLevel::Selective)
        );
        assert_eq!(
            Status::parse("pausad"),
            Err(UnknownValue {
                value: "pausad".into()
            })
        );
        assert_eq!(
            Status::codes(),
            "planned, ongoing, paused, completed, cancelled"
        );
    }

    #[test]
    fn municipality_codes_are_four_digits() {
        assert_eq!(
            MunicipalityCode::parse("1880").map(|c| c.to_string()),
            Ok("1880".into())
        );
        for s in ["188", "18800", "18a0", "", " 1880"] {
            assert_eq!(
                MunicipalityCode::parse(s),
                Err(MunicipalityCodeError),
                "{s}"
            );
        }
    }
}
