//! The OpenAPI document matches what the server does: every documented
//! operation exists, every route is documented, and real responses conform to
//! the documented schemas (a small JSON Schema check; schemathesis in
//! `.ci/schemathesis.sh` goes further).

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestApp, lost, request};
use crate::review::{CALL, EMAIL};

async fn document(t: &TestApp) -> Value {
    let res = t.get("/api/v1/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/json");
    res.json()
}

fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.push((method.to_uppercase(), path.clone()));
        }
    }
    ops.sort();
    ops
}

#[tokio::test]
async fn the_document_lists_exactly_the_api_routes() {
    let t = TestApp::sqlite().await;
    let doc = document(&t).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected: Vec<(String, String)> = [
        ("DELETE", "/api/v1/contacts/{id}"),
        ("DELETE", "/api/v1/focus"),
        ("GET", "/api/v1/agenda"),
        ("GET", "/api/v1/contacts"),
        ("GET", "/api/v1/contacts/{id}"),
        ("GET", "/api/v1/export"),
        ("GET", "/api/v1/focus"),
        ("GET", "/api/v1/follow-ups.ics"),
        ("GET", "/api/v1/mishaps"),
        ("GET", "/api/v1/own"),
        ("GET", "/api/v1/reasons"),
        ("GET", "/api/v1/reasons/suggest"),
        ("GET", "/api/v1/reasons/vocabulary"),
        ("GET", "/api/v1/today"),
        ("GET", "/api/v1/trend"),
        ("GET", "/api/v1/triage"),
        ("GET", "/api/v1/week"),
        ("GET", "/api/v1/zone"),
        ("PATCH", "/api/v1/contacts/{id}"),
        ("POST", "/api/v1/apology"),
        ("POST", "/api/v1/contacts"),
        ("POST", "/api/v1/contacts/{id}/refile"),
        ("POST", "/api/v1/follow-ups"),
        ("POST", "/api/v1/follow-ups/{id}/done"),
        ("POST", "/api/v1/follow-ups/{id}/snooze"),
        ("POST", "/api/v1/mishaps"),
        ("POST", "/api/v1/mishaps/{id}/steps"),
        ("POST", "/api/v1/own/{id}/commit"),
        ("POST", "/api/v1/own/{id}/owned"),
        ("POST", "/api/v1/reasons/merge"),
        ("POST", "/api/v1/reasons/rename"),
        ("POST", "/api/v1/review"),
        ("POST", "/api/v1/triage/{id}"),
        ("PUT", "/api/v1/focus"),
        ("PUT", "/api/v1/today"),
        ("PUT", "/api/v1/zone"),
    ]
    .iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    assert_eq!(operations(&doc), expected);
    for (method, path) in operations(&doc) {
        let req = request(method.parse().unwrap(), &path.replace("{id}", "1")).body(Body::empty()).unwrap();
        let res = t.send(req).await;
        assert!(res.status != StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {}", res.body);
        assert!(!res.body.contains("no such API route"), "{method} {path}");
    }
}

#[tokio::test]
async fn real_responses_conform_to_the_document() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let doc = document(&t).await;
    let id = t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/week".into(), None),
        (Method::GET, "/api/v1/week?week=2026-W10".into(), None),
        (Method::GET, "/api/v1/trend".into(), None),
        (Method::GET, "/api/v1/contacts?limit=5".into(), None),
        (Method::GET, format!("/api/v1/contacts/{id}"), None),
        (Method::GET, "/api/v1/reasons".into(), None),
        (Method::GET, "/api/v1/reasons/vocabulary".into(), None),
        (Method::GET, "/api/v1/reasons/suggest?text=budget".into(), None),
        (Method::GET, "/api/v1/focus".into(), None),
        (Method::GET, "/api/v1/zone".into(), None),
        (Method::PUT, "/api/v1/zone".into(), Some(json!({"tz": "Europe/Berlin"}))),
        (Method::POST, "/api/v1/contacts".into(), Some(lost("Birch", "no budget discussion", "late"))),
        (Method::PATCH, format!("/api/v1/contacts/{id}"), Some(json!({"better": null}))),
        (Method::POST, format!("/api/v1/contacts/{id}/refile"), Some(json!({"text": "talked features", "new": true}))),
        (Method::PUT, "/api/v1/focus".into(), Some(json!({"reason": "#2"}))),
        (Method::POST, "/api/v1/reasons/rename".into(), Some(json!({"reason": "#2", "label": "budget never came up"}))),
        (Method::POST, "/api/v1/reasons/merge".into(), Some(json!({"from": "#3", "into": "#2"}))),
        (Method::DELETE, "/api/v1/focus".into(), None),
        (Method::DELETE, format!("/api/v1/contacts/{id}"), None),
        (Method::GET, format!("/api/v1/contacts/{id}"), None),
        (Method::GET, "/api/v1/week?week=nope".into(), None),
        (Method::POST, "/api/v1/contacts".into(), Some(json!({"client": "A", "outcome": "lost"}))),
        (Method::POST, "/api/v1/review".into(), Some(json!({"text": EMAIL}))),
        (Method::POST, "/api/v1/review".into(), Some(json!({"text": CALL, "me": "Sam", "name": "call.txt"}))),
        (Method::POST, "/api/v1/review".into(), Some(json!({"text": " "}))),
    ];
    for (method, uri, body) in cases {
        let res = match body {
            Some(b) => t.json(method.clone(), &uri, b).await,
            None => t.send(request(method.clone(), &uri).body(Body::empty()).unwrap()).await,
        };
        let path = uri.split('?').next().unwrap().replace(&id.to_string(), "{id}");
        let op = &doc["paths"][&path][method.as_str().to_lowercase()];
        let schema = &op["responses"][res.status.as_u16().to_string()]["content"]["application/json"]["schema"];
        assert!(!schema.is_null(), "{method} {uri}: status {} is not documented", res.status);
        let errors = check(&doc, schema, &res.json(), "$");
        assert!(errors.is_empty(), "{method} {uri}: {errors:#?}\n{}", res.body);
    }
}

/// The JSON Schema keywords utoipa emits, checked against a value.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at);
    }
    let mut errors = Vec::new();
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array())
        && !options.iter().any(|s| check(doc, s, value, at).is_empty())
    {
        errors.push(format!("{at}: matches none of {options:?}"));
    }
    for s in schema["allOf"].as_array().into_iter().flatten() {
        errors.extend(check(doc, s, value, at));
    }
    if let Some(types) = types(&schema["type"])
        && !types.iter().any(|t| is_type(t, value))
    {
        errors.push(format!("{at}: {value} is not {types:?}"));
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        errors.push(format!("{at}: {value} not in {values:?}"));
    }
    if let Some(min) = schema["minimum"].as_f64()
        && value.as_f64().is_some_and(|v| v < min)
    {
        errors.push(format!("{at}: {value} < {min}"));
    }
    errors.extend(check_object(doc, schema, value, at));
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            errors.extend(check(doc, items, v, &format!("{at}[{i}]")));
        }
    }
    errors
}

fn check_object(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(object) = value.as_object() else { return errors };
    for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !object.contains_key(name) {
            errors.push(format!("{at}: missing required {name}"));
        }
    }
    let properties = schema["properties"].as_object();
    for (name, v) in object {
        match properties.and_then(|p| p.get(name)) {
            Some(s) => errors.extend(check(doc, s, v, &format!("{at}.{name}"))),
            None if schema["additionalProperties"] == json!(false) || properties.is_some() => {
                errors.push(format!("{at}: undocumented property {name}"));
            }
            None => {}
        }
    }
    errors
}

fn types(t: &Value) -> Option<Vec<&str>> {
    match t {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(a) => Some(a.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

fn is_type(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Keyword fields are read as text (so a wrong word gets the application's
/// message) but documented as enums of the domain's words, with what the body
/// requires.
#[tokio::test]
async fn keyword_fields_are_documented_as_their_words() {
    let t = TestApp::sqlite().await;
    let doc = document(&t).await;
    let schemas = &doc["components"]["schemas"];
    let words = |schema: &str, field: &str| -> Vec<String> {
        let mut property = schemas[schema]["properties"][field].clone();
        if let Some(options) = property["oneOf"].as_array().cloned() {
            property = options.into_iter().find(|o| o["enum"].is_array()).unwrap_or_default();
        }
        let values = property["enum"].as_array().unwrap_or_else(|| panic!("{schema}.{field}: {property}"));
        values.iter().filter_map(Value::as_str).map(String::from).collect()
    };
    assert!(words("NewContactBody", "outcome").contains(&"no-answer".to_string()));
    assert!(words("NewContactBody", "channel").contains(&"online-meeting".to_string()));
    assert!(words("ContactPatchBody", "outcome").contains(&"won".to_string()));
    assert_eq!(words("OwnedBody", "how"), ["call", "email", "in-person"]);
    assert!(words("NewMishapBody", "kind").contains(&"missed-meeting".to_string()));
    assert!(words("StepBody", "step").contains(&"asked-advice".to_string()));
    let required = |schema: &str| schemas[schema]["required"].clone();
    assert_eq!(required("NewContactBody"), json!(["client", "outcome"]));
    assert_eq!(required("OwnedBody"), json!(["how", "said"]));
}
