//! Tidy checks that run with the ordinary tests: the interfaces hold no
//! rule of their own. Every limit, range and default lives in the
//! application or the domain, once.

use std::path::{Path, PathBuf};

/// What a rule looks like in code: a limit constant, or a range or length
/// compared with a number written in place.
const RULE_SHAPES: &[&str] = &["const MAX_", "const MIN_", "const DEFAULT_", ".contains(&year)"];
const BEFORE_A_NUMBER: &[&str] = &["..=", "chars().count() >", "len() >"];

/// The shape of a rule on this line, if any.
fn rule_shape(line: &str) -> Option<&'static str> {
    if let Some(shape) = RULE_SHAPES.iter().find(|s| line.contains(*s)) {
        return Some(shape);
    }
    BEFORE_A_NUMBER.iter().copied().find(|shape| {
        line.match_indices(shape).any(|(i, _)| {
            let rest = line[i + shape.len()..].trim_start();
            rest.starts_with(|c: char| c.is_ascii_digit()) && !rest.starts_with("0)") && !rest.starts_with("0 ")
        })
    })
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_interfaces_hold_no_limits_or_ranges() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for interface in ["debrief/src", "debrief-web/src"] {
        sources(&crates.join(interface), &mut files);
    }
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may spell out the limits they check.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            if let Some(shape) = rule_shape(line) {
                found.push(format!("{}:{}: `{shape}` in {line}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "rules belong in debrief-app or debrief-core:\n{}", found.join("\n"));
}
