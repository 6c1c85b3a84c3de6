//! `debrief demo`: fills an empty database with a realistic history, through
//! the store's [`Loader`]: one transaction, so a demo stopped half-way
//! leaves nothing behind.

use std::collections::HashMap;
use std::time::Instant;

use debrief_core::demo::{DemoRep, DemoSpec, generate_rep};
use debrief_core::followup::{self, ClientRef, ContactEvent, Rules};
use debrief_core::model::{Outcome, ReasonId, RepId};
use debrief_core::ownership::How;
use debrief_core::vocabulary::STARTER;
use debrief_store::{Loader, NewContact, NewReasonNote, ReasonRef, Resolution};
use tokio::sync::mpsc;

use crate::views::DemoView;
use crate::{App, AppError, Result};

/// Contacts handed to the store per transaction.
const BATCH: usize = 20_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoOptions {
    /// The first rep's name (the user's own); the others are `rep-002`, ….
    pub first_rep: String,
    pub reps: u32,
    pub weeks: u32,
    pub contacts_per_week: u32,
    pub seed: u64,
}

impl App {
    /// Generates `reps × weeks` of history ending today, into an empty database.
    pub async fn demo(&self, opts: &DemoOptions) -> Result<DemoView> {
        if opts.reps == 0 || opts.weeks == 0 || opts.contacts_per_week == 0 {
            return Err(AppError::Rejected("--reps, --weeks and --per-week must each be at least 1".into()));
        }
        if self.store().has_contacts().await? {
            return Err(AppError::Rejected(
                "the database already holds contacts: demo data goes only into an empty database (give a new --db)"
                    .into(),
            ));
        }
        self.ensure_vocabulary().await?;
        let reasons = self.starter_ids().await?;
        let spec = DemoSpec {
            weeks: opts.weeks,
            contacts_per_week: opts.contacts_per_week,
            seed: opts.seed,
            end: self.end_of_today(),
            tz: self.tz().clone(),
        };
        let started = Instant::now();
        let names: Vec<String> = (0..opts.reps).map(|i| rep_name(opts, i)).collect();
        let mut load = self.store().begin_load().await?;
        let reps = load.reps(&names.iter().map(String::as_str).collect::<Vec<_>>()).await?;
        // Follow-ups only for the last three weeks: older ones would have been done.
        let recent = self.now() - jiff::SignedDuration::from_hours(21 * 24);
        let rules = self.rules();
        // Generation runs on its own thread while the loader writes what came before.
        let (batches, mut received) = mpsc::channel(2);
        let generator = std::thread::Builder::new()
            .name("demo-generator".into())
            .spawn(move || generate(&spec, &reps, &reasons, recent, &rules, &batches))
            .map_err(|e| AppError::Rejected(format!("could not start the demo generator: {e}")))?;
        let mut total = 0;
        while let Some(batch) = received.recv().await {
            total += load.contacts(&batch).await?;
        }
        // All was sent only if the generator ended well: else nothing is committed.
        let focuses = generator
            .join()
            .map_err(|_| AppError::Rejected("the demo generator stopped unexpectedly: nothing was stored".into()))?;
        load.focus(&focuses).await?;
        self.demo_ownership(&mut load).await?;
        load.commit().await?;
        let seconds = started.elapsed().as_secs_f64();
        Ok(DemoView {
            reps: opts.reps,
            weeks: opts.weeks,
            contacts: total,
            seconds: crate::views::round4(seconds),
            contacts_per_second: (total as f64 / seconds).round(),
        })
    }

    /// Demo history runs to the end of today's working hours, so that a
    /// newcomer opening the week early on a Monday still sees it filled in.
    fn end_of_today(&self) -> jiff::Timestamp {
        let today = self.now().to_zoned(self.tz().clone()).date();
        today.at(18, 0, 0, 0).to_zoned(self.tz().clone()).map_or(self.now(), |z| z.timestamp().max(self.now()))
    }

    /// Mistakes older than two weeks were owned and committed to a day
    /// after they happened; newer ones are still open.
    async fn demo_ownership(&self, load: &mut Loader) -> Result<()> {
        let cutoff = self.now() - jiff::SignedDuration::from_hours(14 * 24);
        let resolution = Resolution {
            how: How::Call,
            said: "I owned it and apologised".into(),
            commitment: "prepare this point before every call".into(),
        };
        let after = jiff::SignedDuration::from_hours(24);
        load.own_up_before(cutoff, after, &resolution).await?;
        Ok(())
    }

    /// The id of each starter reason, by its index in `STARTER`.
    async fn starter_ids(&self) -> Result<Vec<ReasonId>> {
        let by_label: HashMap<String, ReasonId> =
            self.store().vocabulary().await?.into_iter().map(|v| (v.reason.label, v.reason.id)).collect();
        STARTER
            .iter()
            .map(|s| {
                by_label.get(s.label).copied().ok_or_else(|| {
                    AppError::Rejected(format!(
                        "the starter reason \"{}\" was renamed or merged: demo needs a new database",
                        s.label
                    ))
                })
            })
            .collect()
    }
}

/// Rep number `i` of a demo: the user's own name first, then `rep-002`, ….
fn rep_name(opts: &DemoOptions, i: u32) -> String {
    if i == 0 { opts.first_rep.clone() } else { format!("rep-{:03}", i + 1) }
}

/// Generates every rep's history and sends it in batches of about [`BATCH`]
/// contacts; each rep's focus `(rep, reason, set at)`. Stops early when the
/// loader stops receiving (it failed and says why).
fn generate(
    spec: &DemoSpec,
    reps: &[RepId],
    reasons: &[ReasonId],
    recent: jiff::Timestamp,
    rules: &Rules,
    batches: &mpsc::Sender<Vec<NewContact>>,
) -> Vec<(RepId, ReasonId, jiff::Timestamp)> {
    let mut focuses = Vec::new();
    let mut batch = Vec::with_capacity(BATCH + 512);
    for (i, &rep) in (0..).zip(reps) {
        let demo = generate_rep(spec, i);
        if let Some((starter, at)) = demo.focus {
            focuses.push((rep, reasons[starter], at));
        }
        batch.extend(to_contacts(rep, demo, reasons).map(|c| with_loop_items(c, recent, rules)));
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH + 512));
            if batches.blocking_send(full).is_err() {
                return focuses;
            }
        }
    }
    if !batch.is_empty() {
        let _ = batches.blocking_send(batch);
    }
    focuses
}

/// Every tenth lost contact's mistakes touched the client; recent contacts get
/// the follow-ups the rules create (a chase after no answer, check-ins after a win).
fn with_loop_items(mut contact: NewContact, recent: jiff::Timestamp, rules: &Rules) -> NewContact {
    if contact.outcome == Outcome::Lost && contact.at.as_second() % 10 == 0 {
        contact.reasons.iter_mut().filter(|r| r.controllable).for_each(|r| r.affected_client = true);
    }
    if contact.at >= recent {
        let event = ContactEvent { client: ClientRef::This, outcome: contact.outcome, at: contact.at };
        contact.follow_ups.create = followup::on_contact(&event, &[], rules).map(|a| a.create).unwrap_or_default();
    }
    contact
}

fn to_contacts(rep: RepId, demo: DemoRep, reasons: &[ReasonId]) -> impl Iterator<Item = NewContact> + '_ {
    demo.contacts.into_iter().map(move |c| NewContact {
        rep,
        client: c.client,
        at: c.at,
        channel: c.channel,
        outcome: c.outcome,
        new_lead: c.new_lead,
        reasons: c
            .reasons
            .into_iter()
            .map(|r| NewReasonNote {
                reason: ReasonRef::Existing(reasons[r.starter]),
                text: r.text.to_string(),
                controllable: r.controllable,
                affected_client: false,
                do_differently: r.do_differently.map(str::to_string),
            })
            .collect(),
        better: c.better.map(str::to_string),
        note: None,
        follow_ups: Default::default(),
    })
}
