//! The vocabulary of the loop: outcomes, channels, ids and contacts.

use std::fmt;

use jiff::Timestamp;

use crate::error::ParseError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A logged contact.
    ContactId
);
id_type!(
    /// A canonical reason of the vocabulary.
    ReasonId
);
id_type!(
    /// A salesperson.
    RepId
);
id_type!(
    /// A client (prospect or customer) of one rep.
    ClientId
);

/// How a contact ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Won,
    Lost,
    Advanced,
    NoAnswer,
    NoShow,
    Pending,
}

impl Outcome {
    pub const ALL: [Outcome; 6] =
        [Outcome::Won, Outcome::Lost, Outcome::Advanced, Outcome::NoAnswer, Outcome::NoShow, Outcome::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::Advanced => "advanced",
            Outcome::NoAnswer => "no-answer",
            Outcome::NoShow => "no-show",
            Outcome::Pending => "pending",
        }
    }
}

/// The way a contact happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Call,
    Visit,
    Meeting,
    OnlineMeeting,
    Email,
    Message,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::Call, Channel::Visit, Channel::Meeting, Channel::OnlineMeeting, Channel::Email, Channel::Message];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Visit => "visit",
            Channel::Meeting => "meeting",
            Channel::OnlineMeeting => "online-meeting",
            Channel::Email => "email",
            Channel::Message => "message",
        }
    }
}

/// Implements `Display` and `FromStr` from `ALL` and `as_str`, so the
/// accepted spellings and the error listing them can never disagree.
macro_rules! keyword_enum {
    ($name:ident, $what:literal) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ParseError;

            fn from_str(s: &str) -> Result<Self, ParseError> {
                let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
                Self::ALL.into_iter().find(|v| v.as_str() == wanted).ok_or_else(|| ParseError::Keyword {
                    what: $what,
                    got: s.to_string(),
                    valid: Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }
    };
}

pub(crate) use keyword_enum;

keyword_enum!(Outcome, "outcome");
keyword_enum!(Channel, "channel");

/// One reason attached to a contact, as the rep wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonNote {
    /// The canonical reason this text counts under.
    pub reason: ReasonId,
    /// The text exactly as written.
    pub text: String,
    /// Whether the rep could have controlled it.
    pub controllable: bool,
    /// "What I'd do differently" (controllable reasons only).
    pub do_differently: Option<String>,
}

/// A contact as stored, with its reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: ContactId,
    pub rep: RepId,
    pub client: ClientId,
    pub client_name: String,
    pub at: Timestamp,
    pub channel: Channel,
    pub outcome: Outcome,
    pub new_lead: bool,
    pub reasons: Vec<ReasonNote>,
    /// "What could I have done better?"
    pub better: Option<String>,
    pub note: Option<String>,
}

impl Contact {
    /// The controllable reasons (at most two: the contact's "top reasons").
    pub fn controllable(&self) -> impl Iterator<Item = &ReasonNote> {
        self.reasons.iter().filter(|r| r.controllable)
    }
}

/// A canonical reason of the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub id: ReasonId,
    pub label: String,
    pub controllable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_and_errors_list_the_valid_ones() {
        for o in Outcome::ALL {
            assert_eq!(o.as_str().parse::<Outcome>().unwrap(), o);
        }
        assert_eq!("No_Answer".parse::<Outcome>().unwrap(), Outcome::NoAnswer);
        let err = "maybe".parse::<Outcome>().unwrap_err().to_string();
        assert_eq!(err, "unknown outcome \"maybe\": expected one of won, lost, advanced, no-answer, no-show, pending");
    }

    #[test]
    fn channels_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.to_string().parse::<Channel>().unwrap(), c);
        }
        assert!("fax".parse::<Channel>().unwrap_err().to_string().contains("online-meeting"));
    }
}
