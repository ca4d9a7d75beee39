//! Durations as users type them: `30s`, `45m`, `8h`, `2d`, `1w` and combinations such as
//! `1h30m`.
//!
//! Only whole, positive numbers are accepted; units are case-insensitive and each may
//! appear once, largest first. Anything else (zero, a sign, a fraction, an unknown unit,
//! an overflow) is refused with a message that says what was wrong.

use std::fmt;

/// Seconds in each unit, largest first: the order units must appear in.
const UNITS: [(char, i64); 5] = [
    ('w', 604_800),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// The longest duration accepted: 100 years. Longer values cannot be represented as a
/// date anyway, and are certainly a mistake.
const MAX_SECONDS: i64 = 100 * 365 * 86_400;

/// Why a duration was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DurationError {}

fn refuse<T>(input: &str, why: &str) -> Result<T, DurationError> {
    Err(DurationError(format!(
        "invalid duration `{input}`: {why} (use whole numbers with s, m, h, d or w, e.g. `8h` or `1h30m`)"
    )))
}

/// Parses a duration into a whole number of seconds (always positive).
pub fn parse(input: &str) -> Result<i64, DurationError> {
    let text = input.trim();
    if text.is_empty() {
        return refuse(input, "it is empty");
    }

    let mut total: i64 = 0;
    let mut digits = String::new();
    // Index into UNITS of the last unit seen, so `30m1h` and `1h1h` are refused.
    let mut last_unit: Option<usize> = None;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if c == '-' || c == '+' {
            return refuse(input, "signs are not allowed");
        }
        if c == '.' || c == ',' {
            return refuse(input, "only whole numbers are allowed");
        }
        let lower = c.to_ascii_lowercase();
        let Some(index) = UNITS.iter().position(|(unit, _)| *unit == lower) else {
            return refuse(input, &format!("unknown unit `{c}`"));
        };
        if digits.is_empty() {
            return refuse(input, &format!("unit `{c}` has no number before it"));
        }
        if last_unit.is_some_and(|last| index <= last) {
            return refuse(input, "units must each appear once, largest first");
        }
        let Ok(value) = digits.parse::<i64>() else {
            return refuse(input, "the number is too large");
        };
        let Some(sum) = value
            .checked_mul(UNITS[index].1)
            .and_then(|s| total.checked_add(s))
        else {
            return refuse(input, "it is too large");
        };
        total = sum;
        digits.clear();
        last_unit = Some(index);
    }
    if !digits.is_empty() {
        return refuse(input, "the last number has no unit");
    }
    if total == 0 {
        return refuse(input, "it must be longer than zero");
    }
    if total > MAX_SECONDS {
        return refuse(input, "it is longer than 100 years");
    }
    Ok(total)
}

/// Formats seconds compactly in the same syntax `parse` accepts: `1h30m`, `2d`, `45s`.
pub fn format(seconds: i64) -> String {
    if seconds <= 0 {
        return "0s".to_string();
    }
    let mut rest = seconds;
    let mut out = String::new();
    for (unit, size) in UNITS {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_each_unit_and_combinations() {
        assert_eq!(parse("30s"), Ok(30));
        assert_eq!(parse("45m"), Ok(2_700));
        assert_eq!(parse("8h"), Ok(28_800));
        assert_eq!(parse("2d"), Ok(172_800));
        assert_eq!(parse("1w"), Ok(604_800));
        assert_eq!(parse("1h30m"), Ok(5_400));
        assert_eq!(
            parse("1w2d3h4m5s"),
            Ok(604_800 + 172_800 + 10_800 + 240 + 5)
        );
    }

    #[test]
    fn units_are_case_insensitive_and_spaces_around_are_ignored() {
        assert_eq!(parse("8H"), Ok(28_800));
        assert_eq!(parse(" 1H30M "), Ok(5_400));
    }

    #[test]
    fn refuses_bad_input_with_the_reason() {
        let cases = [
            ("", "empty"),
            ("   ", "empty"),
            ("0s", "longer than zero"),
            ("0h0m", "longer than zero"),
            ("-5m", "signs"),
            ("+5m", "signs"),
            ("1.5h", "whole numbers"),
            ("1,5h", "whole numbers"),
            ("5", "no unit"),
            ("1h30", "no unit"),
            ("5y", "unknown unit `y`"),
            ("5 m", "unknown unit ` `"),
            ("h", "no number"),
            ("30m1h", "largest first"),
            ("1h1h", "largest first"),
            ("99999999999999999999s", "too large"),
            ("9223372036854775807w", "too large"),
            ("101000w", "100 years"),
            ("5µ", "unknown unit"),
        ];
        for (input, reason) in cases {
            let err = parse(input).expect_err(input).to_string();
            assert!(
                err.contains(reason),
                "{input:?} gave {err:?}, expected {reason:?}"
            );
            assert!(err.contains("invalid duration"), "{err}");
        }
    }

    #[test]
    fn format_round_trips() {
        for seconds in [
            1,
            59,
            60,
            3_600,
            5_400,
            86_400,
            90_061,
            604_800,
            1_209_600 + 1,
        ] {
            assert_eq!(parse(&format(seconds)), Ok(seconds), "{}", format(seconds));
        }
        assert_eq!(format(5_400), "1h30m");
    }

    mod properties {
        //! 256 cases per property by default; `PROPTEST_CASES` asks for more.

        use proptest::prelude::*;

        use super::super::{MAX_SECONDS, UNITS, format, parse};

        proptest! {
            #[test]
            fn any_text_is_parsed_or_refused_without_panic(text in any::<String>()) {
                match parse(&text) {
                    Ok(seconds) => {
                        prop_assert!((1..=MAX_SECONDS).contains(&seconds));
                        prop_assert_eq!(parse(&format(seconds)), Ok(seconds));
                    }
                    Err(err) => prop_assert!(err.to_string().starts_with("invalid duration")),
                }
            }

            #[test]
            fn near_misses_are_parsed_or_refused(text in "[0-9wdhmsWDHMS .+-]{0,12}") {
                if let Ok(seconds) = parse(&text) {
                    prop_assert!((1..=MAX_SECONDS).contains(&seconds));
                    prop_assert!(!text.contains(['.', '+', '-']));
                }
            }

            #[test]
            fn units_largest_first_add_up(values in prop::collection::vec(proptest::option::of(0i64..1000), 5), upper in any::<bool>()) {
                let mut text = String::new();
                let mut total = 0;
                for ((unit, size), value) in UNITS.iter().zip(&values) {
                    if let Some(value) = value {
                        let unit = if upper { unit.to_ascii_uppercase() } else { *unit };
                        text.push_str(&format!("{value}{unit}"));
                        total += value * size;
                    }
                }
                match parse(&text) {
                    Ok(seconds) => prop_assert_eq!(seconds, total),
                    Err(_) => prop_assert!(total == 0, "{text} refused"),
                }
            }

            #[test]
            fn every_duration_formats_and_reads_back(seconds in 1..=MAX_SECONDS) {
                prop_assert_eq!(parse(&format(seconds)), Ok(seconds));
            }
        }
    }
}
