//! What to do with a snapshot once it has been compared: the one place that decides whether a
//! baseline may be written. Pure.

/// Which baselines a run may write (`--update-snapshots`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdatePolicy {
    /// Write no baseline (the default on CI).
    None,
    /// Record baselines that do not exist yet (the default elsewhere).
    Missing,
    /// Also overwrite baselines that changed: an explicit accept of every change.
    Changed,
    /// Rewrite every baseline.
    All,
}

/// An `--update-snapshots` value that names no policy.
#[derive(Debug, thiserror::Error)]
#[error("expected none, missing, changed or all, found `{0}`")]
pub struct UnknownPolicy(String);

impl std::str::FromStr for UpdatePolicy {
    type Err = UnknownPolicy;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "none" => Ok(UpdatePolicy::None),
            "missing" => Ok(UpdatePolicy::Missing),
            "changed" => Ok(UpdatePolicy::Changed),
            "all" => Ok(UpdatePolicy::All),
            other => Err(UnknownPolicy(other.to_string())),
        }
    }
}

/// How a snapshot compared with its baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    NoBaseline,
    Matches,
    Differs,
}

/// The verdict a report shows, with what to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Same as the baseline.
    Matched,
    /// No baseline existed; this capture became it.
    Recorded,
    /// The baseline was overwritten on request.
    Updated,
    /// Differs from the baseline: a failure, with a pending snapshot to review.
    Changed,
    /// No baseline and none may be written: a failure.
    Missing,
    /// No baseline, and this capture came from a step that needed a retry, so it is not trusted
    /// to become one: a failure, with a pending snapshot to review.
    NotRecorded,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Matched => "matched",
            Verdict::Recorded => "recorded",
            Verdict::Updated => "updated",
            Verdict::Changed => "changed",
            Verdict::Missing => "missing",
            Verdict::NotRecorded => "not recorded",
        }
    }

    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Verdict::Changed | Verdict::Missing | Verdict::NotRecorded
        )
    }
}

/// What to write after a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub write_baseline: bool,
    pub write_pending: bool,
}

/// `pending_allowed` is false on CI (nothing written there) and for retried steps' captures.
pub fn decide(policy: UpdatePolicy, comparison: Comparison, pending_allowed: bool) -> Decision {
    let (verdict, write_baseline) = match (comparison, policy) {
        (Comparison::Matches, UpdatePolicy::All) => (Verdict::Matched, true),
        (Comparison::Matches, _) => (Verdict::Matched, false),
        (Comparison::NoBaseline, UpdatePolicy::None) => (Verdict::Missing, false),
        (Comparison::NoBaseline, _) => (Verdict::Recorded, true),
        (Comparison::Differs, UpdatePolicy::Changed | UpdatePolicy::All) => {
            (Verdict::Updated, true)
        }
        (Comparison::Differs, _) => (Verdict::Changed, false),
    };
    Decision {
        verdict,
        write_baseline,
        write_pending: verdict.is_failure() && pending_allowed,
    }
}

/// The decision for a capture taken in a step's retry: compared like any other, but never written
/// as a baseline, whatever the policy. A page that only came right on a second try is not trusted
/// to define the truth; what would have been written is left pending for review instead.
pub fn decide_on_retry(
    policy: UpdatePolicy,
    comparison: Comparison,
    pending_allowed: bool,
) -> Decision {
    let first_try = decide(policy, comparison, pending_allowed);
    if !first_try.write_baseline {
        return first_try;
    }
    let verdict = match comparison {
        Comparison::Matches => Verdict::Matched,
        Comparison::NoBaseline => Verdict::NotRecorded,
        Comparison::Differs => Verdict::Changed,
    };
    Decision {
        verdict,
        write_baseline: false,
        write_pending: verdict.is_failure() && pending_allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparing_never_writes_a_changed_baseline() {
        for policy in [UpdatePolicy::None, UpdatePolicy::Missing] {
            let decision = decide(policy, Comparison::Differs, true);
            assert_eq!(decision.verdict, Verdict::Changed);
            assert!(!decision.write_baseline);
            assert!(decision.write_pending);
        }
    }

    #[test]
    fn missing_baselines_are_recorded_except_when_nothing_may_be_written() {
        assert_eq!(
            decide(UpdatePolicy::Missing, Comparison::NoBaseline, true).verdict,
            Verdict::Recorded
        );
        let on_ci = decide(UpdatePolicy::None, Comparison::NoBaseline, false);
        assert_eq!(
            on_ci,
            Decision {
                verdict: Verdict::Missing,
                write_baseline: false,
                write_pending: false
            }
        );
    }

    #[test]
    fn explicit_updates_overwrite_changed_baselines() {
        assert_eq!(
            decide(UpdatePolicy::Changed, Comparison::Differs, true),
            Decision {
                verdict: Verdict::Updated,
                write_baseline: true,
                write_pending: false
            }
        );
        assert!(!decide(UpdatePolicy::Changed, Comparison::Matches, true).write_baseline);
        assert!(decide(UpdatePolicy::All, Comparison::Matches, true).write_baseline);
    }

    #[test]
    fn a_retried_step_never_writes_a_baseline() {
        let policies = [
            UpdatePolicy::None,
            UpdatePolicy::Missing,
            UpdatePolicy::Changed,
            UpdatePolicy::All,
        ];
        let comparisons = [
            Comparison::NoBaseline,
            Comparison::Matches,
            Comparison::Differs,
        ];
        for policy in policies {
            for comparison in comparisons {
                let decision = decide_on_retry(policy, comparison, true);
                assert!(!decision.write_baseline, "{policy:?} {comparison:?}");
                assert_eq!(
                    decision.verdict.is_failure(),
                    comparison != Comparison::Matches,
                    "{policy:?} {comparison:?}"
                );
            }
        }
        let new_page = decide_on_retry(UpdatePolicy::Missing, Comparison::NoBaseline, true);
        assert_eq!(new_page.verdict, Verdict::NotRecorded);
        assert!(new_page.write_pending, "kept for review");
        assert!(
            !decide_on_retry(UpdatePolicy::Missing, Comparison::NoBaseline, false).write_pending
        );
    }
}
