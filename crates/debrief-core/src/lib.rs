//! The debrief domain: contacts and their reasons, ISO weeks, honest
//! statistics, reason matching, the week review, focus and its effect, and
//! synthetic demo data.
//!
//! Plain Rust without I/O: no clock (`now` is an argument), no database, no
//! async, no environment. Everything here is unit-tested without a store.

pub mod apology;
pub mod calendar;
pub mod critique;
pub mod crm;
pub mod daily;
pub mod demo;
pub mod entry;
pub mod error;
pub mod focus;
pub mod followup;
pub mod learn;
pub mod matching;
pub mod mishap;
pub mod model;
pub mod ownership;
pub mod review;
#[cfg(test)]
mod robustness;
pub mod stats;
pub mod vocabulary;
pub mod week;
pub mod when;

pub use error::{ParseError, RangeError, ValidationError};
pub use week::IsoWeek;
