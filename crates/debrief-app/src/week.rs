//! The week review, the trend over weeks, and the focus with its measured effect.

use std::collections::{HashMap, HashSet};

use debrief_core::IsoWeek;
use debrief_core::focus::{self, BASELINE_WEEKS};
use debrief_core::model::{Contact, Reason, ReasonId, RepId};
use debrief_core::ownership::{self, Recurrence};
use debrief_core::review::{self, RANK_WINDOW_WEEKS, RankedReason};
use debrief_core::stats::{Change, Rate, compare, two_proportion_p};
use debrief_store::{ContactQuery, Focus};
use jiff::{Timestamp, ToSpan};

use crate::input::{FocusSetRequest, RepName, TrendRequest, WeekRequest};
use crate::summary::{self, WeekSummaryView};
use crate::views::{
    ChangeView, EffectView, FocusStatus, FocusView, LessonView, OpenRecoveryView, OwnershipSummaryView, RateView,
    ReasonRankView, RecurrenceView, TrendView, TrendWeekView, WeekView, local_time,
};
use crate::{App, AppError, Result};

/// How many earlier lessons are shown per top reason.
const LESSONS_PER_REASON: u32 = 3;

impl App {
    /// The review of one week (the current one by default) for one rep.
    pub async fn week(&self, rep_name: &RepName, req: &WeekRequest) -> Result<WeekView> {
        let week = req.week.unwrap_or_else(|| self.this_week());
        let labels = self.labels().await?;
        let Some(rep) = self.existing_rep(rep_name).await? else {
            return Ok(empty_week(rep_name.as_str(), week));
        };
        let window_start = week.plus(1 - i64::from(RANK_WINDOW_WEEKS))?;
        let window = self.contacts_between(rep, window_start, week).await?;
        let (from, to) = week.bounds(self.tz())?;
        let this: Vec<Contact> = window.iter().filter(|c| c.at >= from && c.at < to).cloned().collect();
        let (prev_from, _) = week.prev()?.bounds(self.tz())?;
        let previous: Vec<Contact> = window.iter().filter(|c| c.at >= prev_from && c.at < from).cloned().collect();
        let won_leads = self.won_leads(&this).await?;
        let numbers = review::week_numbers(week, &this, &won_leads, review::success(&previous));
        let ranked = review::rank_reasons(&this, &labels, self.tz());
        let window_ranked = review::rank_reasons(&window, &labels, self.tz());
        let focus = self.focus_view(rep, &window_ranked, to).await?;
        let lessons = self.lessons(rep, &ranked, from, &labels).await?;
        let (ownership, recurrences, open_recoveries) = self.loop_items(rep, &this).await?;
        let label = |id: ReasonId| labels.get(&id).map_or_else(String::new, |r| r.label.clone());
        let recurred_after_commitment = recurrences
            .iter()
            .map(|r| RecurrenceView {
                reason: label(r.reason),
                contact: r.contact.map(|c| c.0),
                at: local_time(r.at, self.tz()),
                when: crate::summary::human_time_with_year(r.at, self.tz()),
                committed_at: local_time(r.committed_at, self.tz()),
                commitment: r.commitment.clone(),
            })
            .collect();
        let success_rate = RateView::of(numbers.success);
        let chosen_focus = focus.as_ref().filter(|f| f.status == FocusStatus::Set).map(|f| f.id);
        let summary = WeekSummaryView {
            dates: dates(week)?,
            headline: summary::headline(numbers.contacts, numbers.success, numbers.change),
            likely: summary::likely_line(success_rate),
            new_leads: summary::new_leads(numbers.conversion.total, numbers.conversion.hits),
            focus: focus.as_ref().map(|f| {
                let since = f.since.as_deref().and_then(|s| s.parse::<Timestamp>().ok());
                summary::focus_line(f, since.map(|s| summary::human_date(s, self.now(), self.tz())))
            }),
            yours: summary::yours(&ranked, chosen_focus, &this_weeks_lessons(&this, &lessons, &labels)),
            recurred: summary::recurred(&recurrences, label, self.now(), self.tz()),
            outside: summary::outside(&ranked),
        };
        Ok(WeekView {
            week: week.to_string(),
            rep: rep_name.to_string(),
            contacts: numbers.contacts,
            won: numbers.won,
            lost: numbers.lost,
            success_rate,
            new_leads: numbers.conversion.total,
            converted: numbers.conversion.hits,
            conversion_rate: RateView::of(numbers.conversion),
            repeated: ranked.iter().filter(|r| r.repeated()).map(|r| r.reason.label.clone()).collect(),
            reasons: ranked.iter().map(rank_view).collect(),
            focus,
            change: ChangeView {
                success_rate: numbers.change,
                previous_week: week.prev()?.to_string(),
                previous_success: review::success(&previous).into(),
                p_value: two_proportion_p(review::success(&previous), numbers.success).map(crate::views::round4),
            },
            lessons,
            ownership,
            recurred_after_commitment,
            open_recoveries,
            summary,
            triage_waiting: self.triage_waiting(rep_name).await?,
        })
    }

    /// What is still open from the later steps of the loop: mistakes not owned,
    /// reasons that came back after a commitment, unresolved recoveries.
    async fn loop_items(
        &self,
        rep: RepId,
        week: &[Contact],
    ) -> Result<(OwnershipSummaryView, Vec<Recurrence>, Vec<OpenRecoveryView>)> {
        let now = self.now();
        let open = self.store().ownership_items(rep, true).await?;
        let s = ownership::open_summary(&open, now, self.tz());
        let summary = OwnershipSummaryView {
            not_owned: s.not_owned,
            oldest_days: s.oldest_days,
            without_commitment: s.without_commitment,
            summary: if s.is_clear() { String::new() } else { s.to_string() },
        };
        let mut reasons: Vec<ReasonId> = week.iter().flat_map(|c| c.reasons.iter().map(|r| r.reason)).collect();
        reasons.sort_unstable();
        reasons.dedup();
        let committed = if reasons.is_empty() { Vec::new() } else { self.store().commitments(rep, &reasons).await? };
        let recurred = ownership::recurrences(&committed, week);
        let recoveries = self
            .store()
            .recoveries(rep, true)
            .await?
            .into_iter()
            .map(|r| OpenRecoveryView {
                id: r.id.0,
                kind: r.kind.as_str(),
                age_days: r.age_days(now, self.tz()),
                what: r.what,
            })
            .collect();
        Ok((summary, recurred, recoveries))
    }

    /// Success rate and new-lead conversion for each of the last `weeks` weeks.
    pub async fn trend(&self, rep_name: &RepName, req: &TrendRequest) -> Result<TrendView> {
        let last = req.last.unwrap_or_else(|| self.this_week());
        let window = last.window(req.weeks)?;
        let contacts = match self.existing_rep(rep_name).await? {
            Some(rep) => self.contacts_between(rep, window[0], last).await?,
            None => Vec::new(),
        };
        let won_leads = self.won_leads(&contacts).await?;
        let mut rows = Vec::with_capacity(window.len());
        let mut rates = Vec::with_capacity(window.len());
        for week in &window {
            let (from, to) = week.bounds(self.tz())?;
            let of_week: Vec<Contact> = contacts.iter().filter(|c| c.at >= from && c.at < to).cloned().collect();
            let n = review::week_numbers(*week, &of_week, &won_leads, Rate::default());
            rates.push(n.success);
            rows.push(TrendWeekView {
                week: week.to_string(),
                contacts: n.contacts,
                won: n.won,
                lost: n.lost,
                success_rate: RateView::of(n.success),
                new_leads: n.conversion.total,
                converted: n.conversion.hits,
                conversion_rate: RateView::of(n.conversion),
            });
        }
        Ok(TrendView { rep: rep_name.to_string(), weeks: rows, success_change: halves_change(&rates).as_str() })
    }

    /// The focus: the one set with its measured effect, or the suggested one.
    pub async fn focus(&self, rep_name: &RepName) -> Result<Option<FocusView>> {
        let Some(rep) = self.existing_rep(rep_name).await? else {
            return Ok(None);
        };
        let week = self.this_week();
        let labels = self.labels().await?;
        let window = self.contacts_between(rep, week.plus(1 - i64::from(RANK_WINDOW_WEEKS))?, week).await?;
        let ranked = review::rank_reasons(&window, &labels, self.tz());
        self.focus_view(rep, &ranked, self.now()).await
    }

    /// Makes `reason` (a label, a way to say it, or `#id`) the rep's focus.
    pub async fn set_focus(&self, rep_name: &RepName, req: &FocusSetRequest) -> Result<FocusView> {
        let reason = self.resolve_reason(&req.reason).await?;
        if !reason.controllable {
            return Err(AppError::Rejected(format!(
                "\"{}\" is not something you control: focus on a reason you could control",
                reason.label
            )));
        }
        let rep = self.writing_rep(rep_name).await?;
        self.store().set_focus(rep, reason.id, self.now()).await?;
        self.focus(rep_name).await?.ok_or_else(|| AppError::Failed("the focus just set could not be read back".into()))
    }

    /// Ends the rep's focus.
    pub async fn clear_focus(&self, rep_name: &RepName) -> Result<()> {
        let no_focus = || AppError::NotFound(format!("{rep_name} has no focus set: nothing to clear"));
        let rep = self.existing_rep(rep_name).await?.ok_or_else(no_focus)?;
        self.store().clear_focus(rep, self.now()).await.map_err(|e| match e {
            debrief_store::StoreError::NotFound { .. } => no_focus(),
            e => AppError::from(e),
        })
    }

    /// The contacts of `rep` from the start of `first` to the end of `last`.
    pub(crate) async fn contacts_between(&self, rep: RepId, first: IsoWeek, last: IsoWeek) -> Result<Vec<Contact>> {
        let (from, _) = first.bounds(self.tz())?;
        let (_, to) = last.bounds(self.tz())?;
        self.contacts_in(rep, from, to).await
    }

    async fn contacts_in(&self, rep: RepId, from: Timestamp, to: Timestamp) -> Result<Vec<Contact>> {
        let query = ContactQuery { rep: Some(rep), from: Some(from), to: Some(to), ..ContactQuery::default() };
        Ok(self.store().contacts(&query).await?)
    }

    /// The new leads among `contacts` that have a won contact by now.
    async fn won_leads(&self, contacts: &[Contact]) -> Result<HashSet<debrief_core::model::ClientId>> {
        let leads = review::new_leads(contacts);
        if leads.is_empty() {
            return Ok(HashSet::new());
        }
        Ok(self.store().clients_won(&leads, self.now()).await?.into_iter().collect())
    }

    async fn focus_view(&self, rep: RepId, ranked: &[RankedReason], until: Timestamp) -> Result<Option<FocusView>> {
        match self.store().focus(rep).await? {
            Some(focus) => Ok(Some(self.set_focus_view(rep, focus, until.min(self.now())).await?)),
            None => Ok(review::suggest_focus(ranked).map(|r| FocusView {
                reason: r.label.clone(),
                id: r.id.0,
                status: FocusStatus::Suggested,
                since: None,
                since_when: None,
                effect: None,
            })),
        }
    }

    async fn set_focus_view(&self, rep: RepId, focus: Focus, until: Timestamp) -> Result<FocusView> {
        let baseline_start = focus.set_at - (BASELINE_WEEKS as i64 * 7 * 24).hours();
        let before = self.lost_share(rep, focus.reason.id, baseline_start, focus.set_at).await?;
        let after = self.lost_share(rep, focus.reason.id, focus.set_at, until.max(focus.set_at)).await?;
        let effect = focus::compare_shares(before, after);
        Ok(FocusView {
            reason: focus.reason.label,
            id: focus.reason.id.0,
            status: FocusStatus::Set,
            since: Some(crate::views::local_time(focus.set_at, self.tz())),
            since_when: Some(crate::summary::human_date(focus.set_at, self.now(), self.tz())),
            effect: Some(EffectView::from(effect)),
        })
    }

    /// Lost contacts carrying `reason` out of all lost contacts in `[from, to)`,
    /// counted by the store so the cost does not grow with the focus's age.
    async fn lost_share(&self, rep: RepId, reason: ReasonId, from: Timestamp, to: Timestamp) -> Result<Rate> {
        let lost = ContactQuery {
            rep: Some(rep),
            from: Some(from),
            to: Some(to),
            outcome: Some(debrief_core::model::Outcome::Lost),
            ..ContactQuery::default()
        };
        let total = self.store().count_contacts(&lost).await?;
        let hits = self.store().count_contacts(&ContactQuery { reason: Some(reason), ..lost }).await?;
        Ok(Rate::new(hits, total))
    }

    async fn lessons(
        &self,
        rep: RepId,
        ranked: &[RankedReason],
        before: Timestamp,
        labels: &HashMap<ReasonId, Reason>,
    ) -> Result<Vec<LessonView>> {
        let top: Vec<ReasonId> = ranked
            .iter()
            .filter(|r| r.reason.controllable && r.lost_contacts > 0)
            .take(2)
            .map(|r| r.reason.id)
            .collect();
        if top.is_empty() {
            return Ok(Vec::new());
        }
        let lessons = self.store().lessons(rep, &top, before, LESSONS_PER_REASON).await?;
        Ok(lessons
            .into_iter()
            .map(|l| LessonView {
                reason: labels.get(&l.reason).map_or_else(String::new, |r| r.label.clone()),
                week: IsoWeek::of(l.at, self.tz()).to_string(),
                contact: l.contact.0,
                text: l.text,
            })
            .collect())
    }
}

pub(crate) fn rank_view(r: &RankedReason) -> ReasonRankView {
    ReasonRankView {
        id: r.reason.id.0,
        reason: r.reason.label.clone(),
        controllable: r.reason.controllable,
        lost_contacts: r.lost_contacts,
        share_of_lost: crate::views::round4(r.share_of_lost),
        contacts: r.contacts,
        repeated: r.repeated(),
        weeks: r.weeks.iter().map(|w| w.to_string()).collect(),
    }
}

fn empty_week(rep: &str, week: IsoWeek) -> WeekView {
    WeekView {
        week: week.to_string(),
        rep: rep.to_string(),
        contacts: 0,
        won: 0,
        lost: 0,
        success_rate: None,
        new_leads: 0,
        converted: 0,
        conversion_rate: None,
        reasons: Vec::new(),
        repeated: Vec::new(),
        focus: None,
        change: ChangeView {
            success_rate: Change::NoPrevious,
            previous_week: week.prev().map(|w| w.to_string()).unwrap_or_default(),
            previous_success: Rate::default().into(),
            p_value: None,
        },
        lessons: Vec::new(),
        ownership: OwnershipSummaryView::default(),
        recurred_after_commitment: Vec::new(),
        open_recoveries: Vec::new(),
        summary: WeekSummaryView {
            dates: dates(week).unwrap_or_default(),
            headline: summary::headline(0, Rate::default(), Change::NoPrevious),
            new_leads: summary::new_leads(0, 0),
            ..WeekSummaryView::default()
        },
        triage_waiting: 0,
    }
}

/// "Mon 23 Nov – Sun 29 Nov 2026": the days of a week.
fn dates(week: IsoWeek) -> Result<String> {
    let monday = week.monday();
    let sunday = monday.checked_add(6.days()).map_err(|e| AppError::Rejected(e.to_string()))?;
    Ok(format!("{} – {}", monday.strftime("%a %-d %b"), sunday.strftime("%a %-d %b %Y")))
}

/// What the rep said they'd do differently, this week's first, then earlier lessons.
fn this_weeks_lessons(this: &[Contact], earlier: &[LessonView], labels: &HashMap<ReasonId, Reason>) -> Vec<LessonView> {
    let mut newest: Vec<&Contact> = this.iter().collect();
    newest.sort_by_key(|c| std::cmp::Reverse(c.at));
    let mut lessons: Vec<LessonView> = newest
        .iter()
        .flat_map(|c| {
            c.reasons.iter().filter_map(move |r| {
                Some(LessonView {
                    reason: labels.get(&r.reason)?.label.clone(),
                    week: String::new(),
                    contact: c.id.0,
                    text: r.do_differently.clone()?,
                })
            })
        })
        .collect();
    lessons.extend(earlier.iter().cloned());
    lessons
}

/// The first half of a run of weekly rates against the second half.
fn halves_change(rates: &[Rate]) -> Change {
    let (first, second) = rates.split_at(rates.len() / 2);
    let sum = |rs: &[Rate]| rs.iter().fold(Rate::default(), |a, r| Rate::new(a.hits + r.hits, a.total + r.total));
    compare(sum(first), sum(second))
}
