//! The OpenAPI 3.1 document of the JSON API, generated from the code: the handlers'
//! `#[utoipa::path]` attributes, the wire types of `sosik-types` (its `openapi` feature derives
//! their schemas) and the error table of `error.rs`. Served at `GET /api/openapi.json`.
//!
//! `server/tests/openapi.rs` checks that every route of the router is in it and that real
//! answers (successes and errors) validate against it.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::schema::{Object, Schema, SchemaType, Type};
use utoipa::openapi::{RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorCode;
use crate::params::Bounds;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sosik API",
        description = "Hybrid search (Korean BM25 + multilingual embeddings) over Korean AI-news digest \
                       items. Every error is `{\"error\": {\"code\", \"message\"}}`; the codes and their \
                       statuses are listed on the `ErrorDetail` schema.",
    ),
    paths(
        serve,
        crate::health,
        crate::search,
        crate::item,
        crate::similar,
        crate::suggest,
        crate::explore::companies,
        crate::explore::company,
        crate::explore::topics,
        crate::explore::topic,
        crate::explore::timeline,
        crate::explore::stories,
        crate::explore::story,
        crate::explore::trending,
        crate::explore::relays,
        crate::explore::names,
        crate::explore::name,
        crate::explore::search_feed,
        crate::explore::company_feed,
        crate::explore::topic_feed,
        crate::explore::name_feed,
        crate::explore::story_feed,
    ),
    // parameters' schemas are not collected from the paths, only bodies' are
    components(schemas(
        sosik_types::ErrorBody,
        sosik_types::SearchMode,
        sosik_types::SortOrder,
        sosik_types::Interval,
        sosik_types::EntityKind
    )),
    tags(
        (name = "search", description = "Hybrid search over the news items"),
        (name = "items", description = "One item and its nearest neighbours"),
        (name = "explore", description = "Companies, topics, names, timelines, story threads and trends"),
        (name = "feeds", description = "Atom feeds (`application/atom+xml`) of searches, companies, topics, names and stories"),
        (name = "meta", description = "Liveness and this document"),
    ),
    modifiers(&ErrorTable, &Bounds),
)]
struct ApiDoc;

/// The document as a value (the tests compare the router against it).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

static DOCUMENT_JSON: LazyLock<String> =
    LazyLock::new(|| document().to_pretty_json().expect("the OpenAPI document serialises to JSON"));

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object,
               content_type = "application/json")),
)]
pub(crate) async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT_JSON.as_str())
}

/// Every error code: what it means, and whether any endpoint can give it (the limits, the
/// request timeout and engine failures) rather than only those that list it. The match is
/// exhaustive, so a code added to the table in `error.rs` does not compile until it is described
/// here; the schema test checks that [`CODES`] names each of them.
fn meaning(code: ErrorCode) -> (&'static str, bool) {
    match code {
        ErrorCode::InvalidParameter => {
            ("a parameter is malformed, out of its bounds or given twice (the message names it)", false)
        }
        ErrorCode::UnknownParameter => ("a query parameter the endpoint does not take", false),
        ErrorCode::NotFound => ("no such item, company, topic, story or API endpoint", false),
        ErrorCode::RequestTooLarge => ("the request has a body; the API is GET-only and takes none", true),
        ErrorCode::UriTooLong => ("the request line is longer than the server accepts", true),
        ErrorCode::HeadersTooLarge => ("the request headers are larger than the server accepts", true),
        ErrorCode::Overloaded => {
            ("every engine slot is busy and the queue is full; retry after `Retry-After` seconds", true)
        }
        ErrorCode::Timeout => {
            ("the request did not finish within the request timeout; retry after `Retry-After` seconds", true)
        }
        ErrorCode::Internal => ("the engine failed; details are in the server log", true),
    }
}

const CODES: &[ErrorCode] = &[
    ErrorCode::InvalidParameter,
    ErrorCode::UnknownParameter,
    ErrorCode::NotFound,
    ErrorCode::RequestTooLarge,
    ErrorCode::UriTooLong,
    ErrorCode::HeadersTooLarge,
    ErrorCode::Overloaded,
    ErrorCode::Timeout,
    ErrorCode::Internal,
];

/// Writes the error table into the document: `ErrorDetail.code` becomes an enum of the codes
/// (with their statuses and meanings), every operation lists the statuses of the codes any
/// endpoint can give, and each error response says which codes it carries.
struct ErrorTable;

impl Modify for ErrorTable {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let table: String = CODES
            .iter()
            .map(|c| format!("\n- `{}` ({}): {}", c.as_str(), c.status().as_u16(), meaning(*c).0))
            .collect();
        let components = openapi.components.get_or_insert_with(Default::default);
        if let Some(RefOr::T(Schema::Object(detail))) = components.schemas.get_mut("ErrorDetail") {
            let mut code = Object::with_type(SchemaType::Type(Type::String));
            code.enum_values = Some(CODES.iter().map(|c| c.as_str().into()).collect());
            code.description = Some(format!("Stable error code; the HTTP status follows from it:{table}"));
            detail.properties.insert("code".into(), RefOr::T(Schema::Object(code)));
        }
        let error_body = || {
            utoipa::openapi::ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("ErrorBody"))))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for op in
                [&mut item.get, &mut item.head, &mut item.post, &mut item.put, &mut item.delete].into_iter().flatten()
            {
                for code in CODES.iter().filter(|c| meaning(**c).1) {
                    let status = code.status().as_u16().to_string();
                    op.responses.responses.entry(status).or_insert_with(|| RefOr::T(Response::new("")));
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    let Ok(status) = status.parse::<u16>() else { continue };
                    let RefOr::T(response) = response else { continue };
                    if status < 400 {
                        continue;
                    }
                    let codes: Vec<String> = CODES
                        .iter()
                        .filter(|c| c.status().as_u16() == status)
                        .map(|c| format!("\n- `{}`: {}", c.as_str(), meaning(*c).0))
                        .collect();
                    let lead = response.description.trim();
                    let lead = if lead.is_empty() { "Error" } else { lead };
                    response.description = format!("{lead}. Codes:{}", codes.concat());
                    response.content.entry("application/json".into()).or_insert_with(error_body);
                }
            }
        }
    }
}
