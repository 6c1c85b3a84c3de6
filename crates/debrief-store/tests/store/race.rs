//! Writes racing changes to the vocabulary: a contact logged with a reason
//! read before that reason was merged or renamed lands under the reason's
//! new home, with no error, on both backends.

use std::sync::Arc;

use debrief_core::model::{Outcome, ReasonId, RepId};
use debrief_store::{ContactQuery, Learn, NewContact, ReasonRef, Store, StoreError};

use crate::harness::{TestDb, at, cases, contact, db_cases, note, reasons};

cases!(a_merged_reasons_id_counts_under_its_new_home);
db_cases!(
    logs_racing_merges_land_under_the_surviving_reason,
    logs_racing_renames_keep_their_reason,
    refiles_racing_merges_land_under_the_surviving_reason
);

/// Rounds of each race, and logs racing in each round.
const ROUNDS: usize = 12;
const LOGS: usize = 8;

async fn a_merged_reasons_id_counts_under_its_new_home(store: &dyn Store) {
    let [a, b, c] = reasons(store, &["a", "b", "c"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let logged = |when: &str| {
        let mut new = contact(rep, "Acme", when, Outcome::Lost);
        new.reasons = vec![note(a, "a", None)];
        new
    };
    store.merge_reasons(a, b).await.unwrap();
    let first = store.log_contact(&logged("2026-03-02T09:00:00Z")).await.unwrap();
    store.merge_reasons(b, c).await.unwrap();
    let second = store.log_contact(&logged("2026-03-03T09:00:00Z")).await.unwrap();
    store.set_focus(rep, a, at("2026-03-04T09:00:00Z")).await.unwrap();

    assert_eq!(store.contact(first).await.unwrap().reasons[0].reason, c, "the first merge moved it on");
    assert_eq!(store.contact(second).await.unwrap().reasons[0].reason, c);
    assert_eq!(store.focus(rep).await.unwrap().unwrap().reason.id, c);
    let err = store.merge_reasons(a, c).await.unwrap_err();
    assert_eq!(err.to_string(), format!("no reason with id {a}"), "a merged reason cannot be merged again");
    let never = ReasonId(c.0 + 100);
    let mut stray = logged("2026-03-05T09:00:00Z");
    stray.reasons = vec![note(never, "x", None)];
    let err = store.log_contact(&stray).await.unwrap_err();
    assert_eq!(err.to_string(), format!("no reason with id {never}"), "an id that never was a reason");
}

/// The contacts of one round: each names `reason` as read before the race,
/// with its label as the text (remembering it races the merge's texts too).
fn round_contacts(rep: RepId, round: usize, reason: ReasonId, text: &str) -> Vec<NewContact> {
    (0..LOGS)
        .map(|i| {
            let mut c = contact(rep, &format!("client {round}-{i}"), "2026-03-02T09:00:00Z", Outcome::Lost);
            c.reasons = vec![note(reason, text, Some("ask earlier"))];
            c.reasons[0].affected_client = i % 2 == 0;
            c
        })
        .collect()
}

/// Logs and one vocabulary change started together (the change half-way
/// through starting the logs); what the change and each log returned.
async fn race(
    store: &Arc<dyn Store>,
    contacts: Vec<NewContact>,
    change: impl Future<Output = Result<(), StoreError>> + Send + 'static,
) -> (Result<(), StoreError>, Vec<Result<(), StoreError>>) {
    let (mut change, mut changing, mut logs) = (Some(change), None, Vec::new());
    for (i, c) in contacts.into_iter().enumerate() {
        if i == LOGS / 2 {
            changing = change.take().map(tokio::spawn);
        }
        let store = store.clone();
        logs.push(tokio::spawn(async move { store.log_contact(&c).await.map(drop) }));
    }
    let mut logged = Vec::new();
    for log in logs {
        logged.push(log.await.unwrap());
    }
    let changed = match changing {
        Some(task) => task.await.unwrap(),
        None => Ok(()),
    };
    (changed, logged)
}

async fn logs_racing_merges_land_under_the_surviving_reason(db: &TestDb) {
    let store = db.open().await.unwrap();
    let rep = store.rep("ana").await.unwrap();
    for round in 0..ROUNDS {
        let (from_label, into_label) = (format!("from {round}"), format!("into {round}"));
        let [from, into] = reasons(&*store, &[from_label.as_str(), into_label.as_str()]).await[..] else { panic!() };
        let contacts = round_contacts(rep, round, from, &from_label);
        let merging = store.clone();
        let merge = async move { merging.merge_reasons(from, into).await };
        let (merged, logged) = race(&store, contacts, merge).await;

        merged.unwrap_or_else(|e| panic!("round {round}: the merge failed: {e}"));
        for result in logged {
            result.unwrap_or_else(|e| panic!("round {round}: a log failed: {e}"));
        }
        let under = |reason| ContactQuery { reason: Some(reason), ..Default::default() };
        assert_eq!(store.count_contacts(&under(into)).await.unwrap(), LOGS as u64, "round {round}");
        assert_eq!(store.count_contacts(&under(from)).await.unwrap(), 0, "round {round}");
    }
    let items = store.ownership_items(rep, false).await.unwrap();
    assert_eq!(items.len(), ROUNDS * LOGS / 2, "every flagged mistake has its item");
    let vocabulary = store.vocabulary().await.unwrap();
    assert!(vocabulary.iter().all(|r| !r.reason.label.starts_with("from ")), "every merged reason is gone");
    assert_eq!(store.count_contacts(&ContactQuery::default()).await.unwrap(), (ROUNDS * LOGS) as u64);
}

async fn logs_racing_renames_keep_their_reason(db: &TestDb) {
    let store = db.open().await.unwrap();
    let rep = store.rep("ana").await.unwrap();
    let [reason] = reasons(&*store, &["label 0"]).await[..] else { panic!() };
    for round in 0..ROUNDS {
        let contacts = round_contacts(rep, round, reason, &format!("label {round}"));
        let renaming = store.clone();
        let label = format!("label {}", round + 1);
        let rename = async move { renaming.rename_reason(reason, &label).await };
        let (renamed, logged) = race(&store, contacts, rename).await;

        renamed.unwrap_or_else(|e| panic!("round {round}: the rename failed: {e}"));
        for result in logged {
            result.unwrap_or_else(|e| panic!("round {round}: a log failed: {e}"));
        }
    }
    let under = ContactQuery { reason: Some(reason), ..Default::default() };
    assert_eq!(store.count_contacts(&under).await.unwrap(), (ROUNDS * LOGS) as u64);
    let vocabulary = store.vocabulary().await.unwrap();
    let [only] = &vocabulary[..] else { panic!("{vocabulary:?}") };
    assert_eq!(only.reason.label, format!("label {ROUNDS}"));
    assert_eq!(only.texts.len(), ROUNDS, "every old label is a way to say it");
}

/// Re-files to a reason racing its merge: each re-file commits before the
/// merge (which then moves it) or waits and follows the merge; none fails.
async fn refiles_racing_merges_land_under_the_surviving_reason(db: &TestDb) {
    let store = db.open().await.unwrap();
    let rep = store.rep("ana").await.unwrap();
    let mut survivors = Vec::new();
    for round in 0..ROUNDS {
        let labels = [format!("from {round}"), format!("into {round}"), format!("was {round}")];
        let [from, into, was] = reasons(&*store, &[&labels[0], &labels[1], &labels[2]]).await[..] else { panic!() };
        let mut ids = Vec::new();
        for c in round_contacts(rep, round, was, &format!("as written {round}")) {
            ids.push(store.log_contact(&c).await.unwrap());
        }
        let (mut merging, mut refiles) = (None, Vec::new());
        for (i, id) in ids.into_iter().enumerate() {
            if i == LOGS / 2 {
                let store = store.clone();
                merging = Some(tokio::spawn(async move { store.merge_reasons(from, into).await }));
            }
            let store = store.clone();
            refiles.push(tokio::spawn(async move {
                store.refile_reason(id, 0, &ReasonRef::Existing(from), Learn::Yes).await
            }));
        }
        for refile in refiles {
            let moved = refile.await.unwrap().unwrap_or_else(|e| panic!("round {round}: a re-file failed: {e}"));
            assert_eq!(moved.from, was, "round {round}");
        }
        merging.unwrap().await.unwrap().unwrap_or_else(|e| panic!("round {round}: the merge failed: {e}"));
        let under = |reason| ContactQuery { reason: Some(reason), ..Default::default() };
        assert_eq!(store.count_contacts(&under(into)).await.unwrap(), LOGS as u64, "round {round}");
        assert_eq!(store.count_contacts(&under(was)).await.unwrap(), 0, "round {round}");
        survivors.push(into);
    }
    let items = store.ownership_items(rep, false).await.unwrap();
    assert_eq!(items.len(), ROUNDS * LOGS / 2, "every flagged mistake keeps its item");
    assert!(items.iter().all(|i| survivors.contains(&i.reason)), "each item followed its note to the surviving reason");
}
