use super::*;
use jiff::Timestamp;

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn rules() -> Rules {
    Rules {
        date_order: None,
        tz: TimeZone::UTC,
        now: "2026-12-01T00:00:00Z".parse::<Timestamp>().unwrap(),
        outcomes: HashMap::new(),
    }
}

fn read(layout: &Layout, rules: &Rules, row: &[&str]) -> Result<Read, CellError> {
    read_row(layout, rules, |i| row.get(i).copied().unwrap_or(""), 2)
}

const HUBSPOT: [&str; 9] = [
    "Record ID",
    "Deal Name",
    "Deal Stage",
    "Close Date",
    "Create Date",
    "Deal owner",
    "Is Deal Closed?",
    "Closed Lost Reason",
    "Associated Company",
];

#[test]
fn a_hubspot_header_is_recognised_and_a_lost_deal_is_two_contacts() {
    let mut h = header(&HUBSPOT);
    h.push("Associated Company".into());
    let layout = Layout::new(&h, None, &[]).unwrap();
    assert_eq!(layout.source, "hubspot-deals");
    assert_eq!(layout.columns(Field::Client), &[8, 9]);
    let row = [
        "17",
        "Acme 50 seats",
        "Closed lost",
        "2026-05-02 10:00",
        "2026-03-01 09:00",
        "Ann",
        "true",
        "Price",
        "",
        "Acme",
    ];
    let Read::Contacts(c) = read(&layout, &rules(), &row).unwrap() else { panic!() };
    assert_eq!(c.len(), 2);
    assert_eq!((c[0].key.as_str(), c[0].outcome, c[0].new_lead), ("17#opened", Outcome::Advanced, true));
    assert_eq!((c[1].key.as_str(), c[1].outcome, c[1].new_lead), ("17#closed", Outcome::Lost, false));
    assert_eq!(c[1].client, "Acme");
    assert_eq!(c[1].reason.as_deref(), Some("Price"));
    assert_eq!(c[1].owner.as_deref(), Some("Ann"));
}

#[test]
fn a_custom_stage_is_open_when_the_file_says_the_deal_is_not_closed() {
    let layout = Layout::new(&header(&HUBSPOT), None, &[]).unwrap();
    let row = ["18", "Beta", "Awaiting procurement", "2026-12-30", "2026-10-01 09:00", "Ann", "false", "", "Beta"];
    let Read::Contacts(c) = read(&layout, &rules(), &row).unwrap() else { panic!() };
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].outcome, Outcome::Advanced);
}

#[test]
fn an_unknown_stage_without_a_closed_flag_is_an_error_naming_the_fix() {
    let layout = Layout::new(&header(&["Id", "Name", "StageName", "CloseDate"]), None, &[]).unwrap();
    assert_eq!(layout.source, "salesforce-opportunities");
    let e = read(&layout, &rules(), &["1", "Acme", "Awaiting legal", "2026-05-01"]).unwrap_err();
    assert_eq!(e.column, 2);
    assert!(e.message.contains("--outcome \"Awaiting legal=won\""), "{}", e.message);
    let mut r = rules();
    r.add_outcome("Awaiting legal=lost").unwrap();
    let Read::Contacts(c) = read(&layout, &r, &["1", "Acme", "Awaiting legal", "2026-05-01"]).unwrap() else {
        panic!()
    };
    assert_eq!(c[0].outcome, Outcome::Lost);
}

#[test]
fn a_duplicated_header_the_import_needs_is_refused_and_one_it_fills_in_from_is_not() {
    let e = Layout::new(&header(&["Deal Name", "Deal Stage", "Deal Stage", "Close Date"]), None, &[]).unwrap_err();
    assert!(e.0.contains("\"Deal Stage\" twice (columns 2 and 3)"), "{e}");
    assert!(e.0.contains("--map \"#2=outcome\""), "{e}");
}

#[test]
fn missing_columns_are_listed_with_the_closest_names() {
    let e = Layout::new(&header(&["Call title", "Call outcome", "Activity Datetime"]), None, &[]).unwrap_err();
    assert!(e.0.contains("the date"), "{e}");
    assert!(e.0.contains("Activity Datetime"), "{e}");
}

#[test]
fn an_unknown_header_names_the_presets_and_map_makes_it_readable() {
    let h = header(&["Firma", "Datum", "Ergebnis"]);
    let e = Layout::new(&h, None, &[]).unwrap_err();
    assert!(e.0.contains("hubspot-deals") && e.0.contains("--map"), "{e}");
    let maps: Vec<Mapping> =
        ["Firma=client", "Datum=at", "Ergebnis=outcome"].iter().map(|m| m.parse().unwrap()).collect();
    let layout = Layout::new(&h, None, &maps).unwrap();
    assert_eq!(layout.kind, Kind::Activity);
    let Read::Contacts(c) = read(&layout, &rules(), &["Acme", "2026-04-01 10:00", "no answer"]).unwrap() else {
        panic!()
    };
    assert_eq!(c[0].outcome, Outcome::NoAnswer);
    assert_eq!(c[0].key, "line 2");
}

#[test]
fn activities_not_held_are_skipped_and_future_ones_refused() {
    let layout = Layout::new(
        &header(&[
            "Activity - ID",
            "Activity - Subject",
            "Activity - Type",
            "Activity - Done",
            "Activity - Due date",
            "Activity - Due time",
            "Organization - Name",
        ]),
        None,
        &[],
    )
    .unwrap();
    assert_eq!(layout.source, "pipedrive-activities");
    let r = rules();
    assert_eq!(
        read(&layout, &r, &["1", "x", "task", "Done", "2026-04-01", "", "A"]).unwrap(),
        Read::Skipped("a task or reminder, not a contact")
    );
    assert_eq!(
        read(&layout, &r, &["1", "x", "call", "To do", "2026-04-01", "", "A"]).unwrap(),
        Read::Skipped("not done yet")
    );
    let Read::Contacts(c) = read(&layout, &r, &["1", "x", "meeting", "Done", "2026-04-01", "14:30", "A"]).unwrap()
    else {
        panic!()
    };
    assert_eq!((c[0].channel, c[0].at.to_string().as_str()), (Channel::Meeting, "2026-04-01T14:30:00Z"));
    assert_eq!(
        read(&layout, &r, &["1", "x", "call", "Done", "2027-04-01", "", "A"]).unwrap(),
        Read::Skipped("in the future: not held yet")
    );
}

#[test]
fn odoo_probability_and_active_decide_won_and_lost() {
    let h = header(&[
        "id",
        "name",
        "partner_id",
        "stage_id",
        "probability",
        "active",
        "lost_reason_id",
        "create_date",
        "date_closed",
        "user_id",
    ]);
    let layout = Layout::new(&h, None, &[]).unwrap();
    assert_eq!(layout.source, "odoo-leads");
    let r = rules();
    let outcome = |row: &[&str]| match read(&layout, &r, row).unwrap() {
        Read::Contacts(c) => c.last().unwrap().outcome,
        Read::Skipped(w) => panic!("{w}"),
    };
    assert_eq!(
        outcome(&[
            "__export__.crm_lead_1",
            "x",
            "A",
            "Proposition",
            "100",
            "True",
            "",
            "2026-01-01 10:00:00",
            "2026-02-01 10:00:00",
            "Mitchell"
        ]),
        Outcome::Won
    );
    assert_eq!(
        outcome(&[
            "__export__.crm_lead_2",
            "x",
            "A",
            "Qualified",
            "0",
            "False",
            "Too expensive",
            "2026-01-01 10:00:00",
            "2026-02-01 10:00:00",
            "Mitchell"
        ]),
        Outcome::Lost
    );
    assert_eq!(
        outcome(&[
            "__export__.crm_lead_3",
            "x",
            "A",
            "Qualified",
            "30",
            "True",
            "",
            "2026-01-01 10:00:00",
            "",
            "Mitchell"
        ]),
        Outcome::Advanced
    );
}

#[test]
fn map_arguments_and_outcome_arguments_say_what_is_wrong() {
    assert!("Company".parse::<Mapping>().unwrap_err().contains("COLUMN=FIELD"));
    assert!("Company=colour".parse::<Mapping>().unwrap_err().contains("client"));
    assert_eq!("Lost Reason=lost reason".parse::<Mapping>().unwrap().field, Field::Reason);
    let mut r = rules();
    assert!(r.add_outcome("Foo=maybe").unwrap_err().contains("won, lost, open"));
}

#[test]
fn a_missing_date_names_the_closest_header() {
    let e = Layout::new(&header(&["Deal Name", "Deal Stage", "Closing"]), None, &[]).unwrap_err();
    assert!(e.0.contains("closest in the file: \"Closing\""), "{e}");
}
