//! Reports saved on their own path (`Store::save_report`), many at once, on every backend: each
//! save is checked and recorded on its own, and one refused never takes another with it.

mod common;

use common::{fresh, orebro};
use rodtrad_domain::{
    ItemKey, ItemKind, PartnerPart, Report, ReportState, RoundState, Slug, Status,
};
use rodtrad_store::{Actor, ReportSave, SaveError, Since, Store};

const OPEN: &str = "omgang-oppen";
const CLOSED: &str = "omgang-stangd";

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

fn draft(round: &str, activity: &Slug, done: &str) -> Report {
    Report {
        status: Some(Status::Ongoing),
        done: Some(done.into()),
        ..Report::empty(slug(round), activity.clone())
    }
}

fn save(report: Report, before: Option<Report>, based_on: i64) -> ReportSave {
    ReportSave {
        actor: Actor {
            account: None,
            name: "Rapportör".into(),
        },
        at: 1_800_000_000,
        before,
        report,
        based_on,
    }
}

/// The Örebro set with an open round and a closed one, following what its 2021 report follows.
async fn with_rounds(store: &Store) -> Vec<Slug> {
    let mut set = orebro();
    for (id, state) in [(OPEN, RoundState::Open), (CLOSED, RoundState::Closed)] {
        let mut round = set.follow_ups[0].clone();
        round.id = slug(id);
        round.state = state;
        round.date = None;
        set.follow_ups.push(round);
    }
    store
        .import(&set, &Actor::command_line(), 5)
        .await
        .expect("import");
    set.activities.iter().map(|a| a.id.clone()).collect()
}

#[tokio::test]
async fn reports_saved_at_once_are_each_written_and_recorded_once() {
    let f = fresh().await;
    for store in &f.stores {
        let activities = with_rounds(store).await;
        let start = store.data_version().await.expect("version");
        let mut tasks = Vec::new();
        for (n, a) in activities.iter().take(30).enumerate() {
            let store = store.clone();
            let report = draft(OPEN, a, &format!("Gjort {n}"));
            tasks.push(tokio::spawn(async move {
                store.save_report(save(report, None, 0)).await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("task").expect("saved").revision, 1);
        }
        let stored = store.export().await.expect("export");
        let ours: Vec<&Report> = stored
            .reports
            .iter()
            .filter(|r| r.round.as_str() == OPEN)
            .map(AsRef::as_ref)
            .collect();
        assert_eq!(ours.len(), 30);
        for (n, a) in activities.iter().take(30).enumerate() {
            let r = ours.iter().find(|r| &r.activity == a).expect("report");
            assert_eq!(r.done.as_deref(), Some(format!("Gjort {n}").as_str()));
            let record = store
                .changes_of(&ItemKey::report(&slug(OPEN), a), 0)
                .await
                .expect("record");
            assert_eq!(record.len(), 1, "one change per save");
            assert!(record[0].fields.iter().any(|c| c.field == "done"));
        }
        // What other servers catch up from: every report, as written.
        let Since::Items { items, .. } = store.since(start, 1000).await.expect("since") else {
            panic!("report saves are items, not a whole change");
        };
        assert_eq!(items.len(), 30);
        for w in &items {
            assert_eq!(w.key.kind, ItemKind::Report);
            let r: Report = serde_json::from_str(w.content.as_deref().expect("content"))
                .expect("content reads");
            assert_eq!(r.round.as_str(), OPEN);
        }
    }
}

#[tokio::test]
async fn a_refused_save_is_refused_alone_and_writes_nothing() {
    let f = fresh().await;
    for store in &f.stores {
        let activities = with_rounds(store).await;
        let first = draft(OPEN, &activities[0], "Först");
        store
            .save_report(save(first.clone(), None, 0))
            .await
            .expect("first save");
        // Two people at the same report from revision 1, beside saves that are refused for
        // other reasons, and saves that are not: all at once.
        let mut rivals = Vec::new();
        for text in ["Anna", "Bertil"] {
            let store = store.clone();
            let (report, before) = (draft(OPEN, &activities[0], text), first.clone());
            rivals.push(tokio::spawn(async move {
                store.save_report(save(report, Some(before), 1)).await
            }));
        }
        let closed = {
            let store = store.clone();
            let report = draft(CLOSED, &activities[1], "För sent");
            tokio::spawn(async move { store.save_report(save(report, None, 0)).await })
        };
        let unknown_partner = {
            let store = store.clone();
            let mut report = draft(OPEN, &activities[2], "Med en okänd partner");
            report.partner_parts.push(PartnerPart {
                organisation: slug("finns-inte"),
                text: "Vår del".into(),
            });
            tokio::spawn(async move { store.save_report(save(report, None, 0)).await })
        };
        let fine = {
            let store = store.clone();
            let report = draft(OPEN, &activities[3], "Går bra");
            tokio::spawn(async move { store.save_report(save(report, None, 0)).await })
        };
        let mut won = 0;
        for t in rivals {
            match t.await.expect("task") {
                Ok(saved) => {
                    assert_eq!(saved.revision, 2);
                    won += 1;
                }
                Err(SaveError::Stale { item, current }) => {
                    assert_eq!(item, ItemKey::report(&slug(OPEN), &activities[0]));
                    assert_eq!(current, 2);
                }
                Err(e) => panic!("unexpected: {e}"),
            }
        }
        assert_eq!(won, 1, "one of two saves from the same revision");
        match closed.await.expect("task") {
            Err(SaveError::Stale { item, .. }) => {
                assert_eq!(item, ItemKey::new(ItemKind::FollowUp, &slug(CLOSED)));
            }
            other => panic!("a closed round's report saved: {other:?}"),
        }
        match unknown_partner.await.expect("task") {
            Err(SaveError::Stale { item, .. }) => {
                assert_eq!(
                    item,
                    ItemKey::new(ItemKind::Organisation, &slug("finns-inte"))
                );
            }
            other => panic!("a part of an unknown organisation saved: {other:?}"),
        }
        assert_eq!(fine.await.expect("task").expect("saved").revision, 1);
        let stored = store.export().await.expect("export");
        let of = |round: &str, a: &Slug| {
            stored
                .reports
                .iter()
                .find(|r| r.round.as_str() == round && &r.activity == a)
                .map(|r| (**r).clone())
        };
        let winner = of(OPEN, &activities[0]).expect("the report");
        assert!(["Anna", "Bertil"].contains(&winner.done.as_deref().unwrap_or_default()));
        assert_eq!(winner.state, ReportState::Draft);
        assert_eq!(of(CLOSED, &activities[1]), None);
        assert_eq!(
            of(OPEN, &activities[2]),
            None,
            "nothing of a refused save is written"
        );
        assert_eq!(
            store
                .revision(&ItemKey::report(&slug(OPEN), &activities[2]))
                .await
                .expect("revision"),
            0
        );
        assert!(of(OPEN, &activities[3]).is_some());
        // The record has the first save and the winner's, and nothing of the refused ones.
        let record = store
            .changes_of(&ItemKey::report(&slug(OPEN), &activities[0]), 0)
            .await
            .expect("record");
        assert_eq!(record.len(), 2);
    }
}

#[tokio::test]
async fn a_save_the_database_refuses_fails_alone() {
    let f = fresh().await;
    for store in &f.stores {
        let activities = with_rounds(store).await;
        let mut tasks = Vec::new();
        for (n, a) in activities.iter().take(12).enumerate() {
            // PostgreSQL stores no NUL in a text: that save's error fails its batch's
            // transaction, and the others are written all the same.
            let text = if n == 5 {
                "Noll\u{0}tecken"
            } else {
                "Går bra"
            };
            let store = store.clone();
            let report = draft(OPEN, a, text);
            tasks.push(tokio::spawn(async move {
                store.save_report(save(report, None, 0)).await
            }));
        }
        for (n, t) in tasks.into_iter().enumerate() {
            let result = t.await.expect("task");
            if n == 5 && store.backend() == rodtrad_store::Backend::Postgres {
                assert!(matches!(result, Err(SaveError::Store(_))), "{result:?}");
            } else {
                assert_eq!(result.expect("saved").revision, 1, "save {n}");
            }
        }
        let stored = store.export().await.expect("export");
        let saved = stored
            .reports
            .iter()
            .filter(|r| r.round.as_str() == OPEN)
            .count();
        let refused = usize::from(store.backend() == rodtrad_store::Backend::Postgres);
        assert_eq!(saved, 12 - refused);
    }
}

#[tokio::test]
async fn a_partners_part_is_written_and_rewritten_with_its_report() {
    let f = fresh().await;
    for store in &f.stores {
        let activities = with_rounds(store).await;
        let orgs: Vec<Slug> = orebro()
            .organisations
            .iter()
            .map(|o| o.id.clone())
            .collect();
        let part = |org: &Slug, text: &str| PartnerPart {
            organisation: org.clone(),
            text: text.into(),
        };
        let mut first = draft(OPEN, &activities[0], "Gjort");
        first.partner_parts = vec![part(&orgs[0], "Vår del"), part(&orgs[1], "Deras del")];
        store
            .save_report(save(first.clone(), None, 0))
            .await
            .expect("first");
        let mut second = first.clone();
        second.partner_parts = vec![part(&orgs[1], "Deras nya del")];
        let saved = store
            .save_report(save(second.clone(), Some(first), 1))
            .await
            .expect("second");
        assert_eq!(saved.revision, 2);
        let stored = store.export().await.expect("export");
        let report = stored
            .reports
            .iter()
            .find(|r| r.round.as_str() == OPEN)
            .expect("report");
        assert_eq!(**report, second);
        let record = store
            .changes_of(&ItemKey::report(&slug(OPEN), &activities[0]), 1)
            .await
            .expect("record");
        assert!(!record[0].fields.is_empty());
        assert!(
            record[0]
                .fields
                .iter()
                .all(|c| c.field.starts_with("partner_parts")),
            "{:?}",
            record[0].fields
        );
    }
}
