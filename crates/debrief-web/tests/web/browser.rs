//! The loop in a real headless Chromium on a 390×844 phone screen, driven
//! through chromedriver: log a lost call with two reasons, see it counted on
//! the week page with both charts drawn, merge two reasons, set a focus,
//! review an e-mail.
//! Screenshots go to `artifacts/` (ignored by git). Without Chromium the test
//! is skipped with a note, except under `CI`, where it fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::sync::oneshot;

use crate::harness::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=390,844",
];

/// chromedriver, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether the browser is here; a missing one fails under CI.
fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but {} is missing: install Debian's chromium and chromium-driver", missing.join(" and "));
    }
    eprintln!(
        "note: skipping the browser test, {} is missing (apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The screens the browser test runs on.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Screen {
    /// 390×844 CSS pixels at a pixel ratio of 2, as a phone.
    Phone,
    /// A 1280×900 window.
    Laptop,
}

async fn start_driver(screen: Screen) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let mut caps = serde_json::Map::new();
    let options = match screen {
        Screen::Phone => json!({
            "binary": CHROMIUM,
            "args": FLAGS,
            "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0}},
        }),
        Screen::Laptop => {
            let args: Vec<&str> = FLAGS.iter().copied().chain(["--window-size=1280,900"]).collect();
            json!({"binary": CHROMIUM, "args": args})
        }
    };
    caps.insert("goog:chromeOptions".into(), options);
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        match ClientBuilder::new(HttpConnector::new()).capabilities(caps.clone()).connect(&url).await {
            Ok(client) => return (driver, client),
            Err(e) if started.elapsed() > Duration::from_secs(20) => panic!("chromedriver did not answer: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// How long a page may take to show what is awaited: generous, because the
/// other tests of the suite run beside the browser on the same cores.
const PATIENCE: Duration = Duration::from_secs(45);

/// Set while the laptop window runs: screenshots named `-phone` are saved as `-laptop`.
static LAPTOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A screenshot of the viewport, scrolled to `at` (a CSS selector) first.
async fn screenshot(c: &Client, name: &str, at: &str) {
    let name = if LAPTOP.load(std::sync::atomic::Ordering::Relaxed) {
        name.replace("-phone", "-laptop")
    } else {
        name.to_string()
    };
    let name = name.as_str();
    let scroll = format!("document.querySelector({at:?}).scrollIntoView()");
    c.execute(&scroll, vec![]).await.unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(artifacts().join(name), png).unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    c.wait().at_most(PATIENCE).for_element(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

/// The text of `css` once it contains `needle` (htmx may swap it meanwhile).
async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < PATIENCE {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if t.contains(needle) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {needle:?}; last: {last:?}")
}

async fn fill(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id)).await.unwrap().send_keys(value).await.unwrap();
}

/// How tall the daily pages are on the phone, in screens of 844 px, with the
/// demo data and everything collapsed (printed for the record, and kept in
/// `artifacts/heights.txt`).
async fn page_heights(c: &Client, base: &str) {
    let mut lines = Vec::new();
    for path in ["/", "/agenda", "/log", "/today"] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let height = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap();
        let rows = c.execute("return document.querySelectorAll('.row').length", vec![]).await.unwrap();
        let px = height.as_f64().unwrap_or(0.0);
        if path == "/agenda" {
            screenshot(c, "agenda-phone.png", "main h1").await;
        }
        lines.push(format!("{path}: {px} px = {:.1} screens; {} agenda rows", px / 844.0, rows));
    }
    let report = lines.join("\n");
    println!("{report}");
    std::fs::write(artifacts().join("heights.txt"), report + "\n").unwrap();
}

/// The actions again in a laptop window: log a lost call, change its
/// filing, snooze from the popover and clear a follow-up, set a focus,
/// answer today's question, and log while offline.
async fn laptop_actions(c: &Client, base: &str) {
    log_a_lost_call(c, base).await;
    change_a_filing(c).await;
    clear_the_agenda_with_a_thumb(c, base, Screen::Laptop).await;
    set_a_focus(c, base).await;
    the_daily_question_and_the_loop_pages(c, base).await;
    offline_a_contact_is_queued_then_logged(c, base).await;
}

/// A follow-up is one compact row; Snooze opens a sheet from the bottom of
/// the screen, a choice there snoozes it and a toast says until when; Done
/// clears a row and says so. Every tap target is at least 44 px tall.
async fn clear_the_agenda_with_a_thumb(c: &Client, base: &str, screen: Screen) {
    c.goto(&format!("{base}/agenda")).await.unwrap();
    let sizes = c
        .execute(
            "const rows = [...document.querySelectorAll('.row.follow-up')];
             const taps = rows.flatMap(r => [...r.querySelectorAll('button, summary')]).filter(b => b.offsetParent);
             return [rows.length, Math.max(...rows.map(r => r.getBoundingClientRect().height)),
                     Math.min(...taps.map(b => b.getBoundingClientRect().height))]",
            vec![],
        )
        .await
        .unwrap();
    let [rows, tallest, smallest_tap] = [0, 1, 2].map(|i| sizes[i].as_f64().unwrap_or(0.0));
    println!("agenda: {rows} follow-ups, the tallest row {tallest} px, the smallest tap target {smallest_tap} px");
    assert!(rows >= 3.0, "the demo has follow-ups ({rows})");
    assert!(tallest <= 72.0, "a follow-up is one compact row ({tallest} px)");
    assert!(smallest_tap >= 44.0, "tap targets are at least 44 px ({smallest_tap} px)");
    let title = text(c, ".row.follow-up .title").await;
    submit(c, ".row.follow-up details.sheet summary").await;
    let placed = c
        .execute(
            "const b = document.querySelector('details.sheet[open] .sheet-body').getBoundingClientRect();
             const s = document.querySelector('details.sheet[open] summary').getBoundingClientRect();
             return [window.innerHeight - b.bottom, b.top - s.bottom, b.height]",
            vec![],
        )
        .await
        .unwrap();
    let [to_bottom, below_summary, height] = [0, 1, 2].map(|i| placed[i].as_f64().unwrap_or(-99.0));
    assert!(height > 100.0, "the sheet is shown ({placed})");
    match screen {
        Screen::Phone => assert!(to_bottom.abs() < 1.0, "on a phone the sheet sits on the bottom edge ({placed})"),
        Screen::Laptop => {
            assert!((0.0..=16.0).contains(&below_summary), "on a laptop it opens under Snooze ({placed})")
        }
    }
    screenshot(c, "agenda-snooze-sheet-phone.png", "main h1").await;
    c.find(Locator::Css("details.sheet[open] .sheet-body .chips button[value='3']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let toast = wait_text(c, ".toast", "Snoozed to").await;
    assert!(toast.contains(&title), "the toast names what was snoozed: {toast}");
    let first = c.find(Locator::Css(".row.follow-up")).await.unwrap().attr("id").await.unwrap().unwrap_or_default();
    submit(c, &format!("#{first} form[action$='/done'] button")).await;
    wait_text(c, ".toast", "Done.").await;
    let gone = c.execute("return document.getElementById(arguments[0]) === null", vec![json!(first)]).await.unwrap();
    assert_eq!(gone.as_bool(), Some(true), "{first} left the agenda");
}

/// Clicks `css` after scrolling it to the middle of the screen, as a thumb
/// would (at the very bottom, the bar of daily destinations covers it).
async fn submit(c: &Client, css: &str) {
    let element = c.find(Locator::Css(css)).await.unwrap();
    let arg = serde_json::to_value(&element).unwrap();
    c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg]).await.unwrap();
    element.click().await.unwrap();
}

/// The lost contacts the week page's headline counts ("1 of 3 decided contacts won": 2 lost).
async fn lost_this_week(c: &Client) -> u64 {
    let headline = text(c, ".headline").await;
    let words: Vec<&str> = headline.split_whitespace().collect();
    let number = |i: usize| words.get(i).and_then(|w| w.parse::<u64>().ok());
    match (number(0), number(2)) {
        (Some(won), Some(decided)) if words.get(1) == Some(&"of") => decided - won,
        _ => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_on_a_phone() {
    if !browser_available() {
        return;
    }
    let started = Instant::now();
    let phone = Served::start().await;
    let (driver, c) = start_driver(Screen::Phone).await;
    let result = run_loop(&c, &phone.base).await;
    let _ = c.close().await;
    drop(driver);
    phone.stop().await;
    result.unwrap();
    // The laptop window walks the same actions on data of its own.
    let laptop = Served::start().await;
    let (_driver, c) = start_driver(Screen::Laptop).await;
    let width = c.execute("return window.innerWidth", vec![]).await.unwrap().as_f64().unwrap_or_default();
    assert!((1200.0..=1280.0).contains(&width), "a laptop-sized window ({width})");
    LAPTOP.store(true, std::sync::atomic::Ordering::Relaxed);
    laptop_actions(&c, &laptop.base).await;
    audit_every_page(&c, &laptop.base, Screen::Laptop).await;
    let _ = c.close().await;
    laptop.stop().await;
    eprintln!("browser test took {:.1} s", started.elapsed().as_secs_f64());
}

/// The demo data served on a free port.
struct Served {
    base: String,
    _t: TestApp,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<(), debrief_web::ServeError>>,
}

impl Served {
    async fn start() -> Served {
        let t = TestApp::sqlite().await;
        t.demo().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(debrief_web::serve(
            t.app.clone(),
            crate::harness::rep(),
            Default::default(),
            listener,
            async {
                let _ = stopped.await;
            },
        ));
        Served { base, _t: t, stop, server }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.server.await.unwrap().unwrap();
    }
}

async fn run_loop(c: &Client, base: &str) -> Result<(), String> {
    c.goto(&format!("{base}/")).await.map_err(|e| e.to_string())?;
    let lost_before = lost_this_week(c).await;
    let width: f64 = c.execute("return window.innerWidth", vec![]).await.unwrap().as_f64().unwrap();
    assert_eq!(width, 390.0, "a phone-sized viewport");
    log_a_lost_call(c, base).await;
    change_a_filing(c).await;
    c.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(lost_this_week(c).await, lost_before + 1, "the new lost call is counted");
    check_charts(c).await;
    screenshot(c, "week-phone.png", "body").await;
    screenshot(c, "week-phone-reasons.png", "#reasons-h").await;
    screenshot(c, "week-phone-trend.png", "#trend-h").await;
    page_heights(c, base).await;
    clear_the_agenda_with_a_thumb(c, base, Screen::Phone).await;
    log_with_a_thumb(c, base).await;
    offline_a_contact_is_queued_then_logged(c, base).await;
    merge_two_reasons(c, base).await;
    set_a_focus(c, base).await;
    review_an_email(c, base).await;
    the_daily_question_and_the_loop_pages(c, base).await;
    keyboard_reaches_the_skip_link(c, base).await;
    log_with_the_keyboard(c, base).await;
    audit_every_page(c, base, Screen::Phone).await;
    Ok(())
}

async fn log_a_lost_call(c: &Client, base: &str) {
    c.goto(&format!("{base}/log")).await.unwrap();
    screenshot(c, "log-form-phone.png", "body").await;
    c.find(Locator::Css("label.choice input[value=lost] + span")).await.unwrap().click().await.unwrap();
    fill(c, "client", "Browser & Sons").await;
    fill(c, "reason1", "never asked about the budget").await;
    // Suggestions while typing come from htmx, so they also prove the script runs under the CSP.
    let hint = wait_text(c, "#reason1-suggest", "didn't ask about budget").await;
    assert!(hint.contains("time this week"), "{hint}");
    fill(c, "do1", "ask in the first five minutes").await;
    fill(c, "reason2", "pitched features instead of benefits").await;
    // Wait for its suggestions: appearing later, they would move the button under the click.
    wait_text(c, "#reason2-suggest", "talked features, not benefits").await;
    fill(c, "better", "listen before pitching").await;
    screenshot(c, "log-form-filled-phone.png", "#reason1").await;
    submit(c, "form.contact-form button[type=submit]").await;
    let saved = text(c, ".saved").await;
    assert!(saved.contains("Saved.") && saved.contains("Browser & Sons: lost."), "{saved}");
    assert!(saved.contains("counts as “didn't ask about budget”"), "{saved}");
    screenshot(c, "log-saved-phone.png", "body").await;
}

async fn check_charts(c: &Client) {
    let charts = c.find_all(Locator::Css("svg.chart")).await.unwrap();
    assert_eq!(charts.len(), 2, "the success chart and the reasons chart");
    let drawn: f64 = c
        .execute("return Math.min(...[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().height))", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(drawn > 100.0, "both charts are drawn with a height ({drawn})");
    let dots = c.find_all(Locator::Css("svg.chart circle")).await.unwrap();
    assert!(dots.len() >= 10, "a dot per rated week: {}", dots.len());
}

/// "A lost call, one reason, what I'd do differently", from the week page,
/// counting the taps: the bar's Log, Lost, the client field, the reason
/// field, a suggestion (which fills the reason and moves on to "what I'd do
/// differently"), Save. The figure is printed and kept in `artifacts/taps.txt`.
async fn log_with_a_thumb(c: &Client, base: &str) {
    let mut taps = 0;
    c.goto(&format!("{base}/")).await.unwrap();
    for css in ["nav.tabbar a[href^='/log']", "label.choice input[value=lost] + span", "#client"] {
        submit(c, css).await;
        taps += 1;
    }
    c.active_element().await.unwrap().send_keys("Thumb & Co").await.unwrap();
    submit(c, "#reason1").await;
    taps += 1;
    c.active_element().await.unwrap().send_keys("never asked about the budget").await.unwrap();
    // The rep's own reason of these very words (kept earlier, then undone)
    // is offered first; the starter reason follows it.
    wait_text(c, "#reason1-suggest", "didn't ask about budget").await;
    submit(c, "#reason1-suggest button[data-value=\"didn't ask about budget\"]").await;
    taps += 1;
    let filled = c.find(Locator::Id("reason1")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(filled, "didn't ask about budget", "the tapped suggestion fills the field");
    let focused = c.active_element().await.unwrap().attr("id").await.unwrap().unwrap_or_default();
    assert_eq!(focused, "do1", "and moves on to what you'd do differently");
    c.active_element().await.unwrap().send_keys("ask it in the first call").await.unwrap();
    submit(c, "form.contact-form button[type=submit]").await;
    taps += 1;
    let saved = text(c, ".saved").await;
    assert!(saved.contains("Thumb & Co: lost.") && saved.contains("Back to Week"), "{saved}");
    println!("a lost call with one reason and what you'd do differently: {taps} taps");
    std::fs::write(artifacts().join("taps.txt"), format!("{taps} taps\n")).unwrap();
    assert_eq!(taps, 6);
}

/// On the saved page, "change" re-files a reason where it was counted: the
/// text is kept as written and counted where the tap said, with an Undo.
async fn change_a_filing(c: &Client) {
    let choices = c.find_all(Locator::Css("ul.filed form.refile button")).await.unwrap();
    assert!(!choices.is_empty(), "a counted reason offers a change");
    let label = choices[0].text().await.unwrap();
    submit(c, "ul.filed form.refile button").await;
    let said = wait_text(c, ".saved", "now counts as").await;
    assert!(said.contains("never asked about the budget"), "the text as written: {said} (after {label:?})");
    submit(c, ".saved form button").await;
    let undone = wait_text(c, ".saved", "now counts as “didn't ask about budget”").await;
    assert!(undone.contains("“never asked about the budget”"), "Undo puts it back: {undone}");
}

/// Logs a lost call with the keyboard alone: Tab to the outcome, arrows to
/// Lost, Tab to each field, typing, and Enter to save.
async fn log_with_the_keyboard(c: &Client, base: &str) {
    const TAB: &str = "\u{E004}";
    const RIGHT: &str = "\u{E014}";
    const ENTER: &str = "\u{E007}";
    async fn tab_to(c: &Client, what: &str) {
        for _ in 0..60 {
            let at = c.execute(&format!("const e = document.activeElement; return {what}"), vec![]).await.unwrap();
            if at.as_bool() == Some(true) {
                return;
            }
            c.active_element().await.unwrap().send_keys(TAB).await.unwrap();
        }
        panic!("Tab never reached {what}");
    }
    c.goto(&format!("{base}/log")).await.unwrap();
    tab_to(c, "e.name === 'outcome'").await;
    for _ in 0..8 {
        let lost =
            c.execute("return document.activeElement.value === 'lost' && document.activeElement.checked", vec![]);
        if lost.await.unwrap().as_bool() == Some(true) {
            break;
        }
        c.active_element().await.unwrap().send_keys(RIGHT).await.unwrap();
    }
    tab_to(c, "e.id === 'client'").await;
    c.active_element().await.unwrap().send_keys("Keys & Co").await.unwrap();
    tab_to(c, "e.id === 'reason1'").await;
    c.active_element().await.unwrap().send_keys("forgot to ask about their budget").await.unwrap();
    tab_to(c, "e.id === 'do1'").await;
    c.active_element().await.unwrap().send_keys("ask it in the first call").await.unwrap();
    c.active_element().await.unwrap().send_keys(ENTER).await.unwrap();
    let saved = wait_text(c, ".saved", "Saved.").await;
    assert!(saved.contains("Keys & Co: lost."), "{saved}");
}

/// axe-core (vendored, `vendor/README.md`) on every page, light and dark:
/// no serious or critical violation (run on a phone and on a laptop).
async fn audit_every_page(c: &Client, base: &str, screen: Screen) {
    const AXE: &str = include_str!("vendor/axe.min.js");
    c.goto(&format!("{base}/contacts")).await.unwrap();
    let contact =
        c.find(Locator::Css(".contact-list a[href^='/contacts/']")).await.unwrap().attr("href").await.unwrap();
    let contact = contact.unwrap_or_default();
    let pages = [
        "/".to_string(),
        "/log".into(),
        "/agenda".into(),
        "/today".into(),
        "/more".into(),
        "/own".into(),
        "/mishaps".into(),
        "/contacts".into(),
        contact.clone(),
        format!("{contact}/edit"),
        format!("{contact}/delete"),
        "/reasons".into(),
        "/focus".into(),
        "/review".into(),
        "/no-such-page".into(),
    ];
    let mut found = Vec::new();
    let mut audited = 0;
    let screen = if screen == Screen::Phone { "phone" } else { "laptop" };
    {
        for scheme in ["light", "dark"] {
            let media = json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]});
            c.issue_cmd(Cdp { cmd: "Emulation.setEmulatedMedia", params: media }).await.unwrap();
            for page in &pages {
                c.goto(&format!("{base}{page}")).await.unwrap();
                let dark =
                    c.execute("return matchMedia('(prefers-color-scheme: dark)').matches", vec![]).await.unwrap();
                assert_eq!(dark.as_bool(), Some(scheme == "dark"), "{page} in {scheme}");
                c.execute(&format!("{AXE}\n;return true"), vec![]).await.unwrap();
                let run = "const done = arguments[arguments.length - 1];
                    axe.run(document).then(r => done([r.passes.length, r.violations
                      .filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))]),
                      e => done([0, ['axe did not run: ' + e]]));";
                let result = c.execute_async(run, vec![]).await.unwrap();
                let passes = result[0].as_u64().unwrap_or_default();
                assert!(passes >= 10, "axe ran its rules on {page}: {result}");
                for v in result[1].as_array().into_iter().flatten() {
                    found.push(format!("{page} ({screen}, {scheme}): {}", v.as_str().unwrap_or_default()));
                }
                audited += 1;
                if matches!(page.as_str(), "/" | "/agenda" | "/log") && !(screen == "phone" && scheme == "light") {
                    let name = if page == "/" { "week" } else { page.trim_start_matches('/') };
                    screenshot(c, &format!("{name}-{screen}-{scheme}.png"), "main h1").await;
                }
            }
        }
    }
    println!("axe-core on a {screen}: {audited} pages audited (light and dark), {} serious or critical", found.len());
    assert!(found.is_empty(), "accessibility violations:\n{}", found.join("\n"));
}

/// A Chrome DevTools command through ChromeDriver (the emulated colour scheme).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

/// ChromeDriver's network conditions: with `offline`, the page has no network.
#[derive(Debug)]
struct NetworkConditions {
    offline: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let conditions = json!({"network_conditions": {
            "offline": self.offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1
        }});
        (axum::http::Method::POST, Some(conditions.to_string()))
    }
}

/// Waits until `script` (an expression) is true in the page.
async fn wait_until(c: &Client, script: &str) {
    let started = Instant::now();
    while started.elapsed() < PATIENCE {
        let value = c.execute(&format!("return Boolean({script})"), vec![]).await.unwrap();
        if value.as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true: {script}");
}

/// Without a network the log form still opens (from the service worker),
/// a contact saved there is kept on the phone, and it is logged when the
/// connection comes back.
async fn offline_a_contact_is_queued_then_logged(c: &Client, base: &str) {
    c.goto(&format!("{base}/log")).await.unwrap();
    wait_until(c, "navigator.serviceWorker && navigator.serviceWorker.controller").await;
    c.issue_cmd(NetworkConditions { offline: true }).await.unwrap();
    c.goto(&format!("{base}/log")).await.unwrap();
    assert_eq!(text(c, "main h1").await, "Log a contact", "the log form opens without a network");
    submit(c, "label.choice input[value=won] + span").await;
    fill(c, "client", "Offline Outfitters").await;
    // The time it happened (the page would take the phone's clock, which is not the server's pinned one here).
    c.execute("document.getElementById('at').value = '2026-11-27T10:00'", vec![]).await.unwrap();
    submit(c, "form.contact-form button[type=submit]").await;
    let queued = wait_text(c, "#queued", "saved on this phone").await;
    assert!(queued.starts_with("1 contact"), "{queued}");
    c.issue_cmd(NetworkConditions { offline: false }).await.unwrap();
    let sent = wait_text(c, "#queued", "Back online").await;
    assert!(sent.contains("1 contact saved on this phone is logged"), "{sent}");
    c.goto(&format!("{base}/contacts")).await.unwrap();
    wait_text(c, "main", "Offline Outfitters").await;
}

async fn merge_two_reasons(c: &Client, base: &str) {
    c.goto(&format!("{base}/reasons")).await.unwrap();
    fill(c, "from", "was late to the meeting").await;
    fill(c, "into", "didn't ask about budget").await;
    submit(c, "form[action='/reasons/merge'] button").await;
    let done = text(c, ".saved").await;
    assert!(done.contains("now counts as “didn't ask about budget”"), "{done}");
}

async fn set_a_focus(c: &Client, base: &str) {
    c.goto(&format!("{base}/focus")).await.unwrap();
    fill(c, "reason", "talked features, not benefits").await;
    submit(c, "form[action='/focus'] button.primary").await;
    wait_text(c, ".focus-line", "Your focus: talked features, not benefits").await;
    screenshot(c, "focus-phone.png", "body").await;
}

async fn review_an_email(c: &Client, base: &str) {
    c.goto(&format!("{base}/review")).await.unwrap();
    fill(c, "text", crate::review::EMAIL).await;
    submit(c, "form.review-form button.primary").await;
    let score = text(c, "#score-h").await;
    assert!(score.starts_with("Score ") && score.contains("(e-mail)"), "{score}");
    let marked = text(c, ".review-lines mark.s-benefit").await;
    assert!(marked.starts_with("benefit You will close deals"), "{marked}");
    let typed = c.find(Locator::Id("text")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(typed.replace("\r\n", "\n"), crate::review::EMAIL, "the text as typed is kept");
    screenshot(c, "review-phone.png", "#findings-h").await;
}

/// Answers today's question, then opens the agenda, own-up and recover pages.
async fn the_daily_question_and_the_loop_pages(c: &Client, base: &str) {
    c.goto(&format!("{base}/today")).await.unwrap();
    fill(c, "items", "ask for the next meeting before hanging up").await;
    submit(c, "form[action='/today'] button.primary").await;
    let saved = wait_text(c, ".saved", "Saved.").await;
    assert!(saved.contains("1 thing to do better"), "{saved}");
    assert!(text(c, ".numbers").await.contains("answered"), "today counts as answered");
    screenshot(c, "today-phone.png", "h1").await;
    for (path, heading) in [("/agenda", "Agenda"), ("/own", "Own up"), ("/mishaps", "Recover")] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        assert_eq!(text(c, "main h1").await, heading, "{path}");
    }
}

async fn keyboard_reaches_the_skip_link(c: &Client, base: &str) {
    c.goto(&format!("{base}/")).await.unwrap();
    c.find(Locator::Css("body")).await.unwrap().send_keys("\u{E004}").await.unwrap();
    let first = c.active_element().await.unwrap().text().await.unwrap();
    assert_eq!(first, "Skip to content", "the first Tab reaches the skip link");
}
