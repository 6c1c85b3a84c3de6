//! Reading contacts back: by week, outcome, reason and client, paged and
//! counted; which clients were won; lessons written earlier.

use debrief_core::model::{ContactId, Outcome, ReasonId, RepId};
use debrief_store::{ContactQuery, Store};

use crate::harness::{at, cases, contact, note, reasons};

cases!(
    queries_filter_order_and_page,
    counts_ignore_limit_and_offset,
    clients_won_before_a_time,
    lessons_are_the_newest_per_reason,
);

/// Two reps, contacts over three weeks (2026-W09 to W11), reasons `price` and `late`.
struct Week {
    ana: RepId,
    price: ReasonId,
    late: ReasonId,
    /// Ana's contacts in time order: W09, four in W10, W11.
    ana_ids: Vec<ContactId>,
    bo_id: ContactId,
}

async fn week(store: &dyn Store) -> Week {
    let [price, late] = reasons(store, &["price", "late"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    let plan: [(&str, &str, Outcome, &[ReasonId]); 6] = [
        ("Acme", "2026-02-24T10:00:00Z", Outcome::Lost, &[price]),
        ("Beta", "2026-03-02T00:00:00Z", Outcome::Won, &[]),
        ("Acme", "2026-03-03T10:00:00Z", Outcome::Lost, &[late, price]),
        ("Gamma", "2026-03-05T16:00:00Z", Outcome::NoAnswer, &[]),
        ("Beta", "2026-03-08T23:59:59Z", Outcome::Lost, &[late]),
        ("Delta", "2026-03-09T00:00:00Z", Outcome::Won, &[]),
    ];
    let mut ana_ids = Vec::new();
    for (client, when, outcome, rs) in plan {
        let mut c = contact(ana, client, when, outcome);
        c.reasons = rs.iter().map(|&r| note(r, "as written", None)).collect();
        ana_ids.push(store.log_contact(&c).await.unwrap());
    }
    let mut b = contact(bo, "Acme", "2026-03-03T11:00:00Z", Outcome::Lost);
    b.reasons = vec![note(price, "too dear", None)];
    let bo_id = store.log_contact(&b).await.unwrap();
    Week { ana, price, late, ana_ids, bo_id }
}

impl Week {
    fn w10(&self) -> ContactQuery {
        ContactQuery {
            rep: Some(self.ana),
            from: Some(at("2026-03-02T00:00:00Z")),
            to: Some(at("2026-03-09T00:00:00Z")),
            ..Default::default()
        }
    }

    /// Ana's contacts by their index in the plan.
    fn ana(&self, indexes: &[usize]) -> Vec<ContactId> {
        indexes.iter().map(|&i| self.ana_ids[i]).collect()
    }
}

async fn ids(store: &dyn Store, query: ContactQuery) -> Vec<ContactId> {
    store.contacts(&query).await.unwrap().iter().map(|c| c.id).collect()
}

async fn queries_filter_order_and_page(store: &dyn Store) {
    let w = week(store).await;

    assert_eq!(ids(store, w.w10()).await, w.ana(&[1, 2, 3, 4]), "the week, oldest first");
    let lost = ContactQuery { outcome: Some(Outcome::Lost), ..w.w10() };
    assert_eq!(ids(store, lost.clone()).await, w.ana(&[2, 4]));
    let price = ContactQuery { reason: Some(w.price), ..lost };
    assert_eq!(ids(store, price).await, w.ana(&[2]));
    let everyone = ContactQuery { reason: Some(w.price), ..Default::default() };
    let mut expected = w.ana(&[0, 2]);
    expected.push(w.bo_id);
    assert_eq!(ids(store, everyone).await, expected, "every rep's, oldest first");

    let page = |limit, offset| ContactQuery { limit, offset, ..w.w10() };
    assert_eq!(ids(store, page(Some(2), 0)).await, w.ana(&[4, 3]), "newest first");
    assert_eq!(ids(store, page(Some(2), 1)).await, w.ana(&[3, 2]));
    assert_eq!(ids(store, page(Some(2), 3)).await, w.ana(&[1]));
    assert_eq!(ids(store, page(None, 1)).await, w.ana(&[2, 3, 4]));
    assert!(ids(store, page(Some(0), 0)).await.is_empty());

    let read = store.contacts(&w.w10()).await.unwrap();
    let reasons: Vec<ReasonId> = read[1].reasons.iter().map(|r| r.reason).collect();
    assert_eq!(reasons, [w.late, w.price], "reasons in the order written");
    assert_eq!(store.contact(w.ana_ids[2]).await.unwrap(), read[1]);
    let acme = ContactQuery { client: Some(read[1].client), ..Default::default() };
    assert_eq!(ids(store, acme).await, w.ana(&[0, 2]));
}

async fn counts_ignore_limit_and_offset(store: &dyn Store) {
    let w = week(store).await;
    assert_eq!(store.count_contacts(&w.w10()).await.unwrap(), 4);
    let paged = ContactQuery { limit: Some(1), offset: 2, ..w.w10() };
    assert_eq!(store.count_contacts(&paged).await.unwrap(), 4);
    let late = ContactQuery { reason: Some(w.late), ..w.w10() };
    assert_eq!(store.count_contacts(&late).await.unwrap(), 2);
    assert_eq!(store.count_contacts(&ContactQuery::default()).await.unwrap(), 7);
}

async fn clients_won_before_a_time(store: &dyn Store) {
    let w = week(store).await;
    let all = store.contacts(&ContactQuery { rep: Some(w.ana), ..Default::default() }).await.unwrap();
    let client = |i: usize| all[i].client;
    let (acme, beta, gamma, delta) = (client(0), client(1), client(3), client(5));
    let asked = [delta, acme, gamma, beta];

    let won = store.clients_won(&asked, at("2026-03-09T00:00:00Z")).await.unwrap();
    assert_eq!(won, [beta], "a win at `until` is not before it");
    let won = store.clients_won(&asked, at("2026-03-10T00:00:00Z")).await.unwrap();
    assert_eq!(won, [delta, beta], "in the order asked");
    assert!(store.clients_won(&[], at("2027-01-01T00:00:00Z")).await.unwrap().is_empty());
}

async fn lessons_are_the_newest_per_reason(store: &dyn Store) {
    let [price, late] = reasons(store, &["price", "late"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    let lines = [
        (ana, "2026-03-01T09:00:00Z", price, Some("anchor on value first")),
        (ana, "2026-03-02T09:00:00Z", price, Some("")),
        (ana, "2026-03-02T10:00:00Z", late, Some("leave earlier")),
        (ana, "2026-03-03T09:00:00Z", price, Some("send the ROI sheet")),
        (ana, "2026-03-04T09:00:00Z", price, Some("   ")),
        (ana, "2026-03-04T10:00:00Z", price, None),
        (bo, "2026-03-04T11:00:00Z", price, Some("bo's own lesson")),
        (ana, "2026-03-05T09:00:00Z", price, Some("ask for the budget early")),
        (ana, "2026-03-10T09:00:00Z", price, Some("after the cut-off")),
    ];
    for (rep, when, reason, line) in lines {
        let mut c = contact(rep, "Acme", when, Outcome::Lost);
        c.reasons = vec![note(reason, "as written", line)];
        store.log_contact(&c).await.unwrap();
    }
    let before = at("2026-03-06T00:00:00Z");

    let lessons = store.lessons(ana, &[late, price], before, 2).await.unwrap();
    let got: Vec<(ReasonId, &str)> = lessons.iter().map(|l| (l.reason, l.text.as_str())).collect();
    assert_eq!(got, [(late, "leave earlier"), (price, "ask for the budget early"), (price, "send the ROI sheet")]);
    assert_eq!(lessons[1].at, at("2026-03-05T09:00:00Z"));
    let lessons = store.lessons(ana, &[price], before, 1).await.unwrap();
    assert_eq!(lessons.len(), 1);
    assert!(store.lessons(ana, &[], before, 3).await.unwrap().is_empty());
}
