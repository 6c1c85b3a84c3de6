//! The web crate's one integration binary: the API, the pages, message review,
//! the security guard and the OpenAPI document in process, and the browser
//! tests against a real server in headless Chromium.

mod api;
mod browser;
mod cache;
mod harness;
mod import;
mod loop_steps;
mod openapi;
mod pages;
mod review;
mod security;
mod server;
