//! One story run against every backend: SQLite in a temporary directory always, PostgreSQL when
//! `RODTRAD_TEST_POSTGRES` holds a server URL (CI sets it; `RODTRAD_REQUIRE_POSTGRES=1` makes its
//! absence a failure, so that CI cannot pass on SQLite alone).

mod common;

use std::path::Path;

use std::sync::atomic::Ordering;

use common::{COUNTER, fresh, orebro, postgres_database};

use rodtrad_domain::{Action, ItemKey, ItemKind, Slug, Status};
use rodtrad_format::SourceFile;
use rodtrad_store::{Actor, Backend, Store};

fn bytes(files: &[SourceFile]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| (f.path.clone(), f.text.clone().expect("text")))
        .collect()
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_enforced() {
    let fresh = fresh().await;
    let store = &fresh.stores[0];
    assert_eq!(store.backend(), Backend::Sqlite);
    assert_eq!(
        store.sqlite_pragma("journal_mode").await.expect("pragma"),
        "wal"
    );
    assert_eq!(
        store.sqlite_pragma("foreign_keys").await.expect("pragma"),
        "1"
    );
}

#[tokio::test]
async fn export_import_export_is_byte_identical_on_every_backend() {
    let set = orebro();
    let fresh = fresh().await;
    let mut exports = Vec::new();
    for store in &fresh.stores {
        assert!(store.is_empty().await.expect("count"));
        store
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import");
        assert!(!store.is_empty().await.expect("count"));
        let first = rodtrad_format::write(&store.export().await.expect("export"));
        // Into an empty database of the same backend, and out again.
        let again = rodtrad_format::parse(first.clone()).unwrap_or_else(|d| panic!("{d:#?}"));
        let second_store = fresh_like(store).await;
        second_store
            .import(&again, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("re-import");
        let second = rodtrad_format::write(&second_store.export().await.expect("export"));
        assert_eq!(bytes(&second), bytes(&first), "{:?}", store.backend());
        assert_eq!(again, set, "the export holds everything the data set holds");
        exports.push(bytes(&first));
    }
    // SQLite's export equals PostgreSQL's.
    if let [sqlite, postgres] = exports.as_slice() {
        assert_eq!(sqlite, postgres);
    }
}

/// Another empty store on the same backend as `store`.
async fn fresh_like(store: &Store) -> Store {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    match store.backend() {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir").keep();
            Store::open(&format!("sqlite:{}", dir.join("again.db").display()))
                .await
                .expect("open")
        }
        Backend::Postgres => Store::open(&postgres_database(n).await.expect("postgres"))
            .await
            .expect("open"),
    }
}

#[tokio::test]
async fn importing_the_same_data_set_twice_changes_nothing() {
    let set = orebro();
    let fresh = fresh().await;
    for store in &fresh.stores {
        let first = store
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import");
        assert!(first.created > 300, "{first:?}");
        assert_eq!((first.updated, first.removed), (0, 0));
        let before = store.export().await.expect("export");
        let second = store
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import again");
        assert_eq!(second.total(), 0, "{:?}: {second:?}", store.backend());
        assert_eq!(store.export().await.expect("export"), before);
    }
}

#[tokio::test]
async fn a_changed_data_set_updates_and_removes_by_identifier() {
    let set = orebro();
    let fresh = fresh().await;
    for store in &fresh.stores {
        store
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import");
        let mut changed = set.clone();
        let activity = changed
            .activities
            .iter_mut()
            .find(|a| a.serves.len() > 1)
            .map(std::sync::Arc::make_mut)
            .expect("an activity serving two goals");
        let id = activity.id.clone();
        activity.status = Some(Status::Cancelled);
        let dropped = activity.serves.pop().expect("a link");
        let plan = changed
            .plans
            .iter_mut()
            .find(|p| p.nodes.len() > 2)
            .expect("a plan with a tree");
        let plan_id = plan.id.clone();
        let leaf = plan.nodes.pop().expect("a node");
        // Whatever served the removed node no longer does.
        for a in &mut changed.activities {
            std::sync::Arc::make_mut(a)
                .serves
                .retain(|g| !(g.plan == plan_id && g.node == leaf.id));
        }
        for f in &mut changed.follow_ups {
            f.sections
                .retain(|s| !(s.node.plan == plan_id && s.node.node == leaf.id));
        }
        let applied = store
            .import(&changed, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import the change");
        assert!(applied.updated >= 1 && applied.removed >= 2, "{applied:?}");
        assert_eq!(applied.created, 0);
        let now = store.export().await.expect("export");
        let a = now
            .activities
            .iter()
            .find(|a| a.id == id)
            .expect("activity");
        assert_eq!(a.status, Some(Status::Cancelled));
        assert!(!a.serves.contains(&dropped));
        let p = now.plans.iter().find(|p| p.id == plan_id).expect("plan");
        assert!(!p.nodes.iter().any(|n| n.id == leaf.id));
        assert_eq!(now, changed);
    }
}

#[tokio::test]
async fn an_import_the_database_refuses_writes_nothing() {
    let set = orebro();
    let fresh = fresh().await;
    for store in &fresh.stores {
        store
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import");
        let before = rodtrad_format::write(&store.export().await.expect("export"));
        // A data set that renames a plan and drops a goal that stored activities (which this data
        // set does not hold) still serve: valid on its own, refused by the database when the
        // goal is to be removed, at the very end of the import.
        let mut partial = set.clone();
        partial.activities.clear();
        partial.follow_ups.clear();
        let served = set
            .activities
            .iter()
            .flat_map(|a| a.serves.iter())
            .next()
            .expect("a served goal")
            .clone();
        for plan in &mut partial.plans {
            plan.title = format!("{} (ändrad)", plan.title);
            if plan.id == served.plan {
                let removed: Vec<_> = plan
                    .nodes
                    .iter()
                    .filter(|n| n.id == served.node || n.parent.as_ref() == Some(&served.node))
                    .map(|n| n.id.clone())
                    .collect();
                plan.nodes.retain(|n| !removed.contains(&n.id));
            }
        }
        let result = store
            .import(&partial, &rodtrad_store::Actor::command_line(), 0)
            .await;
        assert!(
            result.is_err(),
            "{:?}: the database must refuse to drop a goal in use",
            store.backend()
        );
        let after = rodtrad_format::write(&store.export().await.expect("export"));
        assert_eq!(
            bytes(&after),
            bytes(&before),
            "{:?}: nothing may be half-written",
            store.backend()
        );
    }
}

/// The Örebro set with `n` more activities, copies of one that has partners and serves goals,
/// under new ids: more rows to a table than one statement of the import holds.
fn with_copies(n: usize) -> rodtrad_domain::DataSet {
    let mut set = orebro();
    let template = set
        .activities
        .iter()
        .find(|a| !a.partners.is_empty() && !a.serves.is_empty())
        .expect("an activity with partners and goals")
        .clone();
    for k in 0..n {
        let mut a = (*template).clone();
        a.id = Slug::parse(&format!("kopia-{k:05}")).expect("slug");
        a.title = format!("Kopia {k}");
        set.activities.push_back(std::sync::Arc::new(a));
    }
    set
}

#[tokio::test]
async fn a_set_larger_than_one_statement_is_imported_changed_and_recorded_in_full() {
    const COPIES: usize = 5000;
    let set = with_copies(COPIES);
    let cli = Actor::command_line();
    let fresh = fresh().await;
    for store in &fresh.stores {
        let b = store.backend();
        let first = store.import(&set, &cli, 1).await.expect("import");
        assert_eq!((first.updated, first.removed), (0, 0), "{b:?}");
        assert_eq!(store.export().await.expect("export"), set, "{b:?}");
        let again = store.import(&set, &cli, 2).await.expect("again");
        assert_eq!(again.total(), 0, "{b:?}: {again:?}");

        // Every copy renamed and without partners: more changed items than one statement of
        // the record holds.
        let mut changed = set.clone();
        let mut partners = 0;
        for a in &mut changed.activities {
            if a.id.as_str().starts_with("kopia-") {
                let a = std::sync::Arc::make_mut(a);
                a.title.push_str(" (ändrad)");
                partners += a.partners.len();
                a.partners.clear();
            }
        }
        let applied = store.import(&changed, &cli, 3).await.expect("the change");
        assert_eq!(applied.created, 0, "{b:?}");
        assert_eq!(applied.updated, COPIES as u64, "{b:?}");
        assert_eq!(applied.removed, partners as u64, "{b:?}");
        assert_eq!(store.export().await.expect("export"), changed, "{b:?}");

        let revisions = store.revisions().await.expect("revisions");
        let last = ItemKey::new(
            ItemKind::Activity,
            &Slug::parse(&format!("kopia-{:05}", COPIES - 1)).expect("slug"),
        );
        assert_eq!(revisions.get(&last), Some(&2), "{b:?}");
        let copies_at_2 = revisions
            .iter()
            .filter(|(k, r)| k.id.as_str().starts_with("kopia-") && **r == 2)
            .count();
        assert_eq!(copies_at_2, COPIES, "{b:?}");
        let record = store.changes_of(&last, 0).await.expect("record");
        let actions: Vec<(Action, i64, i64)> = record
            .iter()
            .map(|c| (c.action, c.revision, c.at))
            .collect();
        assert_eq!(
            actions,
            vec![(Action::Created, 1, 1), (Action::Changed, 2, 3)],
            "{b:?}"
        );
        let title = record[1]
            .fields
            .iter()
            .find(|f| f.field == "title")
            .expect("the title on record");
        assert_eq!(
            (title.before.as_deref(), title.after.as_deref()),
            (
                Some(format!("Kopia {}", COPIES - 1).as_str()),
                Some(format!("Kopia {} (ändrad)", COPIES - 1).as_str())
            ),
            "{b:?}"
        );
        assert!(
            record[0].fields.iter().any(|f| f.field == "title"),
            "{b:?}: a created item has its fields on record"
        );
    }
}

/// A data set may name one partner of an activity twice (the format does not refuse it): it is
/// stored once, at its later place, as writing the rows one by one always did, and not refused
/// as a duplicate row.
#[tokio::test]
async fn a_list_naming_one_thing_twice_is_stored_once() {
    let mut set = orebro();
    let activity = set
        .activities
        .iter_mut()
        .find(|a| a.partners.len() >= 2)
        .map(std::sync::Arc::make_mut)
        .expect("an activity with two partners");
    let id = activity.id.clone();
    let first = activity.partners[0].clone();
    activity.partners.push(first.clone());
    let mut expected = activity.partners.clone();
    expected.remove(0);
    let fresh = fresh().await;
    for store in &fresh.stores {
        store
            .import(&set, &Actor::command_line(), 0)
            .await
            .expect("import");
        let now = store.export().await.expect("export");
        let stored = now
            .activities
            .iter()
            .find(|a| a.id == id)
            .expect("activity");
        assert_eq!(stored.partners, expected, "{:?}", store.backend());
    }
}

/// The two backends' migrations are one schema: PostgreSQL's differs only in its number types.
#[test]
fn the_migrations_of_both_backends_describe_the_same_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut names: Vec<String> = std::fs::read_dir(dir.join("sqlite"))
        .expect("sqlite migrations")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let sqlite = std::fs::read_to_string(dir.join("sqlite").join(&name)).expect("sqlite");
        let postgres = std::fs::read_to_string(dir.join("postgres").join(&name))
            .unwrap_or_else(|_| panic!("migrations/postgres/{name} is missing"));
        // What follows this line is each backend's own dialect (triggers), compared by tests
        // of behaviour instead.
        let shared = |text: &str| {
            text.split("-- Backend-specific:")
                .next()
                .unwrap_or("")
                .to_owned()
        };
        let (sqlite, postgres) = (shared(&sqlite), shared(&postgres));
        // SQLite's narrow types are PostgreSQL's wider ones; its rows without a rowid are
        // PostgreSQL's heap rows (indicators' values, migration 0009).
        let sqlite = sqlite.replace(") WITHOUT ROWID;", ");");
        let as_sqlite = postgres
            .replace(
                "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,",
                "id INTEGER PRIMARY KEY,",
            )
            .replace("BIGINT", "INTEGER")
            .replace("SMALLINT", "INTEGER")
            .replace("DOUBLE PRECISION", "REAL");
        assert_eq!(
            as_sqlite, sqlite,
            "{name}: the backends' schemas have drifted apart"
        );
    }
}

#[tokio::test]
async fn accounts_roles_and_sessions() {
    use rodtrad_domain::{Role, Slug};
    use rodtrad_store::{Grant, StoreError};
    let cli = Actor::command_line();
    let fresh = fresh().await;
    for store in &fresh.stores {
        let b = store.backend();
        let anna = store
            .create_account(
                "Anna@Region.se",
                Some("Anna"),
                "$argon2id$hash",
                true,
                &cli,
                100,
            )
            .await
            .expect("create");
        assert_eq!(
            anna.email, "anna@region.se",
            "{b:?}: addresses are kept in lower case"
        );
        assert!(anna.is_admin && !anna.disabled);
        assert!(matches!(
            store
                .create_account("ANNA@region.se", None, "x", false, &cli, 100)
                .await,
            Err(StoreError::Duplicate(_))
        ));
        let bo = store
            .create_account("bo@kommun.se", None, "$argon2id$other", false, &cli, 100)
            .await
            .expect("create");
        let owner = Grant {
            role: Role::PlanOwner,
            scope: Slug::parse("social-valfard-2019-2022").expect("slug"),
        };
        store.grant(bo.id, &owner, &cli, 100).await.expect("grant");
        assert_eq!(
            store.grants(bo.id).await.expect("grants"),
            vec![owner.clone()]
        );
        store
            .create_session("hash-1", bo.id, "csrf-1", 1000, 2000)
            .await
            .expect("session");
        let s = store
            .session("hash-1", 1500)
            .await
            .expect("query")
            .expect("live");
        assert_eq!((s.account.id, s.csrf_token.as_str()), (bo.id, "csrf-1"));
        assert_eq!(s.grants, vec![owner.clone()]);
        assert!(
            store
                .session("hash-1", 2000)
                .await
                .expect("query")
                .is_none(),
            "ran out"
        );
        assert!(store.session("other", 1500).await.expect("query").is_none());
        store.delete_session("hash-1").await.expect("log out");
        assert!(
            store
                .session("hash-1", 1500)
                .await
                .expect("query")
                .is_none()
        );
    }
}

#[tokio::test]
async fn failed_logins_are_counted_by_compare_and_set() {
    let fresh = fresh().await;
    for store in &fresh.stores {
        let key = "bo@kommun.se from 192.0.2.1";
        assert_eq!(store.login_attempts(key).await.expect("q"), None);
        assert!(
            store
                .count_login_attempt(key, None, 1, 10)
                .await
                .expect("count")
        );
        let seen = store.login_attempts(key).await.expect("q");
        assert!(
            !store
                .count_login_attempt(key, None, 1, 11)
                .await
                .expect("count"),
            "counted meanwhile"
        );
        assert!(
            store
                .count_login_attempt(key, seen, 2, 12)
                .await
                .expect("count")
        );
        assert!(
            !store
                .count_login_attempt(key, seen, 2, 13)
                .await
                .expect("count"),
            "stale count"
        );
        assert_eq!(
            store.login_attempts(key).await.expect("q"),
            Some(rodtrad_store::Attempts {
                failures: 2,
                last_failure_at: 12
            })
        );
        store.clear_login_attempts(key).await.expect("clear");
        assert_eq!(store.login_attempts(key).await.expect("q"), None);
    }
}
