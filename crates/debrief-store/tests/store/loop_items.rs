//! The loop after a contact: ownership items opened with their contact,
//! recoveries and their steps, follow-ups changed whole, closed clients and
//! the daily entries.

use debrief_core::daily::{DailyContent, DailyEntry};
use debrief_core::followup::{
    ClientClosure, ClientRef, CloseReason, FollowUpId, FollowUpKind, FollowUpPlan, PlannedKind, RecoveryRef, Status,
};
use debrief_core::mishap::{MishapKind, RecoveryId, Step, StepRecord};
use debrief_core::model::{ClientId, ContactId, Outcome, ReasonId, RepId};
use debrief_core::ownership::{Commitment, How, Owned, OwnershipId, OwnershipItem};
use debrief_store::{FollowUpChanges, Learn, NewReasonNote, ReasonRef, Store, StoreError};
use jiff::civil::{Date, date};

use crate::harness::{TestDb, at, cases, contact, db_cases, note, reasons};

cases!(
    ownership_opens_with_the_contact,
    owning_and_committing_are_kept,
    updating_a_contact_keeps_the_items_of_its_reasons,
    refiling_moves_one_note_with_its_item_and_keeps_the_words,
    a_recovery_reads_back_with_its_steps,
    follow_up_changes_apply_whole,
    a_plan_for_the_contacts_client_may_create_it,
    daily_entries_are_replaced_and_read_by_range,
    unknown_ids_are_not_found,
);
db_cases!(a_failed_log_keeps_no_ownership_item);

pub(crate) fn flagged(reason: ReasonId, text: &str) -> NewReasonNote {
    NewReasonNote { affected_client: true, ..note(reason, text, None) }
}

/// A follow-up to create for a stored client.
pub(crate) fn plan(client: ClientId, kind: PlannedKind, due: &str) -> FollowUpPlan {
    plan_for(ClientRef::Id(client), kind, due)
}

/// A follow-up to create for the client of the contact or mishap written with it.
pub(crate) fn plan_here(kind: PlannedKind, due: &str) -> FollowUpPlan {
    plan_for(ClientRef::This, kind, due)
}

fn plan_for(client: ClientRef, kind: PlannedKind, due: &str) -> FollowUpPlan {
    FollowUpPlan { client, kind, anchor: at("2026-03-02T09:00:00Z"), due: at(due), note: None }
}

pub(crate) fn closing(client: ClientRef, when: jiff::Timestamp) -> ClientClosure {
    ClientClosure { client, at: when, reason: CloseReason::MovedOn }
}

fn step(step: Step, when: &str) -> StepRecord {
    StepRecord { step, at: at(when), text: None, client_said: None }
}

pub(crate) fn creating(plans: Vec<FollowUpPlan>) -> FollowUpChanges {
    FollowUpChanges { create: plans, ..Default::default() }
}

/// Logs a lost contact of `rep` with `client` carrying `notes`.
pub(crate) async fn log(
    store: &dyn Store,
    rep: RepId,
    client: &str,
    when: &str,
    notes: Vec<NewReasonNote>,
) -> ContactId {
    let mut c = contact(rep, client, when, Outcome::Lost);
    c.reasons = notes;
    store.log_contact(&c).await.unwrap()
}

async fn ownership_opens_with_the_contact(store: &dyn Store) {
    let [late, price] = reasons(store, &["late", "price"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    let notes = vec![flagged(late, "late again"), note(price, "too dear", None), flagged(late, "really late")];
    let id = log(store, ana, "Acme", "2026-03-02T09:30:00Z", notes).await;
    let earlier = log(store, ana, "Beta", "2026-03-01T09:30:00Z", vec![flagged(price, "dear")]).await;

    let items = store.ownership_items(ana, true).await.unwrap();

    let got: Vec<(ContactId, ReasonId)> = items.iter().map(|i| (i.contact, i.reason)).collect();
    assert_eq!(got, [(earlier, price), (id, late)], "one item per flagged reason, oldest first");
    let acme = store.contact(id).await.unwrap().client;
    let expected = OwnershipItem {
        id: items[1].id,
        contact: id,
        client: acme,
        reason: late,
        opened_at: at("2026-03-02T09:30:00Z"),
        owned: None,
        committed: None,
    };
    assert_eq!(items[1], expected);
    assert_eq!(store.ownership_item(items[1].id).await.unwrap(), (ana, expected));
    assert_eq!(store.ownership_items(ana, false).await.unwrap(), items);
    assert!(store.ownership_items(bo, false).await.unwrap().is_empty());

    store.delete_contact(id).await.unwrap();
    assert_eq!(store.ownership_items(ana, false).await.unwrap().len(), 1, "items go with their contact");
}

/// The item is written after the contact and its notes, and a follow-up
/// for a client that is not there fails after it: nothing stays.
async fn a_failed_log_keeps_no_ownership_item(db: &TestDb) {
    let store = db.open().await.unwrap();
    let [late] = reasons(&*store, &["late"]).await[..] else { panic!() };
    let rep = store.rep("ana").await.unwrap();
    let mut c = contact(rep, "Acme", "2026-03-02T09:00:00Z", Outcome::NoAnswer);
    c.reasons = vec![flagged(late, "late")];
    c.follow_ups = creating(vec![plan(ClientId(999), FollowUpKind::Chase { n: 1 }, "2026-03-04T09:00:00Z")]);

    let err = store.log_contact(&c).await.unwrap_err();

    assert_eq!(err.to_string(), "no client with id 999");
    for table in ["ownership", "contacts", "clients", "follow_ups"] {
        assert_eq!(db.scalar(&format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table} keeps nothing");
    }
}

async fn owning_and_committing_are_kept(store: &dyn Store) {
    let [late, price, timing] = reasons(store, &["late", "price", "timing"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    log(store, ana, "Acme", "2026-03-02T09:00:00Z", vec![flagged(late, "late"), flagged(price, "dear")]).await;
    log(store, bo, "Acme", "2026-03-02T09:00:00Z", vec![flagged(late, "late")]).await;
    let [mut item, other] = store.ownership_items(ana, true).await.unwrap().try_into().unwrap();

    item.own(How::InPerson, "I'm sorry, I was late", at("2026-03-03T09:00:00Z")).unwrap();
    store.save_ownership(&item).await.unwrap();
    assert_eq!(store.ownership_item(item.id).await.unwrap().1, item);
    assert_eq!(store.ownership_items(ana, true).await.unwrap().len(), 2, "owned is not resolved yet");
    assert!(store.commitments(ana, &[late]).await.unwrap().is_empty());

    item.commit("I leave 15 minutes earlier", at("2026-03-04T09:00:00Z")).unwrap();
    store.save_ownership(&item).await.unwrap();

    let read = store.ownership_item(item.id).await.unwrap().1;
    assert_eq!(
        read.owned,
        Some(Owned { at: at("2026-03-03T09:00:00Z"), how: How::InPerson, said: "I'm sorry, I was late".into() })
    );
    assert_eq!(
        read.committed,
        Some(Commitment { at: at("2026-03-04T09:00:00Z"), text: "I leave 15 minutes earlier".into() })
    );
    assert_eq!(store.ownership_items(ana, true).await.unwrap(), [other]);
    assert_eq!(store.ownership_items(ana, false).await.unwrap().len(), 2);
    assert_eq!(store.commitments(ana, &[timing, late, price]).await.unwrap(), [read]);
    assert!(store.commitments(bo, &[late]).await.unwrap().is_empty(), "another rep's commitments are theirs");
    assert!(store.commitments(ana, &[]).await.unwrap().is_empty());

    store.merge_reasons(late, timing).await.unwrap();
    assert_eq!(store.commitments(ana, &[timing]).await.unwrap()[0].id, item.id, "a merge moves the items");
}

async fn updating_a_contact_keeps_the_items_of_its_reasons(store: &dyn Store) {
    let [late, price, timing] = reasons(store, &["late", "price", "timing"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let id = log(store, ana, "Acme", "2026-03-02T09:00:00Z", vec![flagged(late, "late"), flagged(price, "dear")]).await;
    let mut late_item = store.ownership_items(ana, false).await.unwrap().remove(0);
    late_item.own(How::Call, "sorry", at("2026-03-03T09:00:00Z")).unwrap();
    store.save_ownership(&late_item).await.unwrap();

    let mut changed = contact(ana, "Acme Corp", "2026-03-02T10:00:00Z", Outcome::Lost);
    changed.reasons = vec![note(late, "late", None), flagged(timing, "bad moment")];
    store.update_contact(id, &changed).await.unwrap();

    let items = store.ownership_items(ana, false).await.unwrap();
    let corp = store.find_client(ana, "Acme Corp").await.unwrap().unwrap();
    let got: Vec<(ReasonId, bool, ClientId)> = items.iter().map(|i| (i.reason, i.owned.is_some(), i.client)).collect();
    assert_eq!(got, [(late, true, corp), (timing, false, corp)], "late kept as owned, price gone, timing opened");
    assert_eq!(items[0].id, late_item.id);
    assert_eq!(items[1].opened_at, at("2026-03-02T10:00:00Z"));
}

async fn refiling_moves_one_note_with_its_item_and_keeps_the_words(store: &dyn Store) {
    let [late, timing] = reasons(store, &["late", "timing"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let id = log(
        store,
        ana,
        "Acme",
        "2026-03-02T09:00:00Z",
        vec![flagged(late, "came in late"), note(timing, "bad moment", None)],
    )
    .await;
    let mut item = store.ownership_items(ana, false).await.unwrap().remove(0);
    item.own(How::Call, "sorry", at("2026-03-03T09:00:00Z")).unwrap();
    store.save_ownership(&item).await.unwrap();

    // To another reason the rep controls: the owned item follows, the words stay.
    let moved = store.refile_reason(id, 0, &ReasonRef::Existing(timing), Learn::Yes).await.unwrap();
    assert_eq!((moved.from, moved.to, moved.controllable, moved.ownership_removed), (late, timing, true, false));
    let read = store.contact(id).await.unwrap();
    assert_eq!((read.reasons[0].reason, read.reasons[0].text.as_str()), (timing, "came in late"));
    assert_eq!(read.reasons[1].text, "bad moment", "the other note is untouched");
    let items = store.ownership_items(ana, false).await.unwrap();
    assert_eq!((items.len(), items[0].id, items[0].reason, items[0].owned.is_some()), (1, item.id, timing, true));
    let texts = store.vocabulary().await.unwrap();
    let says = |reason: ReasonId| texts.iter().find(|v| v.reason.id == reason).unwrap().texts.clone();
    assert!(says(timing).contains(&"came in late".to_string()), "learned as a way to say timing");
    assert!(!says(late).contains(&"came in late".to_string()));

    // Outside the rep's control, as a reason of its own: the item goes.
    let external = ReasonRef::New { label: "came in late".into(), controllable: false };
    let out = store.refile_reason(id, 0, &external, Learn::Yes).await.unwrap();
    assert!(!out.controllable && out.ownership_removed);
    assert!(!store.contact(id).await.unwrap().reasons[0].controllable);
    assert!(store.ownership_items(ana, false).await.unwrap().is_empty());

    // Out of the reason made of its words: they stay its way to say it while
    // another contact counts there, and follow the note once none does.
    let own = store.contact(id).await.unwrap().reasons[0].reason;
    let other = log(store, ana, "Beta", "2026-03-04T09:00:00Z", vec![note(own, "late again", None)]).await;
    let says = async |reason: ReasonId| {
        let texts = store.vocabulary().await.unwrap();
        texts.iter().find(|v| v.reason.id == reason).unwrap().texts.clone()
    };
    store.refile_reason(id, 0, &ReasonRef::Existing(timing), Learn::IfLeftUnused).await.unwrap();
    assert!(says(own).await.contains(&"came in late".to_string()), "still used: the label keeps its words");
    store.refile_reason(id, 0, &ReasonRef::Existing(own), Learn::Yes).await.unwrap();
    store.delete_contact(other).await.unwrap();
    store.refile_reason(id, 0, &ReasonRef::Existing(timing), Learn::IfLeftUnused).await.unwrap();
    assert!(says(timing).await.contains(&"came in late".to_string()), "unused: the words follow the note");
    assert!(!says(own).await.contains(&"came in late".to_string()));
    store.refile_reason(id, 0, &ReasonRef::Existing(own), Learn::Yes).await.unwrap();

    // A label of the other side, a position or contact that is not there: refused, nothing changes.
    let clash = ReasonRef::New { label: "came in late".into(), controllable: true };
    assert!(matches!(store.refile_reason(id, 0, &clash, Learn::No).await, Err(StoreError::Conflict(_))));
    let before = store.contact(id).await.unwrap();
    assert!(matches!(
        store.refile_reason(id, 5, &ReasonRef::Existing(late), Learn::No).await,
        Err(StoreError::NotFound { .. })
    ));
    let nobody = ContactId(id.0 + 100);
    assert!(matches!(
        store.refile_reason(nobody, 0, &ReasonRef::Existing(late), Learn::No).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.contact(id).await.unwrap(), before);
}

async fn a_recovery_reads_back_with_its_steps(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let update = FollowUpKind::MishapUpdate { recovery: RecoveryRef::This };
    let first = creating(vec![plan_here(update, "2026-03-03T10:00:00Z")]);
    let when = at("2026-03-02T14:00:00Z");
    let id =
        store.open_recovery(ana, "Acme", MishapKind::MissedMeeting, "missed the demo", when, &first).await.unwrap();
    let acme = store.find_client(ana, "Acme").await.unwrap().expect("the mishap created its client");
    let [update] = store.follow_ups(ana, true).await.unwrap().try_into().unwrap();
    assert_eq!((update.client, update.kind), (acme, FollowUpKind::MishapUpdate { recovery: id }));

    store.add_recovery_step(id, &step(Step::ToldAhead, "2026-03-02T13:00:00Z"), &Default::default()).await.unwrap();
    let apology = StepRecord {
        text: Some("I'm sorry: I missed our demo.".into()),
        ..step(Step::Apologized, "2026-03-02T15:00:00Z")
    };
    store.add_recovery_step(id, &apology, &Default::default()).await.unwrap();
    let other = store.open_recovery(ana, "Beta", MishapKind::Late, "late", when, &Default::default()).await.unwrap();
    assert_eq!(store.recoveries(ana, true).await.unwrap().len(), 2);

    let resolved = StepRecord { client_said: Some("fine".into()), ..step(Step::Resolved, "2026-03-04T09:00:00Z") };
    let cancel = FollowUpChanges { cancel: vec![(update.id, at("2026-03-04T09:00:00Z"))], ..Default::default() };
    store.add_recovery_step(id, &resolved, &cancel).await.unwrap();
    store.add_recovery_step(id, &step(Step::AskedAdvice, "2026-03-05T09:00:00Z"), &Default::default()).await.unwrap();

    let (rep, recovery) = store.recovery(id).await.unwrap();
    assert_eq!(
        (rep, recovery.client, recovery.kind, recovery.what.as_str()),
        (ana, acme, MishapKind::MissedMeeting, "missed the demo")
    );
    assert_eq!(recovery.at, when);
    let steps = [
        step(Step::ToldAhead, "2026-03-02T13:00:00Z"),
        apology,
        resolved,
        step(Step::AskedAdvice, "2026-03-05T09:00:00Z"),
    ];
    assert_eq!(recovery.steps, steps, "in the order recorded, with their texts");
    assert_eq!(recovery.resolved_at(), Some(at("2026-03-04T09:00:00Z")));
    let open: Vec<RecoveryId> = store.recoveries(ana, true).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(open, [other]);
    assert_eq!(store.recoveries(ana, false).await.unwrap(), [recovery, store.recovery(other).await.unwrap().1]);
    assert!(store.follow_ups(ana, true).await.unwrap().is_empty(), "resolving cancelled the update");
}

async fn follow_up_changes_apply_whole(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    log(store, ana, "Acme", "2026-03-02T09:00:00Z", vec![]).await;
    let acme = store.find_client(ana, "Acme").await.unwrap().unwrap();
    let manual =
        FollowUpPlan { note: Some("send the deck".into()), ..plan(acme, FollowUpKind::Manual, "2026-03-03T09:00:00Z") };
    let plans = vec![
        plan(acme, FollowUpKind::Chase { n: 1 }, "2026-03-04T09:00:00Z"),
        plan(acme, FollowUpKind::CheckIn { n: 2 }, "2026-03-09T09:00:00Z"),
        manual.clone(),
    ];
    let [chase, check_in, by_hand] = store.apply_follow_ups(ana, &creating(plans)).await.unwrap()[..] else { panic!() };
    let open: Vec<FollowUpId> = store.follow_ups(ana, true).await.unwrap().iter().map(|f| f.id).collect();
    assert_eq!(open, [by_hand, chase, check_in], "by due time");
    assert_eq!(store.follow_up(by_hand).await.unwrap(), (ana, manual.with_id(by_hand).unwrap()));

    let t = at("2026-03-04T10:00:00Z");
    let changes = FollowUpChanges {
        create: vec![plan(acme, FollowUpKind::Chase { n: 2 }, "2026-03-07T09:00:00Z")],
        complete: vec![(chase, t)],
        cancel: vec![(by_hand, t)],
        reschedule: vec![(check_in, at("2026-03-20T09:00:00Z"))],
        close: Some(closing(ClientRef::Id(acme), t)),
    };
    let [chase_2] = store.apply_follow_ups(ana, &changes).await.unwrap()[..] else { panic!() };

    let status = |id| async move { store.follow_up(id).await.unwrap().1.status };
    assert_eq!(status(chase).await, Status::Done { at: t });
    assert_eq!(status(by_hand).await, Status::Cancelled { at: t });
    assert_eq!(store.follow_up(check_in).await.unwrap().1.due, at("2026-03-20T09:00:00Z"));
    let open: Vec<FollowUpId> = store.client_follow_ups(acme, true).await.unwrap().iter().map(|f| f.id).collect();
    assert_eq!(open, [chase_2, check_in]);
    assert_eq!(store.client_follow_ups(acme, false).await.unwrap().len(), 4);
    assert_eq!(store.client(acme).await.unwrap().closed, Some((t, CloseReason::MovedOn)));

    let again = FollowUpChanges { cancel: vec![(chase_2, t), (chase, t)], ..Default::default() };
    let err = store.apply_follow_ups(ana, &again).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(
        err.to_string(),
        format!("follow-up {chase} is already done: only an open follow-up can be done, cancelled or moved")
    );
    assert_eq!(status(chase_2).await, Status::Open, "the whole change was refused");
}

async fn a_plan_for_the_contacts_client_may_create_it(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let mut c = contact(ana, "Newco", "2026-03-02T09:00:00Z", Outcome::NoAnswer);
    c.follow_ups = creating(vec![plan_here(FollowUpKind::Chase { n: 1 }, "2026-03-04T09:00:00Z")]);
    let id = store.log_contact(&c).await.unwrap();

    let newco = store.contact(id).await.unwrap().client;
    assert_eq!(store.find_client(ana, "Newco").await.unwrap(), Some(newco));
    let [chase] = store.client_follow_ups(newco, true).await.unwrap().try_into().unwrap();
    assert_eq!((chase.kind, chase.due), (FollowUpKind::Chase { n: 1 }, at("2026-03-04T09:00:00Z")));
    assert_eq!(store.client(newco).await.unwrap().closed, None);
    assert_eq!(store.client_names(&[ClientId(newco.0 + 100), newco]).await.unwrap(), [(newco, "Newco".to_string())]);

    let alone = creating(vec![plan_here(FollowUpKind::Manual, "2026-03-04T09:00:00Z")]);
    let err = store.apply_follow_ups(ana, &alone).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "a follow-up names \"this client\", but no client is written with it: name a stored client instead"
    );
}

async fn daily_entries_are_replaced_and_read_by_range(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    let entry = |date: Date, content| DailyEntry { date, content };
    let items = DailyContent::Items(vec!["ask for \"the\" budget\nearlier".into(), "listen more".into()]);
    let written = [
        entry(date(2025, 12, 31), DailyContent::NothingToImprove),
        entry(date(2026, 1, 2), DailyContent::MissedNote("on a plane".into())),
        entry(date(2026, 1, 1), items.clone()),
        entry(date(2026, 1, 5), DailyContent::NothingToImprove),
    ];
    for e in &written {
        store.save_daily(ana, e).await.unwrap();
    }
    store.save_daily(bo, &entry(date(2026, 1, 1), DailyContent::NothingToImprove)).await.unwrap();
    store.save_daily(ana, &entry(date(2026, 1, 2), items.clone())).await.unwrap();

    let got = store.daily_entries(ana, date(2025, 12, 31), date(2026, 1, 2)).await.unwrap();
    let expected = [written[0].clone(), written[2].clone(), entry(date(2026, 1, 2), items)];
    assert_eq!(got, expected, "inclusive, by date, the newest write of a day");
    assert_eq!(store.daily_entries(ana, date(2026, 1, 3), date(2026, 1, 4)).await.unwrap(), []);
    assert_eq!(store.daily_entries(bo, date(2020, 1, 1), date(2030, 1, 1)).await.unwrap().len(), 1);
}

async fn unknown_ids_are_not_found(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    log(store, bo, "Bo's client", "2026-03-02T09:00:00Z", vec![]).await;
    let theirs = store.find_client(bo, "Bo's client").await.unwrap().unwrap();
    let missing = |what: &'static str| {
        move |e: StoreError| assert!(matches!(e, StoreError::NotFound { what: w, .. } if w == what), "{e}")
    };
    let item = OwnershipItem {
        id: OwnershipId(999),
        contact: ContactId(1),
        client: theirs,
        reason: ReasonId(1),
        opened_at: at("2026-03-02T09:00:00Z"),
        owned: None,
        committed: None,
    };
    let none = FollowUpChanges::default();
    let t = at("2026-03-02T09:00:00Z");

    missing("ownership item")(store.ownership_item(OwnershipId(999)).await.unwrap_err());
    missing("ownership item")(store.save_ownership(&item).await.unwrap_err());
    missing("recovery")(store.recovery(RecoveryId(999)).await.unwrap_err());
    missing("recovery")(
        store.add_recovery_step(RecoveryId(999), &step(Step::Plan, "2026-03-02T09:00:00Z"), &none).await.unwrap_err(),
    );
    missing("follow-up")(store.follow_up(FollowUpId(999)).await.unwrap_err());
    missing("client")(store.client(ClientId(999)).await.unwrap_err());
    missing("rep")(store.open_recovery(RepId(999), "x", MishapKind::Other, "x", t, &none).await.unwrap_err());
    missing("rep")(store.apply_follow_ups(RepId(999), &none).await.unwrap_err());
    missing("rep")(
        store
            .save_daily(RepId(999), &DailyEntry { date: date(2026, 1, 1), content: DailyContent::NothingToImprove })
            .await
            .unwrap_err(),
    );
    for changes in [
        FollowUpChanges { complete: vec![(FollowUpId(999), t)], ..Default::default() },
        FollowUpChanges { cancel: vec![(FollowUpId(999), t)], ..Default::default() },
        FollowUpChanges { reschedule: vec![(FollowUpId(999), t)], ..Default::default() },
    ] {
        missing("follow-up")(store.apply_follow_ups(ana, &changes).await.unwrap_err());
    }
    let bos = store
        .apply_follow_ups(bo, &creating(vec![plan(theirs, FollowUpKind::Manual, "2026-03-04T09:00:00Z")]))
        .await
        .unwrap();
    let changes = FollowUpChanges { complete: vec![(bos[0], t)], ..Default::default() };
    missing("follow-up")(store.apply_follow_ups(ana, &changes).await.unwrap_err());
    missing("client")(
        store
            .apply_follow_ups(ana, &creating(vec![plan(theirs, FollowUpKind::Manual, "2026-03-04T09:00:00Z")]))
            .await
            .unwrap_err(),
    );
    let close = FollowUpChanges { close: Some(closing(ClientRef::Id(theirs), t)), ..Default::default() };
    missing("client")(store.apply_follow_ups(ana, &close).await.unwrap_err());
    let update =
        plan(theirs, FollowUpKind::MishapUpdate { recovery: RecoveryRef::Id(RecoveryId(999)) }, "2026-03-04T09:00:00Z");
    missing("recovery")(store.apply_follow_ups(bo, &creating(vec![update])).await.unwrap_err());
    assert_eq!(store.follow_ups(bo, false).await.unwrap().len(), 1, "nothing was written");
    assert_eq!(store.client(theirs).await.unwrap().closed, None);
}
