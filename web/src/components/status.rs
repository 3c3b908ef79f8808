//! The status line of a part of a page whose data is loading or failed to load. `main` marks
//! the page's own status line (`id="status"`, announced to screen readers as it changes), which
//! the browser tests wait on; a panel's line (home page, similar items) has neither.

use leptos::prelude::*;

use crate::api::ApiError;

/// "불러오는 중…" while a request runs.
pub fn loading(main: bool) -> AnyView {
    if main {
        view! { <p id="status" class="status" role="status">"불러오는 중…"</p> }.into_any()
    } else {
        view! { <p class="status">"불러오는 중…"</p> }.into_any()
    }
}

/// Why a request failed, in words (see [`ApiError`]'s `Display`).
pub fn failed(e: &ApiError, main: bool) -> AnyView {
    let id = main.then_some("status");
    view! { <p id=id class="status error">{e.to_string()}</p> }.into_any()
}
