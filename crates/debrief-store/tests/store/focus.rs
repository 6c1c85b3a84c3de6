//! A rep's focus: set, replaced and cleared.

use debrief_core::model::ReasonId;
use debrief_store::{Store, StoreError};

use crate::harness::{at, cases, reasons};

cases!(focus_is_set_replaced_and_cleared);

async fn focus_is_set_replaced_and_cleared(store: &dyn Store) {
    let [late, price] = reasons(store, &["late", "price"]).await[..] else { panic!() };
    let ana = store.rep("ana").await.unwrap();
    let bo = store.rep("bo").await.unwrap();
    assert_eq!(store.focus(ana).await.unwrap(), None);

    store.set_focus(ana, late, at("2026-03-02T09:00:00Z")).await.unwrap();
    store.set_focus(bo, price, at("2026-03-02T09:00:00Z")).await.unwrap();
    store.set_focus(ana, price, at("2026-03-09T09:00:00Z")).await.unwrap();

    let focus = store.focus(ana).await.unwrap().unwrap();
    assert_eq!((focus.rep, focus.reason.id, focus.set_at), (ana, price, at("2026-03-09T09:00:00Z")));
    assert_eq!(focus.reason.label, "price");
    store.clear_focus(ana, at("2026-03-16T09:00:00Z")).await.unwrap();
    assert_eq!(store.focus(ana).await.unwrap(), None);
    assert_eq!(store.focus(bo).await.unwrap().unwrap().reason.id, price, "bo's focus stays");
    let err = store.clear_focus(ana, at("2026-03-17T09:00:00Z")).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: "focus", .. }), "{err}");
    let err = store.set_focus(ana, ReasonId(price.0 + 100), at("2026-03-17T09:00:00Z")).await;
    assert!(matches!(err, Err(StoreError::NotFound { what: "reason", .. })));
}
