//! Durations as people write them in scenario files and on the command line: `30s`, `15m`,
//! `500ms`, `1h`, or a bare number of seconds.

use std::time::Duration;

/// The longest wait a scenario or the command line may ask for: a week.
const LONGEST: Duration = Duration::from_secs(7 * 24 * 3600);

/// Why a text is no duration, in the words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidDuration(String);

pub fn parse_duration(text: &str) -> Result<Duration, InvalidDuration> {
    let text = text.trim();
    let split = text
        .find(|character: char| !(character.is_ascii_digit() || character == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().map_err(|_| {
        InvalidDuration(format!(
            "expected a duration such as `30s`, `15m` or `500ms`, found `{text}`"
        ))
    })?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(InvalidDuration(format!(
                "expected a duration unit (ms, s, m or h), found `{other}` in `{text}`"
            )))
        }
    };
    if !seconds.is_finite() || seconds > LONGEST.as_secs_f64() {
        return Err(InvalidDuration(format!(
            "expected a duration of at most a week (168h), found `{text}`"
        )));
    }
    let duration = Duration::from_secs_f64(seconds);
    if duration.is_zero() {
        return Err(InvalidDuration(format!(
            "expected a duration above zero such as `30s`, found `{text}` (nothing could happen in it)"
        )));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_the_usual_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
    }

    #[test]
    fn durations_too_long_or_zero_are_refused_without_a_panic() {
        assert!(parse_duration("99999999999999999999h")
            .unwrap_err()
            .to_string()
            .contains("at most a week"));
        assert!(parse_duration("1e400").is_err());
        assert!(parse_duration("169h")
            .unwrap_err()
            .to_string()
            .contains("at most a week"));
        assert!(parse_duration("0s")
            .unwrap_err()
            .to_string()
            .contains("above zero"));
        assert!(parse_duration("0")
            .unwrap_err()
            .to_string()
            .contains("above zero"));
        assert_eq!(parse_duration("168h"), Ok(Duration::from_secs(168 * 3600)));
    }

    #[test]
    fn durations_reject_unknown_units_and_words() {
        assert!(parse_duration("3 days")
            .unwrap_err()
            .to_string()
            .contains("expected a duration unit"));
        assert!(parse_duration("soon")
            .unwrap_err()
            .to_string()
            .contains("expected a duration"));
    }
}
