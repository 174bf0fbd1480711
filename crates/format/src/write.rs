//! Writing a [`DataSet`] as the files of format version 1.
//!
//! The output is canonical: the same data set always gives the same bytes, which is what lets
//! an export be compared with another byte for byte and lets diffs show only real changes.

use rodtrad_domain as d;
use rodtrad_domain::{PartialDate, Slug, Vocabulary};
use serde::Serialize;

use crate::at::{At, DateText};
use crate::dto;
use crate::read::{
    ACTIVITIES, FOLLOW_UPS_DIR, INDICATORS_DIR, MANIFEST, ORGANISATIONS, PERSPECTIVES, PLANS_DIR,
    REPORTS_DIR, STRATEGIES_DIR,
};
use crate::source::SourceFile;

fn text(s: impl std::fmt::Display) -> At<String> {
    At::new(s.to_string())
}

fn texts<T: std::fmt::Display>(list: &[T]) -> Vec<At<String>> {
    list.iter().map(text).collect()
}

fn date(d: Option<PartialDate>) -> Option<At<DateText>> {
    d.map(|d| At::new(DateText(d.to_string())))
}

fn toml_text<T: Serialize>(value: &T) -> String {
    // Every field of the format serialises to TOML; a failure here is a bug in the DTOs.
    toml::to_string_pretty(value).expect("the format's structs always serialise to TOML")
}

/// The files of a data set, in a fixed order, only those that have content besides the
/// manifest.
pub fn write(set: &d::DataSet) -> Vec<SourceFile> {
    let mut files = vec![SourceFile::new(
        MANIFEST,
        toml_text(&dto::Manifest {
            format_version: At::new(1),
            name: set.name.clone(),
        }),
    )];
    if !set.organisations.is_empty() {
        let organisation = set
            .organisations
            .iter()
            .map(|o| dto::OrganisationDto {
                id: text(&o.id),
                name: o.name.clone(),
                kind: text(o.kind.code()),
                municipality_code: o.municipality_code.as_ref().map(text),
                parent: o.parent.as_ref().map(text),
            })
            .collect();
        files.push(SourceFile::new(
            ORGANISATIONS,
            toml_text(&dto::OrganisationsFile { organisation }),
        ));
    }
    if !set.perspectives.is_empty() {
        let perspective = set
            .perspectives
            .iter()
            .map(|p| dto::PerspectiveDto {
                id: text(&p.id),
                name: p.name.clone(),
            })
            .collect();
        files.push(SourceFile::new(
            PERSPECTIVES,
            toml_text(&dto::PerspectivesFile { perspective }),
        ));
    }
    for s in &set.strategies {
        files.push(SourceFile::new(
            format!("{STRATEGIES_DIR}/{}.toml", s.id),
            toml_text(&strategy(s)),
        ));
    }
    for p in &set.plans {
        files.push(SourceFile::new(
            format!("{PLANS_DIR}/{}.toml", p.id),
            toml_text(&plan(p)),
        ));
    }
    if !set.activities.is_empty() {
        let activity = set.activities.iter().map(|a| activity(a)).collect();
        files.push(SourceFile::new(
            ACTIVITIES,
            toml_text(&dto::ActivitiesFile { activity }),
        ));
    }
    for f in &set.follow_ups {
        files.push(SourceFile::new(
            format!("{FOLLOW_UPS_DIR}/{}.toml", f.id),
            toml_text(&follow_up(f)),
        ));
    }
    // One file of reports per round, in the order the rounds come, the reports in theirs.
    let mut rounds: Vec<&Slug> = Vec::new();
    for r in &set.reports {
        if !rounds.contains(&&r.round) {
            rounds.push(&r.round);
        }
    }
    for round in rounds {
        let report = set
            .reports
            .iter()
            .filter(|r| &r.round == round)
            .map(|r| report(r))
            .collect();
        files.push(SourceFile::new(
            format!("{REPORTS_DIR}/{round}.toml"),
            toml_text(&dto::ReportsFile {
                round: text(round),
                report,
            }),
        ));
    }
    for i in &set.indicators {
        files.push(SourceFile::new(
            format!("{INDICATORS_DIR}/{}.toml", i.id),
            toml_text(&indicator(i)),
        ));
    }
    files
}

/// The files of a data set and of its indicators' values (`indicators/<id>.csv`, for each
/// indicator that has values).
pub fn write_with_values(set: &d::DataSet, values: &crate::Values) -> Vec<SourceFile> {
    let mut files = write(set);
    for (id, values) in values.iter().filter(|(_, v)| !v.is_empty()) {
        files.push(SourceFile::new(
            format!("{INDICATORS_DIR}/{id}.csv"),
            crate::check::write_values(values),
        ));
    }
    files
}

fn indicator(i: &d::Indicator) -> dto::IndicatorDto {
    let mut source = i.source.as_ref().map(|s| dto::SourceDto {
        publisher: s.publisher.clone(),
        ..dto::SourceDto::default()
    });
    if let (Some(dto), Some(Some(fetch))) = (&mut source, i.source.as_ref().map(|s| &s.fetch)) {
        match fetch {
            d::Fetch::Kolada { kpi } => dto.kolada = Some(text(kpi)),
            d::Fetch::PxWeb { url, query } => {
                dto.pxweb = Some(text(url));
                dto.query = query.as_ref().map(text);
            }
            d::Fetch::Url { url } => dto.url = Some(text(url)),
            d::Fetch::File { name } => dto.file = Some(text(name)),
        }
    }
    let mark = |m: &d::Mark| dto::MarkDto {
        value: At::new(m.value),
        period: text(m.period),
        area: m.area.as_ref().map(text),
        sex: (m.sex != d::Sex::All).then(|| text(m.sex)),
        age: m.age.clone(),
    };
    dto::IndicatorDto {
        id: text(&i.id),
        title: i.title.clone(),
        definition: i.definition.clone(),
        unit: i.unit.clone(),
        decimals: (i.decimals != 0).then(|| At::new(i64::from(i.decimals))),
        direction: i.direction.map(|x| text(x.code())),
        source,
        measure: i
            .measures
            .iter()
            .map(|m| dto::MeasureDto {
                goal: text(&m.goal),
                baseline: m.baseline.as_ref().map(mark),
                target: m.targets.iter().map(mark).collect(),
            })
            .collect(),
    }
}

fn period(p: &d::Period) -> dto::PeriodDto {
    dto::PeriodDto {
        start: date(p.start),
        end: date(p.end),
    }
}

fn report(r: &d::Report) -> dto::ReportDto {
    dto::ReportDto {
        activity: text(&r.activity),
        state: text(r.state),
        status: r.status.map(text),
        done: r.done.clone(),
        results: r.results.clone(),
        next_steps: r.next_steps.clone(),
        obstacles: r.obstacles.clone(),
        worked: period(&r.worked),
        comment: r.comment.clone(),
        partner: r
            .partner_parts
            .iter()
            .map(|p| dto::PartnerPartDto {
                organisation: text(&p.organisation),
                text: p.text.clone(),
            })
            .collect(),
    }
}

fn strategy(s: &d::Strategy) -> dto::StrategyDto {
    dto::StrategyDto {
        id: text(&s.id),
        title: s.title.clone(),
        vision: s.vision.clone(),
        start: date(s.period.start),
        end: date(s.period.end),
        owner: s.owner.as_ref().map(text),
        adopted_by: s.adopted_by.as_ref().map(text),
        adopted_on: date(s.adopted_on),
        perspectives: texts(&s.perspectives),
        overarching_goal: s
            .overarching_goals
            .iter()
            .map(|g| dto::OverarchingGoalDto {
                id: text(&g.id),
                title: g.title.clone(),
                effect_goal: g
                    .effect_goals
                    .iter()
                    .map(|e| dto::EffectGoalDto {
                        id: text(&e.id),
                        title: e.title.clone(),
                    })
                    .collect(),
            })
            .collect(),
        priority_area: s
            .priority_areas
            .iter()
            .map(|a| dto::PriorityAreaDto {
                id: text(&a.id),
                title: a.title.clone(),
            })
            .collect(),
        desired_state: s
            .desired_states
            .iter()
            .map(|x| dto::DesiredStateDto {
                id: text(&x.id),
                text: x.text.clone(),
                priority_area: x.priority_area.as_ref().map(text),
            })
            .collect(),
    }
}

fn plan(p: &d::Plan) -> dto::PlanDto {
    dto::PlanDto {
        id: text(&p.id),
        title: p.title.clone(),
        // The default kind is left out, as a person would write it.
        kind: (p.kind != d::PlanKind::Plan).then(|| text(p.kind.code())),
        start: date(p.period.start),
        end: date(p.period.end),
        owner: p.owner.as_ref().map(text),
        priority_area: p.priority_area.as_ref().map(text),
        effect_goals: texts(&p.effect_goals),
        perspectives: texts(&p.perspectives),
        summary: p.summary.clone(),
        strategic_direction: p
            .strategic_directions
            .iter()
            .map(|x| dto::StrategicDirectionDto {
                id: text(&x.id),
                title: x.title.clone(),
                description: x.description.clone(),
            })
            .collect(),
        risk: p
            .risks
            .iter()
            .map(|x| dto::RiskDto {
                id: text(&x.id),
                description: x.description.clone(),
                mitigation: x.mitigation.clone(),
            })
            .collect(),
        version: p
            .versions
            .iter()
            .map(|v| dto::VersionDto {
                id: text(&v.id),
                title: v.title.clone(),
                date: date(v.date),
                decided_by: v.decision.as_ref().map(|x| text(&x.body)),
                decided_on: date(v.decision.as_ref().and_then(|x| x.date)),
                note: v.note.clone(),
            })
            .collect(),
        level: p
            .levels
            .iter()
            .map(|l| dto::LevelDto {
                id: text(&l.id),
                name: l.name.clone(),
            })
            .collect(),
        node: p
            .nodes
            .iter()
            .map(|n| dto::NodeDto {
                id: text(&n.id),
                level: text(&n.level),
                parent: n.parent.as_ref().map(text),
                number: n.number.clone(),
                title: n.title.clone(),
                description: n.description.clone(),
                intervention_level: n.intervention_level.map(|l| text(l.code())),
            })
            .collect(),
    }
}

fn activity(a: &d::Activity) -> dto::ActivityDto {
    dto::ActivityDto {
        id: text(&a.id),
        title: a.title.clone(),
        narrative: a.narrative.clone(),
        responsible_unit: a.responsible_unit.as_ref().map(text),
        lead: a.lead.as_ref().map(text),
        partners: texts(&a.partners),
        start: date(a.period.start),
        end: date(a.period.end),
        status: a.status.map(|s| text(s.code())),
        status_reason: a.status_reason.clone(),
        intervention_level: a.intervention_level.map(|l| text(l.code())),
        perspectives: texts(&a.perspectives),
        target_groups: a.target_groups.clone(),
        serves: texts(&a.serves),
        proposed: texts(&a.proposed),
        funding: a
            .funding
            .iter()
            .map(|f| dto::FundingDto {
                funder: f.funder.as_ref().map(text),
                description: f.description.clone(),
            })
            .collect(),
    }
}

fn follow_up(f: &d::FollowUp) -> dto::FollowUpDto {
    dto::FollowUpDto {
        id: text(&f.id),
        title: f.title.clone(),
        date: date(f.date),
        author: f.author.as_ref().map(text),
        signed_by: f.signed_by.clone(),
        plans: texts(&f.plans),
        structure: f.structure.as_ref().map(text),
        introduction: f.introduction.clone(),
        section: f
            .sections
            .iter()
            .map(|s| dto::SectionDto {
                node: text(&s.node),
                narrative: s.narrative.clone(),
            })
            .collect(),
        period: period(&f.period),
        opens: date(f.opens),
        deadline: date(f.deadline),
        state: Some(text(f.state)),
        closed: date(f.closed),
    }
}
