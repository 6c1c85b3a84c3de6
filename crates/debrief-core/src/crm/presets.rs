//! The export shapes of the CRMs the import knows, as data: which header
//! names feed each field, and which headers tell the shape apart.
//!
//! Header names are compared without case, spaces, underscores or
//! punctuation (`Deal - Owner` = `deal owner`), so API names and report
//! labels of one field can sit in one list.

use crate::model::Channel;

use super::{Field, Kind};

/// One CRM export shape.
#[derive(Debug)]
pub struct Preset {
    /// What `--preset` names, and the source imported rows are kept under.
    pub name: &'static str,
    /// The CRM and the object exported, for people.
    pub title: &'static str,
    pub kind: Kind,
    /// The channel of a row whose own type says none.
    pub channel: Channel,
    /// Sets of headers that, all present, identify the shape; the preset
    /// whose best set matches the most headers wins.
    pub detect: &'static [&'static [&'static str]],
    /// For each field, the headers that may hold it, the first non-empty
    /// cell winning.
    pub columns: &'static [(Field, &'static [&'static str])],
}

impl Preset {
    /// The preset called `name`.
    pub fn named(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The headers that may hold `field`.
    pub fn columns_of(&self, field: Field) -> &'static [&'static str] {
        self.columns.iter().find(|(f, _)| *f == field).map_or(&[], |(_, names)| names)
    }

    /// Every preset's name, comma-separated, for errors.
    pub fn names() -> String {
        PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
    }
}

/// Every preset, most specific first.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "hubspot-deals",
        title: "HubSpot deals",
        kind: Kind::Deal,
        channel: Channel::Meeting,
        detect: &[&["Deal Stage", "Deal Name"], &["dealstage", "dealname"]],
        columns: &[
            (Field::Id, &["Record ID", "Deal ID", "hs_object_id"]),
            (
                Field::Client,
                &["Associated Company", "Associated Company (Primary)", "Company name", "Associated Contact"],
            ),
            (Field::Title, &["Deal Name", "dealname"]),
            (Field::Owner, &["Deal owner", "Deal Owner", "hubspot_owner_id"]),
            (Field::At, &["Close Date", "closedate"]),
            (Field::Created, &["Create Date", "createdate"]),
            (Field::Outcome, &["Deal Stage", "dealstage"]),
            (Field::Closed, &["Is Deal Closed?", "Is closed", "hs_is_closed"]),
            (Field::Won, &["Is Closed Won", "hs_is_closed_won"]),
            (Field::Reason, &["Closed Lost Reason", "closed_lost_reason"]),
            (Field::NewLead, &["Deal Type", "dealtype"]),
            (Field::Note, &["Deal Description", "description"]),
        ],
    },
    Preset {
        name: "hubspot-calls",
        title: "HubSpot calls",
        kind: Kind::Activity,
        channel: Channel::Call,
        detect: &[&["Call outcome"], &["Call title"], &["hs_call_disposition"]],
        columns: &[
            (Field::Id, &["Record ID", "Activity ID", "Call ID", "hs_object_id"]),
            (Field::Client, &["Associated Company", "Associated Contact", "Associated Deal"]),
            (Field::Title, &["Call title", "hs_call_title"]),
            (Field::Owner, &["Activity assigned to", "Call owner", "hubspot_owner_id"]),
            (Field::At, &["Activity date", "Call date", "hs_timestamp"]),
            (Field::Outcome, &["Call outcome", "hs_call_disposition"]),
            (Field::Note, &["Call notes", "hs_call_body"]),
        ],
    },
    Preset {
        name: "hubspot-meetings",
        title: "HubSpot meetings",
        kind: Kind::Activity,
        channel: Channel::Meeting,
        detect: &[&["Meeting outcome"], &["Meeting name"], &["hs_meeting_outcome"]],
        columns: &[
            (Field::Id, &["Record ID", "Activity ID", "Meeting ID", "hs_object_id"]),
            (Field::Client, &["Associated Company", "Associated Contact", "Associated Deal"]),
            (Field::Title, &["Meeting name", "hs_meeting_title"]),
            (Field::Owner, &["Activity assigned to", "Meeting owner", "hubspot_owner_id"]),
            (Field::At, &["Meeting start time", "Activity date", "hs_meeting_start_time", "hs_timestamp"]),
            (Field::Outcome, &["Meeting outcome", "hs_meeting_outcome"]),
            (Field::Channel, &["Meeting location type", "Activity type"]),
            (Field::Note, &["Meeting description", "Meeting notes", "hs_meeting_body", "hs_internal_meeting_notes"]),
        ],
    },
    Preset {
        name: "salesforce-opportunities",
        title: "Salesforce opportunities",
        kind: Kind::Deal,
        channel: Channel::Meeting,
        detect: &[&["StageName", "IsWon"], &["StageName", "CloseDate"], &["Opportunity Name", "Stage"]],
        columns: &[
            (Field::Id, &["Id", "Opportunity ID", "Opportunity Id"]),
            (Field::Client, &["Account Name", "Account.Name", "AccountName", "AccountId", "Account ID"]),
            (Field::Title, &["Name", "Opportunity Name"]),
            (Field::Owner, &["Opportunity Owner", "Owner.Name", "Owner Name", "OwnerId", "Owner ID"]),
            (Field::At, &["CloseDate", "Close Date"]),
            (Field::Created, &["CreatedDate", "Created Date"]),
            (Field::Outcome, &["StageName", "Stage"]),
            (Field::Closed, &["IsClosed", "Closed"]),
            (Field::Won, &["IsWon", "Won"]),
            (
                Field::Reason,
                &[
                    "Loss_Reason__c",
                    "Lost_Reason__c",
                    "Closed_Lost_Reason__c",
                    "Loss Reason",
                    "Lost Reason",
                    "Reason Lost",
                ],
            ),
            (Field::NewLead, &["Type", "Opportunity Type"]),
            (Field::Note, &["Description", "NextStep", "Next Step"]),
        ],
    },
    Preset {
        name: "salesforce-tasks",
        title: "Salesforce tasks",
        kind: Kind::Activity,
        channel: Channel::Call,
        detect: &[&["ActivityDate", "Status", "Subject"], &["CallDisposition"], &["TaskSubtype"]],
        columns: &[
            (Field::Id, &["Id", "Activity ID", "Task ID"]),
            (Field::Client, &["What.Name", "Who.Name", "Company / Account", "Related To", "Name", "WhatId", "WhoId"]),
            (Field::Title, &["Subject"]),
            (Field::Owner, &["Assigned", "Owner.Name", "OwnerId", "Assigned To"]),
            (Field::At, &["CompletedDateTime", "ActivityDate", "Date", "Due Date"]),
            (Field::Outcome, &["CallDisposition", "Call Result", "Call Disposition"]),
            (Field::Done, &["Status", "IsClosed"]),
            (Field::NoShow, &["No_Show__c", "NoShow__c", "No Show"]),
            (Field::Channel, &["TaskSubtype", "Type", "Task Subtype", "Subject"]),
            (Field::Note, &["Description", "Comments", "Full Comments"]),
        ],
    },
    Preset {
        name: "salesforce-events",
        title: "Salesforce events",
        kind: Kind::Activity,
        channel: Channel::Meeting,
        detect: &[&["ActivityDateTime", "DurationInMinutes"], &["ActivityDateTime", "Subject"]],
        columns: &[
            (Field::Id, &["Id", "Event ID"]),
            (Field::Client, &["What.Name", "Who.Name", "Related To", "Name", "WhatId", "WhoId"]),
            (Field::Title, &["Subject"]),
            (Field::Owner, &["Assigned", "Owner.Name", "OwnerId", "Assigned To"]),
            (Field::At, &["ActivityDateTime", "StartDateTime", "Start", "ActivityDate"]),
            (Field::Outcome, &["Outcome__c", "Event_Outcome__c", "Result"]),
            (Field::NoShow, &["No_Show__c", "NoShow__c", "No Show"]),
            (Field::Channel, &["Type", "EventSubtype", "Subject"]),
            (Field::Note, &["Description", "Comments"]),
        ],
    },
    Preset {
        name: "pipedrive-deals",
        title: "Pipedrive deals",
        kind: Kind::Deal,
        channel: Channel::Meeting,
        detect: &[&["Deal - Status", "Deal - Title"], &["Deal - Status"]],
        columns: &[
            (Field::Id, &["Deal - ID"]),
            (Field::Client, &["Deal - Organization", "Organization - Name", "Deal - Contact person", "Person - Name"]),
            (Field::Title, &["Deal - Title"]),
            (Field::Owner, &["Deal - Owner", "Deal - Creator"]),
            (Field::At, &["Deal - Won time", "Deal - Lost time", "Deal - Close time", "Deal - Expected close date"]),
            (Field::Created, &["Deal - Deal created", "Deal - Add time"]),
            (Field::Outcome, &["Deal - Status"]),
            (Field::Reason, &["Deal - Lost reason"]),
        ],
    },
    Preset {
        name: "pipedrive-activities",
        title: "Pipedrive activities",
        kind: Kind::Activity,
        channel: Channel::Call,
        detect: &[&["Activity - Type", "Activity - Due date"], &["Activity - Subject"]],
        columns: &[
            (Field::Id, &["Activity - ID"]),
            (
                Field::Client,
                &[
                    "Organization - Name",
                    "Activity - Organization",
                    "Deal - Organization",
                    "Person - Name",
                    "Activity - Contact person",
                ],
            ),
            (Field::Title, &["Activity - Subject", "Deal - Title"]),
            (Field::Owner, &["Activity - Assigned to user", "Activity - Owner", "Activity - Creator"]),
            (Field::At, &["Activity - Marked as done time", "Activity - Due date"]),
            (Field::Time, &["Activity - Due time"]),
            (Field::Done, &["Activity - Done"]),
            (Field::Channel, &["Activity - Type"]),
            (Field::Note, &["Activity - Note"]),
        ],
    },
    Preset {
        name: "odoo-leads",
        title: "Odoo leads and opportunities",
        kind: Kind::Deal,
        channel: Channel::Meeting,
        detect: &[
            &["stage_id", "user_id"],
            &["stage_id", "probability"],
            &["lost_reason_id"],
            &["Salesperson", "Stage", "Probability"],
        ],
        columns: &[
            (Field::Id, &["id", "External ID"]),
            (Field::Client, &["partner_id", "partner_name", "Customer", "Company Name", "partner_id/name"]),
            (Field::Title, &["name", "Opportunity", "Lead"]),
            (Field::Owner, &["user_id", "Salesperson", "user_id/name", "user_id/id"]),
            (Field::At, &["date_closed", "Closed Date", "date_last_stage_update"]),
            (Field::Created, &["create_date", "Created on"]),
            (Field::Outcome, &["stage_id", "Stage", "stage_id/name"]),
            (Field::Active, &["active", "Active"]),
            (Field::Probability, &["probability", "Probability"]),
            (Field::Reason, &["lost_reason_id", "lost_reason", "Lost Reason", "lost_reason_id/name"]),
            (Field::Note, &["description", "Notes", "Internal Notes"]),
        ],
    },
];
