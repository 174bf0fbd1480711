//! Diagnostics as lines a person reads: `file:line: field: what is wrong`.

use rodtrad_format::Diagnostic;
use rodtrad_i18n::Lang;

pub fn diagnostic(d: &Diagnostic, lang: Lang) -> String {
    format!("{}: {}", d.place(), d.message(lang))
}

#[cfg(test)]
mod tests {
    use rodtrad_format::{Diagnostic, EntityKind, Problem};
    use rodtrad_i18n::Lang;

    fn every_problem() -> Vec<Problem> {
        let s = || "x".to_owned();
        vec![
            Problem::Unreadable { detail: s() },
            Problem::Syntax { detail: s() },
            Problem::UnknownField {
                field: s(),
                expected: s(),
            },
            Problem::MissingField { field: s() },
            Problem::WrongType { detail: s() },
            Problem::Invalid { detail: s() },
            Problem::UnknownFile,
            Problem::MissingManifest,
            Problem::NotADirectory,
            Problem::UnsupportedVersion { found: 2 },
            Problem::BadSlug {
                value: s(),
                reason: s(),
            },
            Problem::DuplicateId {
                kind: EntityKind::Node,
                id: s(),
                first: s(),
            },
            Problem::UnknownReference {
                kind: EntityKind::FollowUp,
                id: s(),
            },
            Problem::BadGoalRef { value: s() },
            Problem::BadDate {
                value: s(),
                reason: s(),
            },
            Problem::EndBeforeStart {
                start: s(),
                end: s(),
            },
            Problem::UnknownValue {
                field: "status",
                value: s(),
                allowed: s(),
            },
            Problem::BadMunicipalityCode { value: s() },
            Problem::MissingMunicipalityCode,
            Problem::CodeOnNonMunicipality { kind: s() },
            Problem::DuplicateMunicipalityCode {
                code: s(),
                first: s(),
            },
            Problem::ParentLoop { id: s() },
            Problem::NoLevelBelow { parent: s() },
            Problem::WrongLevel {
                level: s(),
                expected: s(),
            },
            Problem::NotAUnit { id: s() },
            Problem::DecisionIncomplete,
            Problem::EmptyFunding,
        ]
    }

    #[test]
    fn every_problem_is_said_in_both_languages_with_all_its_arguments() {
        for problem in every_problem() {
            for lang in Lang::ALL {
                assert!(
                    lang.has(problem.key()),
                    "{} lacks {}",
                    lang.code(),
                    problem.key()
                );
                let d = Diagnostic {
                    file: "plans/p.toml".into(),
                    line: Some(3),
                    path: "node[0].level".into(),
                    problem: problem.clone(),
                };
                let text = super::diagnostic(&d, lang);
                assert!(
                    text.starts_with("plans/p.toml:3: node[0].level: "),
                    "{text}"
                );
                assert!(
                    !text.contains('{') && !text.contains("kind-"),
                    "{}: {text}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn entity_kinds_are_translated_inside_messages() {
        let d = Diagnostic {
            file: "activities.toml".into(),
            line: Some(9),
            path: "activity[0].lead".into(),
            problem: Problem::UnknownReference {
                kind: EntityKind::Organisation,
                id: "regionen".into(),
            },
        };
        assert_eq!(
            super::diagnostic(&d, Lang::Sv),
            "activities.toml:9: activity[0].lead: det finns ingen organisation med id ”regionen”"
        );
        let d = Diagnostic {
            problem: Problem::UnknownReference {
                kind: EntityKind::EffectGoal,
                id: "x".into(),
            },
            ..d
        };
        assert_eq!(
            super::diagnostic(&d, Lang::En),
            "activities.toml:9: activity[0].lead: there is no effect goal with the id \"x\""
        );
    }
}
