use super::*;

/// The calendar fixtures of the binary's tests, built in.
fn fixture(name: &str) -> String {
    macro_rules! file {
        ($name:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../debrief/tests/fixtures/crm/", $name))
        };
    }
    match name {
        "meetings-google.ics" => file!("meetings-google.ics"),
        "meetings-outlook.ics" => file!("meetings-outlook.ics"),
        "meetings-apple.ics" => file!("meetings-apple.ics"),
        "empty.ics" => file!("empty.ics"),
        other => panic!("no fixture {other}"),
    }
    .to_string()
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn week(text: &str) -> CalendarRead {
    read_meetings(text, t("2026-12-07T00:00:00Z"), t("2026-12-14T00:00:00Z"), None, &TimeZone::UTC).unwrap()
}

fn shown(r: &CalendarRead) -> Vec<String> {
    r.meetings.iter().map(|m| format!("{} {} | {}", m.start, m.client, m.title)).collect()
}

#[test]
fn a_google_calendar_expands_moves_and_cancels_instances_in_its_zone() {
    let r = week(&fixture("meetings-google.ics"));
    assert_eq!(r.domain.as_deref(), Some("ourco.example"), "the calendar's owner's domain");
    let meetings = shown(&r);
    // Mondays and Thursdays 11:00 Berlin: Monday the 7th moved to 14:00, Thursday the 10th cancelled.
    assert!(
        meetings.contains(&"2026-12-07T13:00:00Z Kestrel Ridge | Kestrel Ridge – rollout check-in".to_string()),
        "{meetings:#?}"
    );
    assert!(!meetings.iter().any(|m| m.starts_with("2026-12-07T10:00:00Z")), "moved away: {meetings:#?}");
    assert!(!meetings.iter().any(|m| m.starts_with("2026-12-10T10:00:00Z")), "cancelled: {meetings:#?}");
    assert!(meetings.iter().any(|m| m.contains("Quillfeather")), "{meetings:#?}");
    assert_eq!(r.skipped.get("all-day events"), Some(&1), "{:?}", r.skipped);
    assert_eq!(r.skipped.get("cancelled"), Some(&1), "{:?}", r.skipped);
    assert!(r.skipped.contains_key("with your own colleagues only"), "{:?}", r.skipped);
    // The moved instance keeps the key of its planned start.
    let moved = r.meetings.iter().find(|m| m.start == t("2026-12-07T13:00:00Z")).unwrap();
    assert!(moved.key.ends_with("#20261207T100000Z"), "{}", moved.key);
}

#[test]
fn outlook_windows_zones_and_apple_rules_are_read() {
    let r = week(&fixture("meetings-outlook.ics"));
    let meetings = shown(&r);
    // A daily stand-up, five times from Monday 08:45 in Berlin (07:45 UTC).
    let standups = meetings.iter().filter(|m| m.contains("Halvorsen")).count();
    assert_eq!(standups, 5, "{meetings:#?}");
    assert!(meetings[0].starts_with("2026-12-07T07:45:00Z"), "{meetings:#?}");
    assert!(meetings.iter().any(|m| m.contains("Copperline Dental")), "{meetings:#?}");
    let apple = week(&fixture("meetings-apple.ics"));
    let meetings = shown(&apple);
    assert!(
        meetings.contains(&"2026-12-07T14:30:00Z Tidewell | Tidewell – weekly account review".to_string()),
        "{meetings:#?}"
    );
}

#[test]
fn a_calendar_without_events_or_cut_short_is_named() {
    let empty = read_meetings(
        &fixture("empty.ics"),
        t("2026-12-07T00:00:00Z"),
        t("2026-12-08T00:00:00Z"),
        None,
        &TimeZone::UTC,
    );
    assert!(empty.unwrap_err().message.contains("holds no events"));
    let google = fixture("meetings-google.ics");
    let cut = &google[..google.len() / 2];
    let cut = cut.rsplit_once('\n').map_or(cut, |(head, _)| head);
    let e = read_meetings(cut, t("2026-12-07T00:00:00Z"), t("2026-12-08T00:00:00Z"), None, &TimeZone::UTC).unwrap_err();
    assert!(e.message.contains("is never closed"), "{e}");
    let e = read_meetings("hello\nworld", t("2026-12-07T00:00:00Z"), t("2026-12-08T00:00:00Z"), None, &TimeZone::UTC)
        .unwrap_err();
    assert_eq!(e.to_string(), "line 1: \"hello\" is not a NAME:value line of iCalendar");
    let zone = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Mars/Base:20261207T100000\nATTENDEE:mailto:a@x.example\nEND:VEVENT\nEND:VCALENDAR\n";
    let e = read_meetings(
        zone,
        t("2026-12-07T00:00:00Z"),
        t("2026-12-08T00:00:00Z"),
        Some("ourco.example"),
        &TimeZone::UTC,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("line 3: the time zone \"Mars/Base\" is not one this build knows"), "{e}");
}

#[test]
fn the_client_is_the_titles_lead_or_the_domains_name() {
    assert_eq!(client_of("Kestrel Ridge – rollout", "s@kestrelridge.example"), "Kestrel Ridge");
    assert_eq!(client_of("Weekly sync", "i@halvorsen-energy.example"), "Halvorsen Energy");
}
