//! The reason vocabulary: adding, merging and renaming reasons.

use debrief_core::model::{Outcome, Reason, ReasonId};
use debrief_store::{ContactQuery, ReasonTexts, Store, StoreError};

use crate::harness::{at, cases, contact, note, reasons};

cases!(
    vocabulary_and_add_reasons_are_idempotent,
    merge_moves_uses_and_keeps_texts_as_written,
    merge_refuses_itself_and_missing_reasons,
    rename_keeps_the_old_label_and_refuses_a_taken_one,
);

fn entry(label: &str, controllable: bool, texts: &[&str]) -> ReasonTexts {
    ReasonTexts {
        reason: Reason { id: ReasonId(0), label: label.into(), controllable },
        texts: texts.iter().map(|t| t.to_string()).collect(),
    }
}

/// `(label, controllable, texts)` of the whole vocabulary.
async fn shape(store: &dyn Store) -> Vec<(String, bool, Vec<String>)> {
    let vocabulary = store.vocabulary().await.unwrap();
    vocabulary.into_iter().map(|r| (r.reason.label, r.reason.controllable, r.texts)).collect()
}

fn owned(label: &str, controllable: bool, texts: &[&str]) -> (String, bool, Vec<String>) {
    (label.into(), controllable, texts.iter().map(|t| t.to_string()).collect())
}

async fn vocabulary_and_add_reasons_are_idempotent(store: &dyn Store) {
    let starter = [
        entry("talked features, not benefits", true, &["pitched features", "feature dump"]),
        entry("chose a competitor", false, &[]),
        entry("did not ask about budget", true, &["never asked the budget"]),
    ];
    assert_eq!(store.add_reasons(&starter).await.unwrap(), 3);
    assert_eq!(store.add_reasons(&starter).await.unwrap(), 0, "adding again adds nothing");
    let more = [entry("was late", true, &[]), entry("chose a competitor", true, &["x"])];
    assert_eq!(store.add_reasons(&more).await.unwrap(), 1);

    assert_eq!(
        shape(store).await,
        [
            owned("chose a competitor", false, &[]),
            owned("did not ask about budget", true, &["never asked the budget"]),
            owned("talked features, not benefits", true, &["feature dump", "pitched features"]),
            owned("was late", true, &[]),
        ]
    );
}

async fn merge_moves_uses_and_keeps_texts_as_written(store: &dyn Store) {
    let from = entry("features not benefits", true, &["feature dump"]);
    let into = entry("talked features", true, &["pitched features"]);
    store.add_reasons(&[from, into]).await.unwrap();
    let [from, into] = reasons(store, &["features not benefits", "talked features"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    c.reasons = vec![note(from, "went through every feature", None)];
    let first = store.log_contact(&c).await.unwrap();
    c.reasons = vec![note(into, "spec sheet monologue", None)];
    store.log_contact(&c).await.unwrap();
    store.set_focus(rep, from, at("2026-03-03T09:00:00Z")).await.unwrap();

    store.merge_reasons(from, into).await.unwrap();

    let moved = store.contact(first).await.unwrap();
    assert_eq!(moved.reasons[0].reason, into);
    assert_eq!(moved.reasons[0].text, "went through every feature", "texts stay as written");
    let uses = |reason| ContactQuery { reason: Some(reason), ..Default::default() };
    assert_eq!(store.count_contacts(&uses(into)).await.unwrap(), 2);
    assert_eq!(store.count_contacts(&uses(from)).await.unwrap(), 0);
    assert_eq!(store.focus(rep).await.unwrap().unwrap().reason.id, into, "the focus follows");
    let texts = [
        "feature dump",
        "features not benefits",
        "pitched features",
        "spec sheet monologue",
        "went through every feature",
    ];
    assert_eq!(shape(store).await, [owned("talked features", true, &texts)]);
}

async fn merge_refuses_itself_and_missing_reasons(store: &dyn Store) {
    let [a] = reasons(store, &["price"]).await[..] else { panic!() };
    let itself = store.merge_reasons(a, a).await.unwrap_err();
    assert!(matches!(itself, StoreError::Conflict(_)), "{itself}");
    let missing = ReasonId(a.0 + 100);
    let err = store.merge_reasons(missing, a).await.unwrap_err();
    assert_eq!(err.to_string(), format!("no reason with id {missing}"));
    let err = store.merge_reasons(a, missing).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: "reason", .. }), "{err}");
    assert_eq!(store.vocabulary().await.unwrap().len(), 1, "nothing changed");
}

async fn rename_keeps_the_old_label_and_refuses_a_taken_one(store: &dyn Store) {
    let [late, price] = reasons(store, &["late", "price"]).await[..] else { panic!() };

    store.rename_reason(late, "was late to the meeting").await.unwrap();
    store.rename_reason(late, "was late to the meeting").await.unwrap();

    let err = store.rename_reason(price, "was late to the meeting").await.unwrap_err();
    assert_eq!(err.to_string(), "a reason labelled \"was late to the meeting\" already exists: merge into it instead");
    let missing = store.rename_reason(ReasonId(price.0 + 100), "x").await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound { what: "reason", .. }), "{missing}");
    assert_eq!(shape(store).await, [owned("price", true, &[]), owned("was late to the meeting", true, &["late"])]);
}
