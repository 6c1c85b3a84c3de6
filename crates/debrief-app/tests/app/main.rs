//! Property tests of the application layer: every request constructor takes
//! arbitrary raw input and answers `Ok` or a typed refusal whose messages are
//! one short clean line; requests that pass run against a real SQLite file
//! and answer `Ok` or a typed error, never a panic.

use std::sync::Arc;

use debrief_app::input::*;
use debrief_app::{App, AppError, Context, FixedClock, RepName};
use debrief_store::SqliteStore;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;

const NOW: &str = "2026-11-27T18:00:00Z";

fn cx() -> Context {
    Context::new(TimeZone::get("Pacific/Auckland").unwrap(), NOW.parse().unwrap())
}

/// Text as people (and careless scripts) send it: words, any Unicode,
/// control characters, very long runs, edge-of-range times.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z' ]{0,24}",
        2 => ".{0,40}",
        1 => "[\\x00-\\x1f\\x7f\\u{202e}]{1,4}",
        1 => (0usize..3000).prop_map(|n| "x".repeat(n)),
        1 => prop::sample::select(vec![
            "9999-12-28 10:00", "2200-12-31 23:59", "1900-01-01 00:00", "0000-01-01 00:00", "2026-11-27 10:00",
            "2026-11-27T10:00:00+14:00", "2025-W53", "2026-W47", "yesterday", "lost", "no_answer", "won", "call",
            "late", "plan", "resolved", "in-person", "#1", "#-1", "#99999999999999999999", "",
        ]).prop_map(String::from),
    ]
}

fn maybe_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn reason() -> impl Strategy<Value = RawReason> {
    (text(), maybe_text(), prop::option::of(any::<i64>()), any::<bool>(), any::<bool>()).prop_map(
        |(text, do_differently, reason_id, affected_client, own)| RawReason {
            text,
            do_differently,
            reason_id,
            affected_client,
            own,
        },
    )
}

fn raw_log() -> impl Strategy<Value = RawLog> {
    (
        (text(), text(), maybe_text(), maybe_text(), any::<bool>()),
        (prop::collection::vec(reason(), 0..4), prop::collection::vec(reason(), 0..12)),
        (maybe_text(), maybe_text(), any::<bool>()),
    )
        .prop_map(
            |((client, outcome, at, channel, new_lead), (reasons, external), (better, note, affected_client))| RawLog {
                client,
                outcome,
                at,
                channel,
                new_lead,
                reasons,
                external,
                better,
                note,
                affected_client,
            },
        )
}

/// A contact that mostly passes the checks, at any time the checks allow.
fn good_log() -> impl Strategy<Value = RawLog> {
    let outcomes = vec!["won", "lost", "advanced", "no-answer", "no-show", "pending"];
    let times = vec![
        "2200-12-31 23:59",
        "2200-12-28 10:00",
        "1900-01-01 00:00",
        "2026-11-27 10:00",
        "2026-11-28 23:30",
        "2026-06-01T03:00:00+14:00",
        "2199-02-28 12:00",
    ];
    (
        "[A-Z][a-z]{0,8}",
        prop::sample::select(outcomes),
        prop::option::of(prop::sample::select(times)),
        prop::collection::vec("[a-z ]{1,30}", 0..3),
        prop::collection::vec("[a-z ]{1,30}", 0..2),
        any::<bool>(),
    )
        .prop_map(|(client, outcome, at, reasons, external, affected_client)| {
            let reasons: Vec<RawReason> = reasons.into_iter().map(RawReason::text).collect();
            let affected_client = affected_client && !reasons.is_empty();
            RawLog {
                client,
                outcome: outcome.into(),
                at: at.map(String::from),
                reasons,
                external: external.into_iter().map(RawReason::text).collect(),
                affected_client,
                ..RawLog::default()
            }
        })
}

/// Every message of a refusal: one line, short, without control characters.
fn clean(result: Result<(), Invalid>) -> Result<(), TestCaseError> {
    if let Err(invalid) = result {
        prop_assert!(!invalid.errors().is_empty());
        for e in invalid.errors() {
            prop_assert!(!e.field.is_empty());
            prop_assert!(!e.message.is_empty() && e.message.chars().count() < 400, "{:?}", e.message);
            prop_assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn logging_refuses_cleanly(raw in raw_log()) {
        clean(LogRequest::new(raw.clone(), &cx()).map(drop))?;
        clean(LogRequest::check(raw, &cx()).map(drop))?;
    }

    #[test]
    fn editing_refuses_cleanly(
        id in any::<i64>(), client in maybe_text(), outcome in maybe_text(), at in maybe_text(),
        reasons in prop::option::of(prop::collection::vec(reason(), 0..4)),
        external in prop::option::of(prop::collection::vec(reason(), 0..12)),
        clear_reasons in any::<bool>(), better in prop::option::of(maybe_text()), new_lead in prop::option::of(any::<bool>()),
    ) {
        let raw = RawEdit {
            id, client, outcome, at, channel: None, new_lead, reasons, external, clear_reasons, better,
            note: None, affected_client: false,
        };
        clean(EditRequest::new(raw, &cx()).map(drop))?;
    }

    #[test]
    fn reports_refuse_cleanly(
        week in maybe_text(), weeks in prop::option::of(any::<u32>()), limit in prop::option::of(any::<u32>()),
        offset in prop::option::of(any::<u32>()), outcome in maybe_text(), reason in maybe_text(), a in text(), b in text(),
    ) {
        clean(WeekRequest::new(week.as_deref()).map(drop))?;
        clean(TrendRequest::new(RawTrend { weeks, last: week.clone() }).map(drop))?;
        clean(ReasonsRequest::new(weeks).map(drop))?;
        clean(ListRequest::new(RawList { week, outcome, reason, limit, offset }).map(drop))?;
        clean(MergeRequest::new(RawMerge { from: a.clone(), into: b.clone() }).map(drop))?;
        clean(RenameRequest::new(RawRename { reason: a.clone(), label: b.clone() }).map(drop))?;
        clean(FocusSetRequest::new(&a).map(drop))?;
        clean(SuggestRequest::new(RawSuggest { text: a, controllable: None, limit }).map(drop))?;
    }

    #[test]
    fn later_steps_refuse_cleanly(
        id in any::<i64>(), days in any::<i64>(), due_days in prop::option::of(any::<u32>()),
        a in text(), b in text(), c in maybe_text(), items in prop::collection::vec(text(), 0..25),
        nothing in any::<bool>(), missed in maybe_text(),
        demo in (any::<u32>(), any::<u32>(), any::<u32>()),
    ) {
        clean(OwnUpRequest::new(RawOwnUp { id, how: a.clone(), said: b.clone() }).map(drop))?;
        clean(OwnCommitRequest::new(RawOwnCommit { id, text: a.clone() }).map(drop))?;
        clean(OpenMishapRequest::new(RawOpenMishap { client: a.clone(), kind: b.clone(), what: a.clone() }).map(drop))?;
        clean(MishapStepRequest::new(RawMishapStep { id, step: b.clone(), text: c.clone(), client_said: c.clone() }).map(drop))?;
        clean(ApologyRequest::new(&a).map(drop))?;
        clean(DueRequest::new(due_days).map(drop))?;
        clean(SnoozeRequest::new(RawSnooze { id, days }).map(drop))?;
        clean(AddFollowUpRequest::new(RawAddFollowUp { client: a.clone(), at: b.clone(), note: a }, &cx()).map(drop))?;
        clean(DailyRequest::new(RawDaily { items, nothing, missed, note: c }).map(drop))?;
        let (reps, weeks, per_week) = demo;
        clean(DemoRequest::new(RawDemo { reps, weeks, per_week, seed: 1 }).map(drop))?;
    }
}

thread_local! {
    static LOGGED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static SNOOZED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The property above did real work: contacts were stored and follow-ups moved.
#[test]
fn the_run_stores_and_moves_things() {
    checked_requests_run();
    assert!(LOGGED.with(|n| n.get()) > 20, "too few contacts passed the checks");
    assert!(SNOOZED.with(|n| n.get()) > 5, "too few follow-ups were snoozed");
}

/// One app over one SQLite file for the whole run.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: App,
    rep: RepName,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = runtime.block_on(SqliteStore::open_with_connections(&dir.path().join("p.db"), 1)).unwrap();
        let now: Timestamp = NOW.parse().unwrap();
        let app = App::new(Arc::new(store), Arc::new(FixedClock(now)), TimeZone::get("Pacific/Auckland").unwrap());
        Fixture { runtime, app, rep: RepName::new("me").unwrap(), _dir: dir }
    }
}

/// A typed error is fine; a fault of the system is not.
fn typed<T>(result: Result<T, AppError>) -> Result<(), TestCaseError> {
    if let Err(e) = &result {
        prop_assert!(e.is_user_error(), "a system fault from good input: {e}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// What the checks let through is stored and reported without a panic,
    /// at the edges of the time range too (follow-ups after a contact in 2200,
    /// a follow-up snoozed again and again).
    #[test]
    fn checked_requests_run(raw in good_log(), snoozes in prop::collection::vec(1i64..=3650, 0..6), weeks in 1u32..=104) {
        thread_local!(static FIXTURE: Fixture = Fixture::new());
        FIXTURE.with(|f| -> Result<(), TestCaseError> {
            let app = &f.app;
            if let Ok(req) = LogRequest::new(raw, &app.context()) {
                typed(f.runtime.block_on(app.log(&f.rep, req)))?;
                LOGGED.with(|n| n.set(n.get() + 1));
            }
            let agenda = f.runtime.block_on(app.due(&f.rep, &DueRequest::new(Some(366)).unwrap()));
            typed(agenda.as_ref().map(drop).map_err(|e| AppError::Failed(e.to_string())))?;
            if let Some(item) = agenda.ok().and_then(|a| a.items.first().cloned()) {
                for days in snoozes {
                    let req = SnoozeRequest::new(RawSnooze { id: item.id, days }).unwrap();
                    typed(f.runtime.block_on(app.snooze(&f.rep, &req)))?;
                }
                typed(f.runtime.block_on(app.done(&f.rep, item.id)))?;
                SNOOZED.with(|n| n.set(n.get() + 1));
            }
            let trend = TrendRequest::new(RawTrend { weeks: Some(weeks), last: Some("2200-W52".into()) }).unwrap();
            typed(f.runtime.block_on(app.trend(&f.rep, &trend)))?;
            typed(f.runtime.block_on(app.week(&f.rep, &WeekRequest::new(Some("1900-W01")).unwrap())))?;
            Ok(())
        })?;
    }
}

/// A rep stored without a time zone (by a version before zones were kept)
/// takes the zone in effect the first time it is opened, and keeps it.
#[test]
fn a_rep_without_a_zone_takes_the_zone_in_effect() {
    use debrief_store::Store;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    runtime.block_on(async {
        let store = Arc::new(SqliteStore::open_with_connections(&dir.path().join("z.db"), 1).await.unwrap());
        let id = store.rep("ana").await.unwrap();
        assert_eq!(store.rep_zone(id).await.unwrap(), None);
        let clock = Arc::new(FixedClock(NOW.parse().unwrap()));
        let auckland = App::new(store.clone(), clock.clone(), TimeZone::get("Pacific/Auckland").unwrap());
        let ana = RepName::new("ana").unwrap();
        assert_eq!(auckland.zone(&ana).await.unwrap().tz, "Pacific/Auckland");
        assert_eq!(store.rep_zone(id).await.unwrap().as_deref(), Some("Pacific/Auckland"));
        let viewer = App::new(store.clone(), clock, TimeZone::UTC);
        assert_eq!(viewer.for_rep(&ana).await.unwrap().tz().iana_name(), Some("Pacific/Auckland"), "kept");
        let zone = ZoneRequest::new("Mars/Base").unwrap_err();
        assert!(zone.first().message.starts_with("unknown time zone \"Mars/Base\""), "{zone}");
    });
}
