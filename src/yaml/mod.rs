//! YAML as the profile layers hold it: parsed with byte spans (`tree`), compared and classified
//! (`diff`: the upgrade's own changes versus this installation's customizations), and merged by
//! editing the incoming text at the parser's spans (`carry`). Pure: no I/O.

pub mod carry;
pub mod diff;
pub mod tree;

pub use carry::{merge, values_at, values_of, Carried, Keeping, Merge, MergeError, ProposalRow};
pub use diff::KeyPath;
pub use tree::YamlError;
