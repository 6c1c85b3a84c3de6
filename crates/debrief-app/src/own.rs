//! Owning up to mistakes that touched a client, recovering from mishaps, and
//! checking an apology for excuses.

use debrief_core::apology;
use debrief_core::followup::{self, ClientRef, RecoveryRef};
use debrief_core::mishap::{self, Recovery, RecoveryId, Step, StepInput, StepRecord};
use debrief_core::model::{ClientId, RepId};
use debrief_core::ownership::{self, OwnershipId, OwnershipItem};
use debrief_store::{FollowUpChanges, StoreError};
use serde::Serialize;

use crate::agenda::changes;
use crate::input::{ApologyRequest, MishapStepRequest, OpenMishapRequest, OwnCommitRequest, OwnUpRequest, RepName};
use crate::views::local_time;
use crate::{App, AppError, Result};

/// One thing found in an apology.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApologyFindingView {
    /// Character offsets into the text.
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub message: String,
    pub suggestion: &'static str,
}

/// `debrief apology --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApologyView {
    /// "owning" or "excusing".
    #[serde(serialize_with = "crate::views::word")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub verdict: apology::Verdict,
    pub findings: Vec<ApologyFindingView>,
}

/// Checks a draft apology or plan for excuses.
pub fn check_apology(req: &ApologyRequest) -> Result<ApologyView> {
    let check = apology::check(&req.text).map_err(|e| AppError::Rejected(e.to_string()))?;
    Ok(ApologyView {
        verdict: check.verdict,
        findings: check
            .findings
            .into_iter()
            .map(|f| ApologyFindingView {
                start: f.char_start,
                end: f.char_end,
                kind: f.kind.as_str(),
                message: f.message,
                suggestion: f.suggestion,
            })
            .collect(),
    })
}

/// An ownership item: a mistake that touched a client.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnershipView {
    pub id: i64,
    pub contact: i64,
    pub client: String,
    pub reason: String,
    /// "open", "owned" or "committed".
    #[serde(serialize_with = "crate::views::word")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub state: ownership::State,
    pub opened: String,
    pub age_days: i64,
    pub owned: Option<String>,
    #[serde(serialize_with = "crate::views::word_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub how: Option<ownership::How>,
    pub said: Option<String>,
    pub commitment: Option<String>,
}

impl OwnershipView {
    /// Not owned with the client yet.
    pub fn is_open(&self) -> bool {
        self.state == ownership::State::Open
    }
}

/// `debrief own`: the items not yet resolved, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnListView {
    pub rep: String,
    /// "2 mistakes not yet owned, oldest 9 days", or empty when nothing is open.
    pub summary: String,
    pub not_owned: usize,
    pub oldest_days: Option<i64>,
    pub items: Vec<OwnershipView>,
}

/// A recovery from a mishap with its checklist.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryView {
    pub id: i64,
    pub client: String,
    pub kind: &'static str,
    pub what: String,
    pub at: String,
    /// `at` as people read it.
    pub when: String,
    pub open: bool,
    pub checklist: Vec<ChecklistItemView>,
    pub next_step: Option<&'static str>,
    /// Said when a step was recorded: out of order, excuses, told after the fact.
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItemView {
    pub step: &'static str,
    /// What happened, as the checklist says it ("apologized").
    pub label: &'static str,
    pub done: Option<String>,
    pub text: Option<String>,
    pub client_said: Option<String>,
    /// What to look at again in the step's text, beside the tick ("it makes an excuse: …").
    pub concerns: Vec<String>,
}

impl App {
    /// The rep's ownership items not yet committed, oldest first.
    pub async fn own_list(&self, rep_name: &RepName) -> Result<OwnListView> {
        let items = match self.existing_rep(rep_name).await? {
            Some(rep) => self.store().ownership_items(rep, true).await?,
            None => Vec::new(),
        };
        let summary = ownership::open_summary(&items, self.now(), self.tz());
        let views = self.ownership_views(&items).await?;
        Ok(OwnListView {
            rep: rep_name.to_string(),
            summary: if summary.is_clear() { String::new() } else { summary.to_string() },
            not_owned: summary.not_owned,
            oldest_days: summary.oldest_days,
            items: views,
        })
    }

    /// Records that the rep owned the mistake with the client: how and what was said.
    pub async fn own_up(&self, rep_name: &RepName, req: &OwnUpRequest) -> Result<OwnershipView> {
        let mut item = self.owned_item(rep_name, req.id).await?;
        item.own(req.how, &req.said, self.now()).map_err(|e| AppError::Rejected(e.to_string()))?;
        self.store().save_ownership(&item).await?;
        self.ownership_view(&item).await
    }

    /// Records what will be different from now on.
    pub async fn own_commit(&self, rep_name: &RepName, req: &OwnCommitRequest) -> Result<OwnershipView> {
        let mut item = self.owned_item(rep_name, req.id).await?;
        item.commit(&req.text, self.now()).map_err(|e| AppError::Rejected(e.to_string()))?;
        self.store().save_ownership(&item).await?;
        self.ownership_view(&item).await
    }

    /// One ownership item of the rep.
    pub async fn own_item(&self, rep_name: &RepName, id: i64) -> Result<OwnershipView> {
        let item = self.owned_item(rep_name, id).await?;
        self.ownership_view(&item).await
    }

    async fn ownership_view(&self, item: &OwnershipItem) -> Result<OwnershipView> {
        let mut views = self.ownership_views(std::slice::from_ref(item)).await?;
        views.pop().ok_or_else(|| AppError::Failed("an ownership item could not be shown".into()))
    }

    async fn owned_item(&self, rep_name: &RepName, id: i64) -> Result<OwnershipItem> {
        let id = crate::input::id("id", id)?;
        let missing =
            || AppError::NotFound(format!("no ownership item #{id}: the list of mistakes to own shows their numbers"));
        let (rep, item) = self.store().ownership_item(OwnershipId(id)).await.map_err(|e| match e {
            StoreError::NotFound { .. } => missing(),
            e => e.into(),
        })?;
        if self.existing_rep(rep_name).await? != Some(rep) {
            return Err(missing());
        }
        Ok(item)
    }

    async fn ownership_views(&self, items: &[OwnershipItem]) -> Result<Vec<OwnershipView>> {
        let labels = self.labels().await?;
        let names = self.client_names(items.iter().map(|i| i.client)).await?;
        Ok(items
            .iter()
            .map(|i| OwnershipView {
                id: i.id.0,
                contact: i.contact.0,
                client: names.get(&i.client).cloned().unwrap_or_default(),
                reason: labels.get(&i.reason).map_or_else(String::new, |r| r.label.clone()),
                state: i.state(),
                opened: local_time(i.opened_at, self.tz()),
                age_days: i.age_days(self.now(), self.tz()),
                owned: i.owned.as_ref().map(|o| local_time(o.at, self.tz())),
                how: i.owned.as_ref().map(|o| o.how),
                said: i.owned.as_ref().map(|o| o.said.clone()),
                commitment: i.committed.as_ref().map(|c| c.text.clone()),
            })
            .collect())
    }

    /// Opens a recovery for a mishap with a client; schedules the first update to the client.
    pub async fn open_mishap(&self, rep_name: &RepName, req: &OpenMishapRequest) -> Result<RecoveryView> {
        let now = self.now();
        let (client, kind, what) = (req.client.as_str(), req.kind, req.what.as_str());
        let new = mishap::open(client, kind, what, now).map_err(|e| AppError::Rejected(e.to_string()))?;
        let rep = self.writing_rep(rep_name).await?;
        let plan = followup::on_mishap_opened(RecoveryRef::This, ClientRef::This, now, &self.rules());
        let follow_ups = FollowUpChanges { create: plan.into_iter().collect(), ..FollowUpChanges::default() };
        let id = self.store().open_recovery(rep, client, new.kind, &new.what, now, &follow_ups).await?;
        self.recovery_view(rep, id, Vec::new()).await
    }

    /// Records a step of a recovery, with what it is worth saying about it.
    pub async fn mishap_step(&self, rep_name: &RepName, req: &MishapStepRequest) -> Result<RecoveryView> {
        let (rep, mut recovery) = self.owned_recovery(rep_name, req.id).await?;
        let now = self.now();
        let step = req.step;
        let input = StepInput { text: req.text.clone(), client_said: req.client_said.clone() };
        let warnings = recovery.record(step, input, now).map_err(|e| AppError::Rejected(e.to_string()))?;
        let record: StepRecord = recovery
            .latest(step)
            .cloned()
            .ok_or_else(|| AppError::Failed("the step just recorded could not be read back".into()))?;
        let mut follow_ups = FollowUpChanges::default();
        if step == Step::Resolved {
            let open = self.store().client_follow_ups(recovery.client, true).await?;
            follow_ups = changes(
                followup::Actions {
                    cancel: followup::on_mishap_resolved(recovery.id, &open),
                    ..followup::Actions::default()
                },
                now,
            );
        }
        self.store().add_recovery_step(recovery.id, &record, &follow_ups).await?;
        self.recovery_view(rep, recovery.id, warnings.iter().map(|w| w.to_string()).collect()).await
    }

    /// The rep's recoveries, open ones only unless `all`.
    pub async fn mishaps(&self, rep_name: &RepName, all: bool) -> Result<Vec<RecoveryView>> {
        let Some(rep) = self.existing_rep(rep_name).await? else {
            return Ok(Vec::new());
        };
        let recoveries = self.store().recoveries(rep, !all).await?;
        let names = self.client_names(recoveries.iter().map(|r| r.client)).await?;
        Ok(recoveries.iter().map(|r| self.to_recovery_view(r, &names, Vec::new())).collect())
    }

    /// One recovery of the rep with its checklist.
    pub async fn mishap(&self, rep_name: &RepName, id: i64) -> Result<RecoveryView> {
        let (rep, recovery) = self.owned_recovery(rep_name, id).await?;
        self.recovery_view(rep, recovery.id, Vec::new()).await
    }

    async fn owned_recovery(&self, rep_name: &RepName, id: i64) -> Result<(RepId, Recovery)> {
        let id = crate::input::id("id", id)?;
        let missing = || AppError::NotFound(format!("no recovery #{id}: the list of recoveries shows their numbers"));
        let (rep, recovery) = self.store().recovery(RecoveryId(id)).await.map_err(|e| match e {
            StoreError::NotFound { .. } => missing(),
            e => e.into(),
        })?;
        if self.existing_rep(rep_name).await? != Some(rep) {
            return Err(missing());
        }
        Ok((rep, recovery))
    }

    async fn recovery_view(&self, _rep: RepId, id: RecoveryId, warnings: Vec<String>) -> Result<RecoveryView> {
        let (_, recovery) = self.store().recovery(id).await?;
        let names = self.client_names(std::iter::once(recovery.client)).await?;
        Ok(self.to_recovery_view(&recovery, &names, warnings))
    }

    fn to_recovery_view(
        &self,
        r: &Recovery,
        names: &std::collections::HashMap<ClientId, String>,
        warnings: Vec<String>,
    ) -> RecoveryView {
        RecoveryView {
            id: r.id.0,
            client: names.get(&r.client).cloned().unwrap_or_default(),
            kind: r.kind.as_str(),
            what: r.what.clone(),
            at: local_time(r.at, self.tz()),
            when: crate::summary::human_time_with_year(r.at, self.tz()),
            open: r.is_open(),
            checklist: r
                .checklist()
                .into_iter()
                .map(|(step, rec)| ChecklistItemView {
                    step: step.as_str(),
                    label: step.label(),
                    done: rec.map(|s| local_time(s.at, self.tz())),
                    text: rec.and_then(|s| s.text.clone()),
                    client_said: rec.and_then(|s| s.client_said.clone()),
                    concerns: rec
                        .and_then(|s| s.text.as_deref())
                        .map(|t| mishap::text_warnings(step, t).iter().map(|w| w.to_string()).collect())
                        .unwrap_or_default(),
                })
                .collect(),
            next_step: r.next_step().map(Step::as_str),
            warnings,
        }
    }
}
