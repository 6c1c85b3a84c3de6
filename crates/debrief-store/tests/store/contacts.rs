//! Logging, reading back, replacing and deleting one contact.

use debrief_core::model::{Channel, Contact, ContactId, Outcome, ReasonId, ReasonNote};
use debrief_store::{ContactQuery, NewContact, Store, StoreError};

use crate::harness::{TestDb, at, cases, contact, db_cases, new_note, note, reasons};

cases!(
    round_trip_with_new_and_existing_reasons,
    a_new_reason_with_a_known_label_is_the_known_reason,
    clients_are_reused_per_rep,
    update_replaces_fields_and_reasons,
    delete_removes_and_missing_is_not_found,
    reps_count_their_contacts,
    a_snapshot_reads_one_moment_and_writes_nothing,
);
db_cases!(a_failed_log_leaves_nothing_behind, a_failure_late_in_a_log_rolls_everything_back);

async fn round_trip_with_new_and_existing_reasons(store: &dyn Store) {
    let [competitor] = reasons(store, &["chose a competitor"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:30:00Z", Outcome::Lost);
    c.channel = Channel::OnlineMeeting;
    c.new_lead = true;
    c.better = Some("ask for the budget first".into());
    c.note = Some("CFO joined late".into());
    c.reasons = vec![
        new_note("didn't ask about budget", "Never asked the budget question", true),
        note(competitor, "they went with Initech", None),
    ];
    c.reasons[0].do_differently = Some("ask in the first five minutes".into());
    c.reasons[1].controllable = false;

    let id = store.log_contact(&c).await.unwrap();
    let got = store.contact(id).await.unwrap();

    let budget = store.vocabulary().await.unwrap();
    let budget = budget.iter().find(|r| r.reason.label == "didn't ask about budget").unwrap();
    assert!(budget.reason.controllable);
    assert_eq!(budget.texts, ["Never asked the budget question"]);
    assert_eq!((got.id, got.rep, got.client_name.as_str()), (id, rep, "Acme"));
    assert_eq!(got.at, at("2026-03-02T09:30:00Z"));
    assert_eq!((got.channel, got.outcome, got.new_lead), (Channel::OnlineMeeting, Outcome::Lost, true));
    assert_eq!(got.better.as_deref(), Some("ask for the budget first"));
    assert_eq!(got.note.as_deref(), Some("CFO joined late"));
    assert_eq!(
        got.reasons,
        [
            ReasonNote {
                reason: budget.reason.id,
                text: "Never asked the budget question".into(),
                controllable: true,
                do_differently: Some("ask in the first five minutes".into()),
            },
            ReasonNote {
                reason: competitor,
                text: "they went with Initech".into(),
                controllable: false,
                do_differently: None,
            },
        ]
    );
    assert!(store.has_contacts().await.unwrap());
}

async fn a_new_reason_with_a_known_label_is_the_known_reason(store: &dyn Store) {
    let [late] = reasons(store, &["was late"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:30:00Z", Outcome::Lost);
    c.reasons = vec![new_note("was late", "late again", true)];
    let id = store.log_contact(&c).await.unwrap();
    assert_eq!(store.contact(id).await.unwrap().reasons[0].reason, late);
    assert_eq!(store.vocabulary().await.unwrap().len(), 1);
}

async fn clients_are_reused_per_rep(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    assert_eq!(store.rep("ana").await.unwrap(), ana, "a rep is found again by name");
    assert_eq!(store.find_rep("bo").await.unwrap(), Some(bo));
    assert_eq!(store.find_rep("cy").await.unwrap(), None);

    let first = log(store, &contact(ana, "Acme", "2026-03-02T09:00:00Z", Outcome::Advanced)).await;
    let again = log(store, &contact(ana, "Acme", "2026-03-03T09:00:00Z", Outcome::Won)).await;
    let other = log(store, &contact(bo, "Acme", "2026-03-03T09:00:00Z", Outcome::Won)).await;

    assert_eq!(first.client, again.client);
    assert_ne!(first.client, other.client, "each rep has their own clients");
    let by_client = ContactQuery { client: Some(first.client), ..Default::default() };
    assert_eq!(store.count_contacts(&by_client).await.unwrap(), 2);
}

/// Logs a contact and reads it back.
async fn log(store: &dyn Store, c: &NewContact) -> Contact {
    store.contact(store.log_contact(c).await.unwrap()).await.unwrap()
}

async fn update_replaces_fields_and_reasons(store: &dyn Store) {
    let [price, late, timing] = reasons(store, &["price", "was late", "bad timing"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    c.reasons = vec![note(price, "too expensive", None), note(late, "late", Some("leave earlier"))];
    c.note = Some("first".into());
    let id = store.log_contact(&c).await.unwrap();

    let mut changed = contact(rep, "Acme Corp", "2026-03-04T15:00:00Z", Outcome::Advanced);
    changed.channel = Channel::Visit;
    changed.reasons = vec![note(timing, "budget frozen until Q3", None)];
    store.update_contact(id, &changed).await.unwrap();

    let got = store.contact(id).await.unwrap();
    assert_eq!(got.client_name, "Acme Corp");
    assert_eq!((got.at, got.channel, got.outcome), (at("2026-03-04T15:00:00Z"), Channel::Visit, Outcome::Advanced));
    assert_eq!(got.note, None);
    let reasons: Vec<(ReasonId, &str)> = got.reasons.iter().map(|r| (r.reason, r.text.as_str())).collect();
    assert_eq!(reasons, [(timing, "budget frozen until Q3")]);
    let by_price = ContactQuery { reason: Some(price), ..Default::default() };
    assert_eq!(store.count_contacts(&by_price).await.unwrap(), 0);

    let missing = store.update_contact(ContactId(id.0 + 100), &changed).await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound { what: "contact", .. }), "{missing}");
}

async fn delete_removes_and_missing_is_not_found(store: &dyn Store) {
    let [price] = reasons(store, &["price"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    c.reasons = vec![note(price, "too expensive", None)];
    let id = store.log_contact(&c).await.unwrap();

    store.delete_contact(id).await.unwrap();

    let gone = store.contact(id).await.unwrap_err();
    assert_eq!(gone.to_string(), format!("no contact with id {id}"));
    let again = store.delete_contact(id).await.unwrap_err();
    assert!(matches!(again, StoreError::NotFound { what: "contact", .. }), "{again}");
    assert!(!store.has_contacts().await.unwrap());
    let by_price = ContactQuery { reason: Some(price), ..Default::default() };
    assert_eq!(store.count_contacts(&by_price).await.unwrap(), 0);
}

async fn reps_count_their_contacts(store: &dyn Store) {
    let bo = store.rep("bo").await.unwrap();
    let ana = store.rep("ana").await.unwrap();
    for day in ["02", "03"] {
        let when = format!("2026-03-{day}T09:00:00Z");
        store.log_contact(&contact(ana, "Acme", &when, Outcome::Won)).await.unwrap();
    }
    let reps = store.reps().await.unwrap();
    let summary: Vec<_> = reps.iter().map(|r| (r.id, r.name.as_str(), r.contacts)).collect();
    assert_eq!(summary, [(ana, "ana", 2), (bo, "bo", 0)]);
}

async fn a_failed_log_leaves_nothing_behind(db: &TestDb) {
    let store = db.open().await.unwrap();
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    c.reasons =
        vec![new_note("talked features", "features, features", true), note(ReasonId(9999), "no such reason", None)];

    let err = store.log_contact(&c).await.unwrap_err();

    assert_eq!(err.to_string(), "no reason with id 9999");
    assert_eq!(db.scalar("SELECT COUNT(*) FROM clients").await, 0);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM reason_texts").await, 0);
    assert!(store.vocabulary().await.unwrap().is_empty());
    assert!(!store.has_contacts().await.unwrap());
}

/// A note the database itself refuses, after the client, the new reason and
/// the contact were written: the whole log rolls back.
async fn a_failure_late_in_a_log_rolls_everything_back(db: &TestDb) {
    let store = db.open().await.unwrap();
    db.execute(match db {
        TestDb::Sqlite { .. } => {
            "CREATE TRIGGER refuse BEFORE INSERT ON contact_reasons WHEN NEW.text = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END"
        }
        TestDb::Postgres { .. } => "ALTER TABLE contact_reasons ADD CONSTRAINT refuse CHECK (text <> 'boom')",
    })
    .await;
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    c.reasons = vec![new_note("talked features", "boom", true)];

    assert!(matches!(store.log_contact(&c).await, Err(StoreError::Database(_))));

    for table in ["clients", "reasons", "reason_texts", "contacts", "contact_reasons"] {
        let n = db.scalar(&format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(n, 0, "{table} keeps nothing of the failed log");
    }
}

/// A backup of a database that is not one file reads every rep through a
/// snapshot: what is written after it was taken is not in it, and nothing
/// is written through it. A database that is one file is copied whole.
async fn a_snapshot_reads_one_moment_and_writes_nothing(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    store.log_contact(&contact(ana, "Acme", "2026-03-02T09:00:00Z", Outcome::Won)).await.unwrap();
    let Some(snapshot) = store.snapshot().await.unwrap() else {
        let dir = tempfile::tempdir().unwrap();
        assert!(store.backup_file(&dir.path().join("copy.db")).await.unwrap(), "copied whole instead");
        return;
    };
    store.log_contact(&contact(ana, "Beta", "2026-03-03T09:00:00Z", Outcome::Lost)).await.unwrap();
    let all = ContactQuery::default();
    assert_eq!(store.count_contacts(&all).await.unwrap(), 2);
    assert_eq!(snapshot.count_contacts(&all).await.unwrap(), 1, "as it was when taken");
    assert_eq!(snapshot.find_client(ana, "Beta").await.unwrap(), None);
    let write = snapshot.log_contact(&contact(ana, "Gamma", "2026-03-04T09:00:00Z", Outcome::Won)).await;
    assert!(write.is_err(), "nothing is written through a snapshot");
    assert_eq!(store.count_contacts(&all).await.unwrap(), 2);
}
