//! The record of changes, revisions and released versions, on every backend.

mod common;

use common::{fresh, orebro};
use rodtrad_domain::{Action, DataSet, ItemKey, ItemKind, Slug, item_changes};
use rodtrad_store::{Actor, Edit, SaveError, Store};
use sqlx::Connection;

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

fn editor() -> Actor {
    Actor {
        account: None,
        name: "Test Person".into(),
    }
}

/// Saves `after` as an edit of `before`, based on the given revisions.
async fn save(
    store: &Store,
    before: &DataSet,
    after: &DataSet,
    based_on: Vec<(ItemKey, i64)>,
) -> Result<Vec<(ItemKey, i64)>, SaveError> {
    let edit = Edit {
        actor: editor(),
        at: 1_700_000_000,
        changes: item_changes(before, after),
        based_on,
    };
    store.save(after, &edit, None).await
}

#[tokio::test]
async fn an_import_is_recorded_item_by_item_and_publishes_its_plans() {
    let f = fresh().await;
    let set = orebro();
    for store in &f.stores {
        store
            .import(&set, &Actor::command_line(), 5)
            .await
            .expect("import");
        let record = store.all_changes().await.expect("record");
        let items = set.organisations.len()
            + set.perspectives.len()
            + set.strategies.len()
            + set.plans.len()
            + set.activities.len()
            + set.follow_ups.len()
            + set.reports.len()
            + set.indicators.len();
        let created = record
            .iter()
            .filter(|c| c.action == Action::Created)
            .count();
        assert_eq!(created, items, "one record per item imported");
        let published = record
            .iter()
            .filter(|c| c.action == Action::Published)
            .count();
        assert_eq!(
            published,
            set.plans.len(),
            "every imported plan is published"
        );
        assert!(record.iter().all(|c| c.actor == "rodtrad" && c.at == 5));
        let first = &record[0];
        assert!(
            first
                .fields
                .iter()
                .any(|f| f.field == "name" && f.before.is_none() && f.after.is_some()),
            "a created item records its fields: {first:?}"
        );
        let latest = store.latest_releases().await.expect("releases");
        assert_eq!(latest.len(), set.plans.len());
        let plan = &set.plans[0];
        let stored = latest
            .iter()
            .find(|r| r.plan.id == plan.id)
            .expect("release");
        assert_eq!(&stored.plan, plan, "the release holds the plan as imported");

        store
            .import(&set, &Actor::command_line(), 6)
            .await
            .expect("import again");
        assert_eq!(
            store.all_changes().await.expect("record").len(),
            record.len(),
            "an import that changes nothing records nothing"
        );
    }
}

#[tokio::test]
async fn an_edit_is_saved_with_its_record_and_a_stale_one_is_refused() {
    let f = fresh().await;
    let set = orebro();
    for store in &f.stores {
        store
            .import(&set, &Actor::command_line(), 5)
            .await
            .expect("import");
        let key = ItemKey::new(ItemKind::Activity, &set.activities[0].id);
        assert_eq!(store.revision(&key).await.expect("revision"), 1);

        let mut edited = set.clone();
        std::sync::Arc::make_mut(&mut edited.activities[0]).title = "Ny titel".into();
        let revisions = save(store, &set, &edited, vec![(key.clone(), 1)])
            .await
            .expect("save");
        assert_eq!(revisions, vec![(key.clone(), 2)]);
        assert_eq!(store.export().await.expect("export"), edited);
        let history = store.changes_of(&key, 0).await.expect("history");
        assert_eq!(history.len(), 2);
        let last = &history[1];
        assert_eq!(
            (last.action, last.revision, last.actor.as_str()),
            (Action::Changed, 2, "Test Person")
        );
        assert_eq!(last.fields.len(), 1);
        assert_eq!(last.fields[0].field, "title");
        assert_eq!(
            last.fields[0].before.as_deref(),
            Some(set.activities[0].title.as_str())
        );
        assert_eq!(last.fields[0].after.as_deref(), Some("Ny titel"));
        assert_eq!(store.changes_of(&key, 1).await.expect("since").len(), 1);

        // Someone else, still looking at revision 1, saves another title: refused.
        let mut other = set.clone();
        std::sync::Arc::make_mut(&mut other.activities[0]).title = "Annan titel".into();
        let refused = save(store, &set, &other, vec![(key.clone(), 1)]).await;
        assert!(
            matches!(refused, Err(SaveError::Stale { ref item, current: 2 }) if *item == key),
            "{refused:?}"
        );
        assert_eq!(
            store.export().await.expect("export"),
            edited,
            "nothing written"
        );
        assert_eq!(store.changes_of(&key, 0).await.expect("history").len(), 2);

        // Removing the activity deletes it and records the removal.
        let mut removed = edited.clone();
        let gone = removed.activities.remove(0);
        // Its reports go with it: a report is of an activity.
        removed.reports.retain(|r| r.activity != gone.id);
        save(store, &edited, &removed, vec![(key.clone(), 2)])
            .await
            .expect("remove");
        assert_eq!(store.export().await.expect("export"), removed);
        let last = store.changes_of(&key, 2).await.expect("history");
        assert_eq!(last[0].action, Action::Removed);
    }
}

#[tokio::test]
async fn a_decided_version_stays_as_it_was_decided() {
    let f = fresh().await;
    let set = orebro();
    for store in &f.stores {
        store
            .import(&set, &Actor::command_line(), 5)
            .await
            .expect("import");
        let plan = set.plans[0].id.clone();
        let edit = Edit {
            actor: editor(),
            at: 7,
            changes: Vec::new(),
            based_on: Vec::new(),
        };
        store
            .save(
                &set,
                &edit,
                Some(rodtrad_store::Releasing::Plan {
                    id: &plan,
                    decided: true,
                }),
            )
            .await
            .expect("decide");
        let mut draft = set.clone();
        draft.plans[0].title = "Utkast till ny plan".into();
        if let Some(node) = draft.plans[0].nodes.last_mut() {
            node.title = "Omformulerat delmål".into();
        }
        save(store, &set, &draft, Vec::new())
            .await
            .expect("edit the draft");
        let releases = store.releases(&plan).await.expect("releases");
        assert_eq!(releases.len(), 2);
        assert!(releases[1].decided && !releases[0].decided);
        assert_eq!(
            releases[1].plan, set.plans[0],
            "the decided version is unchanged"
        );
        let record = store
            .changes_of(&ItemKey::new(ItemKind::Plan, &plan), 0)
            .await
            .expect("record");
        let actions: Vec<Action> = record.iter().map(|c| c.action).collect();
        assert_eq!(
            actions,
            vec![
                Action::Created,
                Action::Published,
                Action::Decided,
                Action::Changed
            ]
        );
        assert!(
            store
                .releases(&slug("no-such-plan"))
                .await
                .expect("none")
                .is_empty()
        );
    }
}

#[tokio::test]
async fn the_database_refuses_to_alter_the_record() {
    let f = fresh().await;
    for (store, url) in f.stores.iter().zip(&f.urls) {
        store
            .import(&orebro(), &Actor::command_line(), 5)
            .await
            .expect("import");
        let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect");
        for sql in [
            "UPDATE change_set SET actor = 'someone else'",
            "DELETE FROM change_field",
            "DELETE FROM change_set",
            "UPDATE plan_release SET content = '{}'",
            "DELETE FROM plan_release",
        ] {
            let result = sqlx::query(sql).execute(&mut conn).await;
            assert!(result.is_err(), "{url}: {sql} was allowed");
        }
        assert!(!store.all_changes().await.expect("record").is_empty());
    }
}

#[tokio::test]
async fn changes_of_accounts_are_on_record_without_the_password() {
    use rodtrad_domain::Role;
    use rodtrad_store::Grant;
    let f = fresh().await;
    for store in &f.stores {
        let admin = Actor {
            account: None,
            name: "Admin".into(),
        };
        let bo = store
            .create_account(
                "bo@kommun.se",
                Some("Bo"),
                "$argon2id$secret",
                false,
                &admin,
                100,
            )
            .await
            .expect("create");
        let owner = Grant {
            role: Role::PlanOwner,
            scope: slug("social-valfard-2019-2022"),
        };
        let contributor = Grant {
            role: Role::Contributor,
            scope: slug("orebro-kommun"),
        };
        store
            .grant(bo.id, &owner, &admin, 101)
            .await
            .expect("grant");
        store
            .grant(bo.id, &owner, &admin, 102)
            .await
            .expect("again");
        store
            .grant(bo.id, &contributor, &admin, 103)
            .await
            .expect("grant");
        assert_eq!(
            store.grants(bo.id).await.expect("grants"),
            vec![owner.clone(), contributor.clone()]
        );
        store
            .revoke(bo.id, &contributor, &admin, 104)
            .await
            .expect("revoke");
        assert_eq!(
            store.grants(bo.id).await.expect("grants"),
            vec![owner.clone()]
        );
        store
            .set_account_status(bo.id, false, true, &admin, 105)
            .await
            .expect("disable");
        let key = ItemKey::new(ItemKind::Account, &slug(&bo.id.to_string()));
        let record = store.changes_of(&key, 0).await.expect("record");
        let roles: Vec<Option<&str>> = record[1..4]
            .iter()
            .map(|c| c.fields[0].after.as_deref())
            .collect();
        assert_eq!(
            roles,
            vec![
                Some("plan_owner:social-valfard-2019-2022"),
                Some("plan_owner:social-valfard-2019-2022, contributor:orebro-kommun"),
                Some("plan_owner:social-valfard-2019-2022"),
            ],
            "granting twice records once"
        );
        let disabled = &record[4];
        assert_eq!(disabled.fields[0].field, "disabled");
        assert_eq!(disabled.fields[0].after.as_deref(), Some("true"));
        assert!(record.iter().all(|c| c.actor == "Admin"));
        let all = format!("{record:?}");
        assert!(
            !all.contains("argon2") && !all.contains("password"),
            "{all}"
        );
    }
}

#[tokio::test]
async fn only_plans_never_released_nor_edited_are_published_at_start() {
    let f = fresh().await;
    let set = orebro();
    for (store, url) in f.stores.iter().zip(&f.urls) {
        store
            .import(&set, &Actor::command_line(), 5)
            .await
            .expect("import");
        // A plan made in the application is a draft until its owner publishes it.
        let mut with_draft = set.clone();
        let mut draft = set.plans[0].clone();
        draft.id = slug("ny-plan");
        draft.title = "Ny plan".into();
        with_draft.plans.push(draft);
        save(store, &set, &with_draft, Vec::new())
            .await
            .expect("save");
        let released = store.latest_releases().await.expect("releases").len();
        store
            .release_unrecorded(&Actor::command_line(), 6)
            .await
            .expect("release");
        let after = store.latest_releases().await.expect("releases");
        assert_eq!(after.len(), released, "nothing new is published");
        assert!(after.iter().all(|r| r.plan.id.as_str() != "ny-plan"));
        assert!(
            after.iter().all(|r| r.number == 1),
            "nothing is published twice"
        );

        // A plan stored before versions were kept (written here as such a database holds it):
        // published as it stands, once.
        let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect");
        sqlx::query(
            "INSERT INTO plan (slug, kind, title, position) VALUES ('aldre-plan', 'plan', 'Äldre plan', 99)",
        )
        .execute(&mut conn)
        .await
        .expect("insert");
        store
            .release_unrecorded(&Actor::command_line(), 7)
            .await
            .expect("release");
        let older = store.releases(&slug("aldre-plan")).await.expect("releases");
        assert_eq!(older.len(), 1);
        assert_eq!(older[0].plan.title, "Äldre plan");
        store
            .release_unrecorded(&Actor::command_line(), 8)
            .await
            .expect("again");
        assert_eq!(
            store
                .releases(&slug("aldre-plan"))
                .await
                .expect("releases")
                .len(),
            1
        );
    }
}
