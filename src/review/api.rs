//! What `review --serve` answers, with no socket in sight: the listing of pending snapshots with
//! their changes and groups (`GET /api/pending`), their images (`GET /api/image`), and the
//! actions (`POST /api/accept`, `/api/reject`, `/api/undo`) on ids, a group or a scenario. The
//! server in `serve.rs` checks who asks and hands the request here.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use http::StatusCode;
use serde_json::json;

use super::group::group;
use super::journal::{Act, ActionError, Journal};
use super::listing::{analyse, list, version, Analysis, Listed};
use crate::compare::text::unified;
use crate::snapshot::SnapshotStore;

/// An answer: status, content type, body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: StatusCode, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: value.to_string().into_bytes(),
        }
    }

    pub fn error(status: StatusCode, message: &str) -> Reply {
        Reply::json(status, &json!({ "error": message }))
    }
}

/// A pending snapshot as the page was (or will be) shown it.
struct Shown {
    listed: Listed,
    version: String,
    group: String,
    analysis: Arc<Analysis>,
}

/// The review's state: the store, what was done in this review (to undo it) and the changes
/// already measured, by id and version.
pub struct ReviewState {
    store: SnapshotStore,
    filter: Option<String>,
    /// The run's output folder (`--out`), whose `report.html` the page links to.
    out: Option<PathBuf>,
    /// Where the server serves the output folder (`/report/<token>`), for the report's URL.
    report_base: Option<String>,
    journal: Journal,
    measured: HashMap<String, (String, Arc<Analysis>)>,
}

/// Which snapshots an action takes: ids, a group or a scenario, with the versions the page was
/// shown. An undo with none of the three takes back the last action.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Selection {
    ids: Option<Vec<String>>,
    group: Option<String>,
    scenario: Option<String>,
    #[serde(default)]
    versions: BTreeMap<String, String>,
}

impl ReviewState {
    pub fn new(store: SnapshotStore, filter: Option<String>, out: Option<PathBuf>) -> Self {
        ReviewState {
            store,
            filter,
            out,
            report_base: None,
            journal: Journal::default(),
            measured: HashMap::new(),
        }
    }

    /// The state of a server that serves the output folder at `base` (`/report/<token>`).
    pub fn serving_report_at(mut self, base: String) -> Self {
        self.report_base = Some(base);
        self
    }

    /// The pending snapshots now, each measured once per version.
    fn shown(&mut self) -> Vec<Shown> {
        let listed = list(&self.store, self.filter.as_deref());
        let mut shown: Vec<Shown> = listed
            .into_iter()
            .map(|listed| {
                let version = version(&listed);
                let analysis = match self.measured.get(&listed.id) {
                    Some((measured, analysis)) if *measured == version => Arc::clone(analysis),
                    _ => {
                        let analysis = Arc::new(analyse(&listed));
                        self.measured
                            .insert(listed.id.clone(), (version.clone(), Arc::clone(&analysis)));
                        analysis
                    }
                };
                Shown {
                    listed,
                    version,
                    group: String::new(),
                    analysis,
                }
            })
            .collect();
        let keys: Vec<_> = shown
            .iter()
            .map(|shown| (shown.listed.id.clone(), shown.analysis.key.clone()))
            .collect();
        for found in group(&keys) {
            for member in &found.members {
                if let Some(shown) = shown.iter_mut().find(|shown| shown.listed.id == *member) {
                    shown.group = found.id.clone();
                }
            }
        }
        shown
    }

    /// `GET /api/pending`.
    pub fn pending(&mut self) -> Reply {
        let shown = self.shown();
        let root = self.store.root().to_path_buf();
        let mut snapshots: Vec<serde_json::Value> = Vec::new();
        for item in &shown {
            let analysis = &item.analysis;
            let image = analysis.image.as_ref().map(|change| {
                json!({
                    "width": change.width,
                    "height": change.height,
                    "different": change.different,
                    "share": change.share,
                    "box": change.region,
                    "size_change": change.size_change,
                    "diff": change.diff_png.is_some(),
                })
            });
            snapshots.push(json!({
                "id": item.listed.id,
                "scenario": item.listed.scenario,
                "kind": if item.listed.is_image() { "image" } else { "page" },
                "status": "pending",
                "version": item.version,
                "group": item.group,
                "baseline": analysis.has_baseline,
                "diff": analysis.lines.as_ref().map(|lines| unified(lines, 3)),
                "image": image,
                "problem": analysis.problem,
                "accept_command": super::accept_command(&root, &item.listed.id),
                "undo": self.journal.last(&item.listed.id).map(|entry| entry.act),
            }));
        }
        for entry in self.journal.undoable() {
            if shown.iter().any(|item| item.listed.id == entry.listed.id) {
                continue;
            }
            snapshots.push(json!({
                "id": entry.listed.id,
                "scenario": entry.listed.scenario,
                "kind": if entry.listed.is_image() { "image" } else { "page" },
                "status": entry.act,
                "group": entry.group,
                "undo": entry.act,
            }));
        }
        snapshots.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        let mut groups: Vec<(String, Vec<String>, usize)> = Vec::new();
        for snapshot in &snapshots {
            let (id, group) = (
                snapshot["id"].as_str().unwrap_or_default().to_string(),
                snapshot["group"].as_str().unwrap_or_default().to_string(),
            );
            let pending = usize::from(snapshot["status"] == "pending");
            match groups.iter_mut().find(|(known, _, _)| *known == group) {
                Some((_, members, waiting)) => {
                    members.push(id);
                    *waiting += pending;
                }
                None => groups.push((group, vec![id], pending)),
            }
        }
        let groups: Vec<_> = groups
            .into_iter()
            .map(|(id, members, pending)| {
                json!({ "id": id, "count": members.len(), "pending": pending, "members": members })
            })
            .collect();
        // The report as the run left it, and where this server serves it.
        let report = self
            .out
            .as_ref()
            .map(|out| out.join("report.html"))
            .filter(|report| report.is_file());
        Reply::json(
            StatusCode::OK,
            &json!({
                "folder": root,
                "report": report,
                "report_url": report
                    .as_ref()
                    .and(self.report_base.as_ref())
                    .map(|base| format!("{base}/report.html")),
                "snapshots": snapshots,
                "groups": groups,
            }),
        )
    }

    /// `GET /api/image?id=…&which=baseline|new|diff`: only a listed pending snapshot's images.
    pub fn image(&mut self, id: &str, which: &str) -> Reply {
        let Some(item) = self.shown().into_iter().find(|item| item.listed.id == id) else {
            return Reply::error(
                StatusCode::NOT_FOUND,
                &format!("no pending snapshot is named {id:?}"),
            );
        };
        let bytes = match which {
            "baseline" => std::fs::read(&item.listed.files()[0]).ok(),
            "new" => std::fs::read(&item.listed.files()[2]).ok(),
            "diff" => item
                .analysis
                .image
                .as_ref()
                .and_then(|change| change.diff_png.clone()),
            _ => {
                return Reply::error(
                    StatusCode::BAD_REQUEST,
                    "which must be baseline, new or diff",
                )
            }
        };
        match bytes {
            Some(body) if item.listed.is_image() => Reply {
                status: StatusCode::OK,
                content_type: "image/png",
                body,
            },
            _ => Reply::error(StatusCode::NOT_FOUND, &format!("{id} has no {which} image")),
        }
    }

    /// `POST /api/accept` and `/api/reject`.
    pub fn act(&mut self, act: Act, body: &[u8]) -> Reply {
        let selection = match selection_of(body) {
            Ok(selection) => selection,
            Err(reply) => return reply,
        };
        let shown = self.shown();
        let chosen: Vec<&Shown> = match (&selection.ids, &selection.group, &selection.scenario) {
            (Some(ids), None, None) => {
                if let Some(unknown) = ids
                    .iter()
                    .find(|id| !shown.iter().any(|item| item.listed.id == **id))
                {
                    return Reply::error(
                        StatusCode::NOT_FOUND,
                        &format!("no pending snapshot is named {unknown:?}"),
                    );
                }
                shown
                    .iter()
                    .filter(|item| ids.contains(&item.listed.id))
                    .collect()
            }
            (None, Some(group), None) => shown.iter().filter(|item| item.group == *group).collect(),
            (None, None, Some(scenario)) => shown
                .iter()
                .filter(|item| item.listed.scenario == *scenario)
                .collect(),
            _ => {
                return Reply::error(
                    StatusCode::BAD_REQUEST,
                    "name exactly one of ids, group or scenario",
                )
            }
        };
        let targets: Vec<_> = chosen
            .iter()
            .map(|item| {
                (
                    item.listed.clone(),
                    item.group.clone(),
                    selection.versions.get(&item.listed.id).cloned(),
                )
            })
            .collect();
        let result = self.journal.act(&self.store, act, &targets);
        answer(act, result)
    }

    /// `POST /api/undo`: the latest action on each selected snapshot, or the last action.
    pub fn undo(&mut self, body: &[u8]) -> Reply {
        let selection = match selection_of(body) {
            Ok(selection) => selection,
            Err(reply) => return reply,
        };
        let undoable: Vec<_> = self.journal.undoable().collect();
        let ids: Vec<String> = match (&selection.ids, &selection.group, &selection.scenario) {
            (None, None, None) => self.journal.last_action(),
            (Some(ids), None, None) => ids.clone(),
            (None, Some(group), None) => undoable
                .iter()
                .filter(|entry| entry.group == *group)
                .map(|entry| entry.listed.id.clone())
                .collect(),
            (None, None, Some(scenario)) => undoable
                .iter()
                .filter(|entry| entry.listed.scenario == *scenario)
                .map(|entry| entry.listed.id.clone())
                .collect(),
            _ => {
                return Reply::error(
                    StatusCode::BAD_REQUEST,
                    "name at most one of ids, group or scenario",
                )
            }
        };
        let result = self.journal.undo(&self.store, &ids);
        match result {
            Ok(done) => Reply::json(StatusCode::OK, &json!({ "undone": done })),
            Err(error) => refusal(error),
        }
    }
}

fn selection_of(body: &[u8]) -> Result<Selection, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Selection::default());
    }
    serde_json::from_slice(body).map_err(|error| {
        Reply::error(
            StatusCode::BAD_REQUEST,
            &format!("the body must be JSON {{ids|group|scenario, versions}}: {error}"),
        )
    })
}

fn answer(act: Act, result: Result<Vec<String>, ActionError>) -> Reply {
    match result {
        Ok(done) => Reply::json(StatusCode::OK, &json!({ "done": done, "act": act })),
        Err(error) => refusal(error),
    }
}

fn refusal(error: ActionError) -> Reply {
    let message = error.to_string();
    match error {
        ActionError::Changed { id, file } => Reply::json(
            StatusCode::CONFLICT,
            &json!({ "error": message, "id": id, "file": file }),
        ),
        ActionError::NoVersion { id } => {
            Reply::json(StatusCode::CONFLICT, &json!({ "error": message, "id": id }))
        }
        ActionError::NothingSelected(_) => Reply::error(StatusCode::NOT_FOUND, &message),
        ActionError::Store(_) => Reply::error(StatusCode::INTERNAL_SERVER_ERROR, &message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Metadata, Slot, SnapshotId};

    fn json_of(reply: &Reply) -> serde_json::Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    /// Three page snapshots: two changed alike, one otherwise.
    fn state() -> (tempfile::TempDir, ReviewState) {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path().join("store"));
        for (name, new) in [
            ("a", "healthy and running"),
            ("b", "healthy and running"),
            ("c", "down"),
        ] {
            let id = SnapshotId {
                scenario: "upgrade".to_string(),
                name: name.to_string(),
                variant: None,
            };
            let metadata = Metadata::default();
            store
                .write_text(&id, Slot::Baseline, &metadata, "- text: \"healthy\"")
                .unwrap();
            store
                .write_text(&id, Slot::Pending, &metadata, &format!("- text: \"{new}\""))
                .unwrap();
        }
        (dir, ReviewState::new(store, None, None))
    }

    #[test]
    fn a_group_accept_takes_every_alike_change_and_an_undo_without_selection_the_last_action() {
        let (_dir, mut state) = state();
        let listing = json_of(&state.pending());
        let groups = listing["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2, "{listing}");
        assert_eq!(groups[0]["count"], 2);
        let versions: serde_json::Map<_, _> = listing["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].as_str().unwrap().to_string(), s["version"].clone()))
            .collect();
        let body = json!({ "group": groups[0]["id"], "versions": versions }).to_string();
        let reply = state.act(Act::Accepted, body.as_bytes());
        assert_eq!(reply.status, StatusCode::OK, "{}", json_of(&reply));
        assert_eq!(json_of(&reply)["done"], json!(["upgrade__a", "upgrade__b"]));
        let listing = json_of(&state.pending());
        let statuses: Vec<_> = listing["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["status"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(statuses, ["accepted", "accepted", "pending"]);
        let undone = state.undo(b"{}");
        assert_eq!(
            json_of(&undone)["undone"],
            json!(["upgrade__a", "upgrade__b"])
        );
        assert_eq!(state.store.pending(None).len(), 3);
    }

    #[test]
    fn a_selection_names_one_thing_that_exists() {
        let (_dir, mut state) = state();
        let two = state.act(
            Act::Rejected,
            br#"{"ids":["upgrade__a"],"scenario":"upgrade"}"#,
        );
        assert_eq!(two.status, StatusCode::BAD_REQUEST);
        let unknown = state.act(Act::Rejected, br#"{"ids":["../upgrade__a"]}"#);
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let unversioned = state.act(Act::Rejected, br#"{"ids":["upgrade__a"]}"#);
        assert_eq!(unversioned.status, StatusCode::CONFLICT);
        let malformed = state.act(Act::Rejected, b"ids=upgrade__a");
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(state.store.pending(None).len(), 3, "nothing was rejected");
        assert_eq!(
            state.image("upgrade__a", "new").status,
            StatusCode::NOT_FOUND
        );
    }
}
