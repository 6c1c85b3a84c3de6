//! Bulk loading: what `bulk_log` stores reads back as written; its speed on a
//! million contacts is measured by an ignored test.

use std::time::{Duration, Instant};

use debrief_core::followup::{FollowUpKind, FollowUpPlan};
use debrief_core::model::{Channel, ClientId, Contact, Outcome, ReasonId, RepId};
use debrief_store::{ContactQuery, NewContact, NewReasonNote, ReasonRef, Store, StoreError};
use jiff::{Timestamp, ToSpan};

use crate::harness::{TestDb, at, cases, contact, new_note, reasons};

cases!(bulk_log_reads_back_as_written, bulk_log_refuses_new_reasons_whole, bulk_log_checks_every_reference);

/// A small deterministic generator (xorshift), so no test needs `rand`.
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// `n` contacts of `reps` from `start` over `days`, about 0.8 reasons each,
/// 300 clients per rep.
fn generate(
    g: &mut Gen,
    reps: &[RepId],
    reasons: &[ReasonId],
    n: usize,
    start: Timestamp,
    days: i64,
) -> Vec<NewContact> {
    (0..n)
        .map(|_| {
            let offset = g.below((days * 86_400) as u64) as i64;
            let mut c = contact(g.pick(reps), "", "2026-01-05T00:00:00Z", g.pick(&Outcome::ALL));
            c.client = format!("client {}", g.below(300));
            c.at = start + offset.seconds();
            c.channel = g.pick(&Channel::ALL);
            c.new_lead = g.below(4) == 0;
            let count = [0, 0, 0, 1, 1, 1, 1, 1, 1, 2][g.below(10) as usize];
            c.reasons = (0..count).map(|_| generated_note(g, reasons)).collect();
            c.better = (g.below(5) == 0).then(|| "ask for the next step".to_string());
            c
        })
        .collect()
}

fn generated_note(g: &mut Gen, reasons: &[ReasonId]) -> NewReasonNote {
    let controllable = g.below(3) > 0;
    NewReasonNote {
        reason: ReasonRef::Existing(g.pick(reasons)),
        text: format!("written way {}", g.below(50)),
        controllable,
        do_differently: controllable.then(|| "prepare the budget question".to_string()),
        affected_client: false,
    }
}

/// The stored contact as the `NewContact` it was logged from.
fn as_new(c: &Contact) -> NewContact {
    let note = |r: &debrief_core::model::ReasonNote| NewReasonNote {
        reason: ReasonRef::Existing(r.reason),
        text: r.text.clone(),
        controllable: r.controllable,
        do_differently: r.do_differently.clone(),
        affected_client: false,
    };
    NewContact {
        rep: c.rep,
        client: c.client_name.clone(),
        at: c.at,
        channel: c.channel,
        outcome: c.outcome,
        new_lead: c.new_lead,
        reasons: c.reasons.iter().map(note).collect(),
        better: c.better.clone(),
        note: c.note.clone(),
        follow_ups: Default::default(),
    }
}

async fn bulk_log_reads_back_as_written(store: &dyn Store) {
    let reasons = reasons(store, &["price", "late", "features", "timing", "competitor"]).await;
    let reps = [store.rep("ana").await.unwrap(), store.rep("bo").await.unwrap()];
    let existing = contact(reps[0], "client 7", "2026-01-01T00:00:00Z", Outcome::Won);
    let before = store.log_contact(&existing).await.unwrap();
    let contacts = generate(&mut Gen(7), &reps, &reasons, 3000, at("2026-01-05T00:00:00Z"), 84);

    assert_eq!(store.bulk_log(&contacts[..1000]).await.unwrap(), 1000);
    assert_eq!(store.bulk_log(&contacts[1000..]).await.unwrap(), 2000);

    let ana = ContactQuery { rep: Some(reps[0]), from: Some(at("2026-01-05T00:00:00Z")), ..Default::default() };
    let read = store.contacts(&ana).await.unwrap();
    let mut expected: Vec<&NewContact> = contacts.iter().filter(|c| c.rep == reps[0]).collect();
    expected.sort_by_key(|c| c.at);
    let read_back: Vec<NewContact> = read.iter().map(as_new).collect();
    assert!(read_back.iter().eq(expected.iter().copied()), "every field and reason reads back");
    assert_eq!(store.count_contacts(&ContactQuery::default()).await.unwrap(), 3001);

    let old_client = store.contact(before).await.unwrap().client;
    let same: Vec<_> = read.iter().filter(|c| c.client_name == "client 7").map(|c| c.client).collect();
    assert!(!same.is_empty() && same.iter().all(|c| *c == old_client), "clients are reused");
    let after = store.log_contact(&existing).await.unwrap();
    assert!(read.iter().all(|c| c.id < after), "later contacts get fresh ids");
}

async fn bulk_log_refuses_new_reasons_whole(store: &dyn Store) {
    let reasons = reasons(store, &["price"]).await;
    let rep = store.rep("ana").await.unwrap();
    let mut contacts = generate(&mut Gen(3), &[rep], &reasons, 10, at("2026-01-05T00:00:00Z"), 7);
    contacts[9].reasons.push(new_note("brand new", "brand new", true));

    let err = store.bulk_log(&contacts).await.unwrap_err();

    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(!store.has_contacts().await.unwrap());
}

/// SQLite loads without per-row foreign key checks, so `bulk_log` checks
/// reps and reasons itself, before writing anything.
async fn bulk_log_checks_every_reference(store: &dyn Store) {
    let reasons = reasons(store, &["price"]).await;
    let rep = store.rep("ana").await.unwrap();
    let mut contacts = generate(&mut Gen(5), &[rep], &reasons, 10, at("2026-01-05T00:00:00Z"), 7);
    contacts[3].reasons.push(note_on(ReasonId(reasons[0].0 + 100)));
    let err = store.bulk_log(&contacts).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: "reason", .. }), "{err}");

    contacts[3].reasons.pop();
    contacts[7].rep = RepId(rep.0 + 100);
    let err = store.bulk_log(&contacts).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: "rep", .. }), "{err}");
    assert!(!store.has_contacts().await.unwrap());
    assert_eq!(store.bulk_log(&[]).await.unwrap(), 0);
}

fn note_on(reason: ReasonId) -> NewReasonNote {
    NewReasonNote {
        reason: ReasonRef::Existing(reason),
        text: "x".into(),
        controllable: true,
        do_differently: None,
        affected_client: false,
    }
}

/// A million contacts of 100 reps over two years, in 20 calls of 50,000:
/// `cargo test --release -p debrief-store --test store bulk_log_speed -- --ignored --nocapture`.
/// Each call spans the two years; with `BENCH_IN_TIME_ORDER` set, each call
/// holds the next 1/20th of them instead (as a demo or an import would).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "measures bulk_log on a million contacts; run it by hand"]
async fn bulk_log_speed() {
    speed(TestDb::sqlite()).await;
    if let Some(db) = TestDb::postgres().await {
        speed(db).await;
    }
}

async fn speed(db: TestDb) {
    let store = db.open().await.unwrap();
    let labels: Vec<String> = (0..30).map(|i| format!("reason {i}")).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let reasons = reasons(&*store, &labels).await;
    let mut reps = Vec::new();
    for i in 0..100 {
        reps.push(store.rep(&format!("rep {i}")).await.unwrap());
    }
    let (mut g, start) = (Gen(42), at("2024-01-01T00:00:00Z"));
    let (mut spent, mut cpu, mut notes) = (Duration::ZERO, Duration::ZERO, 0);
    let in_time_order = std::env::var_os("BENCH_IN_TIME_ORDER").is_some();
    for b in 0..20 {
        let mut batch = match in_time_order {
            true => generate(&mut g, &reps, &reasons, 50_000, start + (b * 24 * 728 / 20).hours(), 728 / 20),
            false => generate(&mut g, &reps, &reasons, 50_000, start, 728),
        };
        with_loop_items(&mut g, &mut batch);
        notes += batch.iter().map(|c| c.reasons.len()).sum::<usize>();
        let (t, c) = (Instant::now(), cpu_time());
        store.bulk_log(&batch).await.unwrap();
        spent += t.elapsed();
        cpu += cpu_time() - c;
    }
    let rate = 1_000_000.0 / spent.as_secs_f64();
    let on_cpu = 1_000_000.0 / cpu.as_secs_f64();
    println!(
        "{}: 1,000,000 contacts ({notes} reasons) in {spent:.2?}: {rate:.0} contacts/s \
         (this process's CPU: {cpu:.2?}, {on_cpu:.0} contacts per CPU-second)",
        store.backend()
    );
    week_query(&*store, reps[7]).await;
    loop_queries(&*store, reps[7]).await;
    drop(store);
    db.cleanup().await;
}

/// Flags one controllable reason in 20 as having affected the client, and
/// gives every no-answer its first chase: about 24,000 ownership items and
/// 100,000 open follow-ups on a million contacts (far more than real use
/// leaves open).
fn with_loop_items(g: &mut Gen, contacts: &mut [NewContact]) {
    for c in contacts {
        for n in c.reasons.iter_mut().filter(|n| n.controllable) {
            n.affected_client = g.below(20) == 0;
        }
        if c.outcome == Outcome::NoAnswer {
            let plan = FollowUpPlan {
                client: ClientId(0),
                kind: FollowUpKind::Chase { n: 1 },
                anchor: c.at,
                due: c.at + 48.hours(),
                note: None,
            };
            c.follow_ups.create.push(plan);
        }
    }
}

/// The best of five reads of a rep's open follow-ups and unresolved ownership items.
async fn loop_queries(store: &dyn Store, rep: RepId) {
    let (mut follow_ups, mut items) = ((Duration::MAX, 0), (Duration::MAX, 0));
    for _ in 0..5 {
        let t = Instant::now();
        let n = store.follow_ups(rep, true).await.unwrap().len();
        follow_ups = follow_ups.min((t.elapsed(), n));
        let t = Instant::now();
        let n = store.ownership_items(rep, true).await.unwrap().len();
        items = items.min((t.elapsed(), n));
    }
    let backend = store.backend();
    println!("{backend}: one rep's open follow-ups ({}) read in {:.2?}", follow_ups.1, follow_ups.0);
    println!("{backend}: one rep's unresolved ownership items ({}) read in {:.2?}", items.1, items.0);
}

/// User and system CPU time of this process so far (Linux), to compare
/// runs on a machine that is busy with other work.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

async fn week_query(store: &dyn Store, rep: RepId) {
    let from = at("2025-03-03T00:00:00Z");
    let week = ContactQuery { rep: Some(rep), from: Some(from), to: Some(from + 168.hours()), ..Default::default() };
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        found = store.contacts(&week).await.unwrap().len();
        best = best.min(t.elapsed());
    }
    println!("{}: one rep's week ({found} contacts) read in {best:.2?}", store.backend());
}
