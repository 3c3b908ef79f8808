//! sosik's web UI: the search page and item pages, rendered in the browser (Leptos, client-side rendering).
//!
//! Built for wasm32 by `scripts/build-web.sh` into `web/dist/`, which the server serves at `/`.
//! The query lives in the URL (`/?q=…`), so a search can be shared, reloaded and walked back.

mod api;
mod routes;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use routes::item::ItemPage;
use routes::search::{LastSearch, SearchPage};

#[component]
fn App() -> impl IntoView {
    provide_context(LastSearch(RwSignal::new(None)));
    view! {
        <Router>
            <header class="site">
                <h1><A href="/">"소식 "<span class="latin">"sosik"</span></A></h1>
                <p class="tagline">"AI 업계 소식 검색"</p>
            </header>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=SearchPage />
                    <Route path=path!("/items/:id") view=ItemPage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <p class="status error">"페이지를 찾을 수 없습니다. "<A href="/">"검색으로 돌아가기"</A></p>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
