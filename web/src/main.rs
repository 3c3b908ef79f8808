//! sosik's web UI, rendered in the browser (Leptos, client-side rendering): search, item pages,
//! companies, topics and names (people, products, organisations), the timeline, story threads
//! with where each story came from (출처 계보, and `/relays`: each blog's relay lag), and 새 소식 for what this browser follows (`follows.rs`).
//!
//! Built for wasm32 by `scripts/build-web.sh` into `web/dist/`, which the server serves at `/`.
//! Every page's state lives in its URL (`/?q=…`, `/timeline?company=…&bucket=…`), so a page can be
//! shared, reloaded and walked back.

mod api;
mod chart;
mod components;
mod dates;
mod follows;
mod names;
mod routes;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::path;
use sosik_types::EntityKind;

use routes::entity::{EntityIndex, EntityPage, NameIndex};
use routes::item::ItemPage;
use routes::relays::RelaysPage;
use routes::search::{LastSearch, SearchPage};
use routes::story::StoryPage;
use routes::timeline::TimelinePage;
use routes::updates::UpdatesPage;

#[component]
fn App() -> impl IntoView {
    provide_context(LastSearch(RwSignal::new(None)));
    names::Catalog::provide();
    follows::Follows::provide();
    view! {
        <Router>
            <header class="site">
                <h1><a href="/">"소식 "<span class="latin">"sosik"</span></a></h1>
                <SiteNav />
            </header>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=SearchPage />
                    <Route path=path!("/items/:id") view=ItemPage />
                    <Route path=path!("/companies") view=|| view! { <EntityIndex kind=EntityKind::Company /> } />
                    <Route path=path!("/companies/:slug") view=|| view! { <EntityPage kind=EntityKind::Company /> } />
                    <Route path=path!("/topics") view=|| view! { <EntityIndex kind=EntityKind::Topic /> } />
                    <Route path=path!("/topics/:slug") view=|| view! { <EntityPage kind=EntityKind::Topic /> } />
                    <Route path=path!("/names") view=NameIndex />
                    <Route path=path!("/names/:slug") view=|| view! { <EntityPage kind=EntityKind::Person /> } />
                    <Route path=path!("/timeline") view=TimelinePage />
                    <Route path=path!("/stories/:id") view=StoryPage />
                    <Route path=path!("/new") view=UpdatesPage />
                    <Route path=path!("/relays") view=RelaysPage />
                </Routes>
            </main>
        </Router>
    }
}

/// 검색 · 회사 · 주제 · 이름 · 타임라인 · 새 소식; the section the page belongs to is marked `aria-current="page"`.
#[component]
fn SiteNav() -> impl IntoView {
    let location = use_location();
    let section = Memo::new(move |_| {
        let path = location.pathname.get();
        let first = path.trim_start_matches('/').split('/').next().unwrap_or_default().to_owned();
        match first.as_str() {
            "" | "items" => "search",
            "companies" => "companies",
            "topics" => "topics",
            "names" => "names",
            "timeline" => "timeline",
            "new" => "new",
            _ => "",
        }
    });
    let link = move |key: &'static str, href: &'static str, label: &'static str| {
        view! { <li><a href=href aria-current=move || (section.get() == key).then_some("page")>{label}</a></li> }
    };
    view! {
        <nav class="site-nav" aria-label="사이트">
            <ul>
                {link("search", "/", "검색")}
                {link("companies", "/companies", "회사")}
                {link("topics", "/topics", "주제")}
                {link("names", "/names", "이름")}
                {link("timeline", "/timeline", "타임라인")}
                {link("new", "/new", "새 소식")}
            </ul>
        </nav>
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
