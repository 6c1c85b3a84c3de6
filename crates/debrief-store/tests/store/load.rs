//! The loader: a loaded contact is stored exactly as a logged one; what a
//! batch refers to is checked before any of it is written; a load commits
//! whole or writes nothing, even when its process is killed at any moment.
//! Its speed on a million contacts is measured by an ignored test.

use std::time::{Duration, Instant};

use debrief_core::followup::{ClientRef, FollowUpKind, FollowUpPlan, RecoveryRef};
use debrief_core::mishap::RecoveryId;
use debrief_core::model::{Channel, ClientId, Contact, Outcome, ReasonId, RepId};
use debrief_core::ownership::{Commitment, How, Owned};
use debrief_store::{
    ContactQuery, FollowUpChanges, NewContact, NewReasonNote, ReasonRef, Resolution, SqliteStore, Store, StoreError,
};
use jiff::{Timestamp, ToSpan};

use crate::harness::{TestDb, at, cases, contact, db_cases, new_note, reasons};
use crate::loop_items::{closing, creating, flagged, log, plan, plan_here};

cases!(
    a_load_reads_back_as_written,
    a_loaded_contact_is_stored_as_a_logged_one,
    a_load_checks_every_reference_before_writing,
    a_failed_or_dropped_load_writes_nothing,
    a_load_keeps_each_reps_clients_across_batches,
    a_load_records_reps_focuses_and_owned_mistakes,
);
db_cases!(a_load_keeps_every_reference_sound_its_indexes_and_the_write_ahead_log);

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

/// The stored contact as the `NewContact` it was written from.
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

/// Loads `batches` in one load and commits.
async fn load(store: &dyn Store, batches: &[Vec<NewContact>]) -> Result<u64, StoreError> {
    let mut loader = store.begin_load().await?;
    for batch in batches {
        loader.contacts(batch).await?;
    }
    loader.commit().await
}

async fn a_load_reads_back_as_written(store: &dyn Store) {
    let reasons = reasons(store, &["price", "late", "features", "timing", "competitor"]).await;
    let reps = [store.rep("ana").await.unwrap(), store.rep("bo").await.unwrap()];
    let existing = contact(reps[0], "client 7", "2026-01-01T00:00:00Z", Outcome::Won);
    let before = store.log_contact(&existing).await.unwrap();
    let contacts = generate(&mut Gen(7), &reps, &reasons, 3000, at("2026-01-05T00:00:00Z"), 84);

    let batches = [contacts[..1000].to_vec(), contacts[1000..].to_vec()];
    assert_eq!(load(store, &batches).await.unwrap(), 3000);

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

/// Logs the contacts of `contacts` for `logged` one by one and loads the
/// same for `loaded`: every report of the two reps reads the same.
async fn a_loaded_contact_is_stored_as_a_logged_one(store: &dyn Store) {
    let [late, price] = reasons(store, &["late", "price"]).await[..] else { panic!() };
    let (logged, loaded) = (store.rep("ana").await.unwrap(), store.rep("bo").await.unwrap());
    let mut lost = contact(RepId(0), "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    lost.reasons = vec![flagged(late, "late again"), new_note("no parking", "No parking near them", false)];
    lost.reasons.push(NewReasonNote { do_differently: Some("leave earlier".into()), ..flagged(price, "dear") });
    let mut chased = contact(RepId(0), "Beta", "2026-03-03T09:00:00Z", Outcome::NoAnswer);
    chased.follow_ups = creating(vec![plan_here(FollowUpKind::Chase { n: 1 }, "2026-03-05T09:00:00Z")]);
    let mut gone = contact(RepId(0), "Gamma", "2026-03-04T09:00:00Z", Outcome::NoAnswer);
    gone.follow_ups.close = Some(closing(ClientRef::This, at("2026-03-04T09:00:00Z")));
    let again = contact(RepId(0), "Acme", "2026-03-05T09:00:00Z", Outcome::Won);
    let written = [lost, chased, gone, again];
    let of = |rep| written.iter().cloned().map(move |c| NewContact { rep, ..c }).collect::<Vec<_>>();

    for c in of(logged) {
        store.log_contact(&c).await.unwrap();
    }
    assert_eq!(load(store, &[of(loaded)]).await.unwrap(), 4);

    assert_eq!(seen(store, logged).await, seen(store, loaded).await);
    let texts = store.vocabulary().await.unwrap();
    let no_parking = texts.iter().find(|r| r.reason.label == "no parking").unwrap();
    assert_eq!(no_parking.texts, ["No parking near them"], "the new reason was made once and its text remembered");
}

/// What the reports of `rep` read: contacts, ownership items, follow-ups
/// and closed clients, by client name.
async fn seen(store: &dyn Store, rep: RepId) -> Vec<String> {
    let query = ContactQuery { rep: Some(rep), ..Default::default() };
    let mut lines = Vec::new();
    for c in store.contacts(&query).await.unwrap() {
        let closed = store.client(c.client).await.unwrap().closed;
        lines.push(format!("{} {} {} {:?} {:?} {closed:?}", c.client_name, c.at, c.outcome, c.reasons, c.better));
    }
    for i in store.ownership_items(rep, false).await.unwrap() {
        let client = store.client(i.client).await.unwrap().name;
        lines.push(format!("item {client} {:?} {}", i.reason, i.opened_at));
    }
    for f in store.follow_ups(rep, false).await.unwrap() {
        let client = store.client(f.client).await.unwrap().name;
        lines.push(format!("follow-up {client} {} {} {:?}", f.kind, f.due, f.status));
    }
    lines
}

async fn a_load_checks_every_reference_before_writing(store: &dyn Store) {
    let reasons = reasons(store, &["price"]).await;
    let rep = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    log(store, bo, "Theirs", "2026-03-01T09:00:00Z", vec![]).await;
    let theirs = store.find_client(bo, "Theirs").await.unwrap().unwrap();
    let good = generate(&mut Gen(5), &[rep], &reasons, 10, at("2026-01-05T00:00:00Z"), 7);
    let with = |change: &dyn Fn(&mut NewContact)| {
        let mut batch = good.clone();
        change(&mut batch[3]);
        batch
    };
    let missing = |what: &'static str| {
        move |e: StoreError| assert!(matches!(e, StoreError::NotFound { what: w, .. } if w == what), "{e}")
    };
    let no_reason = ReasonRef::Existing(ReasonId(reasons[0].0 + 100));
    missing("reason")(
        load(
            store,
            &[
                good.clone(),
                with(&|c| c.reasons.push(NewReasonNote { reason: no_reason.clone(), ..new_note("x", "x", true) })),
            ],
        )
        .await
        .unwrap_err(),
    );
    missing("rep")(load(store, &[with(&|c| c.rep = RepId(rep.0 + 100))]).await.unwrap_err());
    let foreign = creating(vec![plan(theirs, FollowUpKind::Manual, "2026-03-04T09:00:00Z")]);
    let err = load(store, &[with(&|c| c.follow_ups = foreign.clone())]).await.unwrap_err();
    assert_eq!(err.to_string(), format!("no client with id {theirs}"));
    let update = FollowUpKind::MishapUpdate { recovery: RecoveryRef::Id(RecoveryId(999)) };
    let not_theirs = creating(vec![plan_here(update, "2026-03-04T09:00:00Z")]);
    missing("recovery")(load(store, &[with(&|c| c.follow_ups = not_theirs.clone())]).await.unwrap_err());
    let done = FollowUpChanges {
        complete: vec![(debrief_core::followup::FollowUpId(999), at("2026-03-04T09:00:00Z"))],
        ..Default::default()
    };
    missing("follow-up")(load(store, &[with(&|c| c.follow_ups = done.clone())]).await.unwrap_err());

    assert_eq!(store.count_contacts(&Default::default()).await.unwrap(), 1, "nothing was loaded");
    assert_eq!(store.find_client(rep, "client 1").await.unwrap(), None);
    assert_eq!(load(store, &[]).await.unwrap(), 0);
}

async fn a_failed_or_dropped_load_writes_nothing(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let first = vec![contact(ana, "Acme", "2026-03-02T09:00:00Z", Outcome::Won)];
    let mut loader = store.begin_load().await.unwrap();
    loader.contacts(&first).await.unwrap();
    drop(loader);
    let mut loader = store.begin_load().await.unwrap();
    loader.contacts(&first).await.unwrap();
    let stranger = vec![contact(RepId(ana.0 + 100), "Beta", "2026-03-02T09:00:00Z", Outcome::Won)];
    assert!(matches!(loader.contacts(&stranger).await, Err(StoreError::NotFound { what: "rep", .. })));
    let err = loader.contacts(&first).await.unwrap_err();
    assert_eq!(err.to_string(), "the load failed earlier and was rolled back: nothing of it was stored");
    assert!(loader.commit().await.is_err());

    assert!(!store.has_contacts().await.unwrap(), "nothing was loaded");
    assert_eq!(store.find_client(ana, "Acme").await.unwrap(), None);
    assert_eq!(store.find_rep("bo").await.unwrap(), None);
}

async fn a_load_keeps_each_reps_clients_across_batches(store: &dyn Store) {
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    // A client stored before the load, without contacts.
    let before = log(store, ana, "Known", "2026-03-01T09:00:00Z", vec![]).await;
    store.delete_contact(before).await.unwrap();
    let known = store.find_client(ana, "Known").await.unwrap().unwrap();
    let mut chased = contact(ana, "Acme", "2026-03-04T09:00:00Z", Outcome::NoAnswer);
    chased.follow_ups = creating(vec![plan(known, FollowUpKind::Manual, "2026-03-06T09:00:00Z")]);
    let first = vec![contact(ana, "Acme", "2026-03-02T09:00:00Z", Outcome::Advanced)];
    let second = vec![
        chased,
        contact(ana, "Known", "2026-03-03T09:00:00Z", Outcome::Won),
        contact(bo, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost),
    ];
    assert_eq!(load(store, &[first, second]).await.unwrap(), 4);

    let acme = store.find_client(ana, "Acme").await.unwrap().unwrap();
    let of = |client| ContactQuery { client: Some(client), ..Default::default() };
    let at_acme: Vec<_> = store.contacts(&of(acme)).await.unwrap().iter().map(|c| (c.rep, c.at)).collect();
    assert_eq!(at_acme, [(ana, at("2026-03-02T09:00:00Z")), (ana, at("2026-03-04T09:00:00Z"))]);
    assert_eq!(store.count_contacts(&of(known)).await.unwrap(), 1, "the stored client is used, not made again");
    let theirs = store.find_client(bo, "Acme").await.unwrap().unwrap();
    assert_ne!(theirs, acme, "each rep has their own client");
    let due: Vec<ClientId> = store.follow_ups(ana, true).await.unwrap().iter().map(|f| f.client).collect();
    assert_eq!(due, [known]);
    let mut ids: Vec<_> = store.contacts(&Default::default()).await.unwrap().iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4, "every contact has its own id");
}

async fn a_load_records_reps_focuses_and_owned_mistakes(store: &dyn Store) {
    let [late, price] = reasons(store, &["late", "price"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let mut loader = store.begin_load().await.unwrap();
    let [same, bo] = loader.reps(&["ana", "bo"]).await.unwrap()[..] else { panic!() };
    assert_eq!(same, ana);
    let mut old = contact(ana, "Acme", "2026-03-02T09:00:00Z", Outcome::Lost);
    old.reasons = vec![flagged(late, "late")];
    let mut recent = contact(bo, "Acme", "2026-03-20T09:00:00Z", Outcome::Lost);
    recent.reasons = vec![flagged(late, "late again")];
    loader.contacts(&[old, recent]).await.unwrap();
    let focuses = [(ana, price, at("2026-03-09T09:00:00Z")), (ana, late, at("2026-02-02T09:00:00Z"))];
    loader.focus(&focuses).await.unwrap();
    let resolution = Resolution { how: How::Call, said: "sorry".into(), commitment: "leave earlier".into() };
    let day = jiff::SignedDuration::from_hours(24);
    assert_eq!(loader.own_up_before(at("2026-03-10T00:00:00Z"), day, &resolution).await.unwrap(), 1);
    assert_eq!(store.find_rep("bo").await.unwrap(), None, "nothing is seen before the commit");
    assert_eq!(loader.commit().await.unwrap(), 2);

    assert_eq!(store.find_rep("bo").await.unwrap(), Some(bo));
    let focus = store.focus(ana).await.unwrap().unwrap();
    assert_eq!((focus.reason.id, focus.set_at), (price, at("2026-03-09T09:00:00Z")), "the latest stays open");
    let [item] = store.commitments(ana, &[late]).await.unwrap().try_into().unwrap();
    let owned = Owned { at: at("2026-03-03T09:00:00Z"), how: How::Call, said: "sorry".into() };
    assert_eq!(item.owned, Some(owned));
    assert_eq!(item.committed, Some(Commitment { at: at("2026-03-03T09:00:00Z"), text: "leave earlier".into() }));
    assert_eq!(store.ownership_items(bo, true).await.unwrap().len(), 1, "the recent item stays open");
}

/// What the indexes of the database are, by name, in order.
async fn index_names(db: &TestDb) -> Vec<String> {
    let TestDb::Sqlite { path, .. } = db else { return Vec::new() };
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let sql = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name";
    sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
}

/// The file stays in write-ahead-log mode before, during and after a load,
/// and the log is emptied once the load is in the file. On SQLite the load
/// writes without the database's foreign-key checks (its writer checks
/// every reference first): afterwards no row points nowhere, and a row that
/// would is refused. A load into an empty database makes its contacts'
/// indexes again before it commits: readers beside it keep theirs, a load
/// undone leaves them as they were, and a committed one leaves them whole.
async fn a_load_keeps_every_reference_sound_its_indexes_and_the_write_ahead_log(db: &TestDb) {
    let store = db.open().await.unwrap();
    let indexes = index_names(db).await;
    assert!(matches!(db, TestDb::Postgres { .. }) || indexes.iter().any(|i| i == "contacts_rep_at"), "{indexes:?}");
    let ana = store.rep("ana").await.unwrap();
    let batch = vec![contact(ana, "Acme", "2026-03-02T09:00:00Z", Outcome::Won)];
    let mut loader = store.begin_load().await.unwrap();
    loader.contacts(&batch).await.unwrap();
    drop(loader);
    assert_eq!(index_names(db).await, indexes, "a load undone keeps the indexes");
    let mut loader = store.begin_load().await.unwrap();
    loader.contacts(&batch).await.unwrap();
    if let TestDb::Sqlite { path, .. } = db {
        use sqlx::Connection;
        let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut other).await.unwrap();
        assert_eq!(mode, "wal", "during the load");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts").fetch_one(&mut other).await.unwrap();
        assert_eq!(count, 0, "a reader beside the load sees nothing of it yet");
        drop(other);
        assert_eq!(index_names(db).await, indexes, "a reader beside the load keeps the indexes");
    }
    loader.commit().await.unwrap();
    assert_eq!(db.scalar("SELECT COUNT(*) FROM contacts").await, 1);
    assert_eq!(index_names(db).await, indexes, "the load made its indexes again");
    if let TestDb::Sqlite { path, .. } = db {
        let log = std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len());
        assert_eq!(log, 0, "the log a load wrote is emptied, so the next process need not read it through");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM pragma_foreign_key_check").await, 0, "no row points nowhere");
        assert_eq!(db.scalar("SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'").await, 0);
    }
    // A row pointing nowhere is refused before it is written.
    let mut stray = contact(ana, "Acme", "2026-03-03T09:00:00Z", Outcome::Lost);
    stray.reasons = vec![NewReasonNote { reason: ReasonRef::Existing(ReasonId(999)), ..new_note("x", "x", true) }];
    assert!(load(&*store, &[vec![stray]]).await.is_err());
    let mut loader = store.begin_load().await.unwrap();
    loader.focus(&[(ana, ReasonId(999), at("2026-03-03T09:00:00Z"))]).await.unwrap_err();
    assert_eq!(db.scalar("SELECT COUNT(*) FROM contacts").await, 1);
}

// ---------------------------------------------------------------------------
// Killed at random.

/// How many contacts the killed load writes, in how many batches.
const KILLED_CONTACTS: usize = 6_000;
const KILLED_BATCHES: usize = 12;

/// Runs the load of [`load_child`] in a child process and kills it
/// (SIGKILL) at random moments: after each kill the file passes SQLite's
/// integrity check and holds either none of the load or all of it.
#[tokio::test(flavor = "multi_thread")]
async fn a_load_killed_at_random_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = Gen(Timestamp::now().as_nanosecond() as u64 | 1);
    // A first run, not killed, says how long a load takes.
    let path = dir.path().join("whole.db");
    let spent = run_child(&path, None).await;
    assert_eq!(contacts_in(&path).await, KILLED_CONTACTS as i64, "a load that is not killed commits");
    let (mut none, mut all) = (0, 0);
    for round in 0..10 {
        let path = dir.path().join(format!("killed-{round}.db"));
        let kill_after = spent.mul_f64(g.below(1100) as f64 / 1000.0);
        run_child(&path, Some(kill_after)).await;
        let check: String = raw(&path, "PRAGMA integrity_check").await;
        assert_eq!(check, "ok", "round {round}, killed after {kill_after:?}");
        match contacts_in(&path).await {
            0 => none += 1,
            n if n == KILLED_CONTACTS as i64 => all += 1,
            n => panic!("round {round}, killed after {kill_after:?}: {n} contacts, neither none nor all"),
        }
    }
    eprintln!("killed loads: {none} left nothing, {all} had committed (a load takes {spent:?})");
}

/// Prepares a database at `path`, runs [`load_child`] on it, kills it after
/// `kill_after` (if it is still running); how long it ran.
async fn run_child(path: &std::path::Path, kill_after: Option<Duration>) -> Duration {
    {
        let store = SqliteStore::open(path).await.unwrap();
        reasons(&store, &["late", "price", "timing"]).await;
        for name in ["ana", "bo", "cy"] {
            store.rep(name).await.unwrap();
        }
    }
    let started = Instant::now();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "load::load_child", "--ignored", "--quiet", "--test-threads=1"])
        .env("DEBRIEF_LOAD_CHILD", path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if kill_after.is_some_and(|after| started.elapsed() >= after) {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    if kill_after.is_none() {
        assert!(status.is_some_and(|s| s.success()), "the child load runs to its end");
    }
    started.elapsed()
}

async fn contacts_in(path: &std::path::Path) -> i64 {
    raw(path, "SELECT COUNT(*) FROM contacts").await
}

/// One value read from the file at `path` without the store (nothing migrated).
async fn raw<T>(path: &std::path::Path, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
}

/// The child of [`a_load_killed_at_random_leaves_all_or_nothing`]: loads
/// generated contacts into the file named by `DEBRIEF_LOAD_CHILD`.
#[tokio::test]
#[ignore = "run by a_load_killed_at_random_leaves_all_or_nothing in a process it kills"]
async fn load_child() {
    let Some(path) = std::env::var_os("DEBRIEF_LOAD_CHILD") else { return };
    let store = SqliteStore::open(std::path::Path::new(&path)).await.unwrap();
    let vocabulary = store.vocabulary().await.unwrap();
    let reasons: Vec<ReasonId> = vocabulary.iter().map(|r| r.reason.id).collect();
    let reps = [RepId(1), RepId(2), RepId(3)];
    let mut contacts = generate(&mut Gen(11), &reps, &reasons, KILLED_CONTACTS, at("2026-01-05T00:00:00Z"), 84);
    with_loop_items(&mut Gen(12), &mut contacts);
    let mut loader = store.begin_load().await.unwrap();
    for batch in contacts.chunks(KILLED_CONTACTS / KILLED_BATCHES) {
        loader.contacts(batch).await.unwrap();
    }
    loader.commit().await.unwrap();
}

// ---------------------------------------------------------------------------
// Speed.

/// A million contacts of 100 reps over two years, in 20 batches of 50,000,
/// in one load:
/// `cargo test --release -p debrief-store --test store load_speed -- --ignored --nocapture`.
/// Each batch spans the two years; with `BENCH_IN_TIME_ORDER` set, each
/// holds the next 1/20th of them instead (as a demo or an import would).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "measures a load of a million contacts; run it by hand"]
async fn load_speed() {
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
    let mut loader = store.begin_load().await.unwrap();
    for b in 0..20 {
        let mut batch = match in_time_order {
            true => generate(&mut g, &reps, &reasons, 50_000, start + (b * 24 * 728 / 20).hours(), 728 / 20),
            false => generate(&mut g, &reps, &reasons, 50_000, start, 728),
        };
        with_loop_items(&mut g, &mut batch);
        notes += batch.iter().map(|c| c.reasons.len()).sum::<usize>();
        let (t, c) = (Instant::now(), cpu_time());
        loader.contacts(&batch).await.unwrap();
        spent += t.elapsed();
        cpu += cpu_time() - c;
    }
    let (t, c) = (Instant::now(), cpu_time());
    loader.commit().await.unwrap();
    let commit = t.elapsed();
    spent += commit;
    cpu += cpu_time() - c;
    let rate = 1_000_000.0 / spent.as_secs_f64();
    let on_cpu = 1_000_000.0 / cpu.as_secs_f64();
    println!(
        "{}: 1,000,000 contacts ({notes} reasons) in {spent:.2?} (commit {commit:.2?}): {rate:.0} contacts/s \
         (this process's CPU: {cpu:.2?}, {on_cpu:.0} contacts per CPU-second)",
        db.backend()
    );
    week_query(&*store, reps[7], db.backend()).await;
    loop_queries(&*store, reps[7], db.backend()).await;
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
                client: ClientRef::This,
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
async fn loop_queries(store: &dyn Store, rep: RepId, backend: &str) {
    let (mut follow_ups, mut items) = ((Duration::MAX, 0), (Duration::MAX, 0));
    for _ in 0..5 {
        let t = Instant::now();
        let n = store.follow_ups(rep, true).await.unwrap().len();
        follow_ups = follow_ups.min((t.elapsed(), n));
        let t = Instant::now();
        let n = store.ownership_items(rep, true).await.unwrap().len();
        items = items.min((t.elapsed(), n));
    }
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

async fn week_query(store: &dyn Store, rep: RepId, backend: &str) {
    let from = at("2025-03-03T00:00:00Z");
    let week = ContactQuery { rep: Some(rep), from: Some(from), to: Some(from + 168.hours()), ..Default::default() };
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        found = store.contacts(&week).await.unwrap().len();
        best = best.min(t.elapsed());
    }
    println!("{backend}: one rep's week ({found} contacts) read in {best:.2?}");
}
