//! palette-harness: turns the Palette system console guides into scenarios that a real browser
//! walks through the console UI, leaving screenshots, configuration backups and reports.
//!
//! See ARCHITECTURE.md for the map of modules.

pub mod artifacts;
pub mod browser;
pub mod capture;
pub mod cli;
pub mod command;
pub mod compare;
pub mod console;
pub mod diff_command;
pub mod docs;
pub mod drift;
pub mod event;
pub mod exit;
pub mod harness;
pub mod html;
pub mod image_file;
pub mod locate;
pub mod os;
pub mod preflight;
pub mod record;
pub mod redact;
pub mod report;
pub mod review;
pub mod runner;
pub mod scenario;
pub mod settings;
pub mod snapshot;
pub mod tls;
pub mod trace;
pub mod yaml;
