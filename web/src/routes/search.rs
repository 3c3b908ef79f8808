//! `/` and `/?q=…`: the search form, a status line and the list of hits.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use sosik_types::{Hit, SearchResponse, Source};

use crate::api::{self, ApiError};

/// What the page shows for the query in the URL.
#[derive(Clone, Debug, PartialEq)]
enum State {
    /// No query yet.
    Idle,
    /// The answer for the current query has not arrived.
    Loading,
    Done(Result<SearchResponse, ApiError>),
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").map(|q| q.trim().to_owned()).unwrap_or_default());

    // Each answer carries the query it belongs to: while the next one loads, the last one is
    // recognisably stale (and stays on screen, dimmed, instead of flashing away).
    let answer = LocalResource::new(move || {
        let q = q.get();
        async move {
            let result = if q.is_empty() { None } else { Some(api::search(&q).await) };
            (q, result)
        }
    });
    let state = Memo::new(move |_| {
        let q = q.get();
        if q.is_empty() {
            return State::Idle;
        }
        match answer.get() {
            Some((for_q, Some(result))) if for_q == q => State::Done(result),
            _ => State::Loading,
        }
    });
    let hits = Memo::new(move |_| {
        if q.with(String::is_empty) {
            return Vec::new();
        }
        match answer.get() {
            Some((_, Some(Ok(resp)))) => resp.hits,
            _ => Vec::new(),
        }
    });

    // Submitting navigates to /?q=…: the URL is the one source of the query (shareable, back/forward).
    let navigate = use_navigate();
    let input = NodeRef::<html::Input>::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = input.get().map(|i| i.value()).unwrap_or_default();
        let value = value.trim();
        let to = if value.is_empty() { "/".to_owned() } else { format!("/?q={}", encode_uri_component(value)) };
        navigate(&to, Default::default());
    };

    Effect::new(move |_| {
        let q = q.get();
        let title = if q.is_empty() { "소식 sosik".to_owned() } else { format!("{q} – 소식 sosik") };
        document().set_title(&title);
    });

    view! {
        <div role="search">
            <form method="get" action="/" on:submit=on_submit>
                <label for="q">"검색어"</label>
                <div class="row">
                    <input
                        node_ref=input
                        id="q"
                        name="q"
                        type="search"
                        prop:value=move || q.get()
                        placeholder="예: 앤트로픽, 오픈AI 투자, 반도체"
                        autocomplete="off"
                        autofocus
                    />
                    <button type="submit">"검색"</button>
                </div>
            </form>
        </div>
        <p
            id="status"
            role="status"
            aria-live="polite"
            class="status"
            class:error=move || matches!(state.get(), State::Done(Err(_)))
        >
            {move || status_text(&q.get(), &state.get())}
        </p>
        <ol
            id="results"
            class:stale=move || state.get() == State::Loading
            aria-busy=move || (state.get() == State::Loading).to_string()
        >
            {move || hits.get().into_iter().map(|hit| view! { <HitItem hit /> }).collect_view()}
        </ol>
    }
}

fn status_text(q: &str, state: &State) -> String {
    match state {
        State::Idle => "검색어를 입력하고 Enter를 누르세요.".to_owned(),
        State::Loading => format!("‘{q}’ 검색 중…"),
        State::Done(Err(e)) => e.to_string(),
        State::Done(Ok(resp)) if resp.total == 0 => format!("‘{q}’에 대한 검색 결과가 없습니다."),
        State::Done(Ok(resp)) => {
            let shown = resp.hits.len() as u64;
            let more = if resp.total > shown { format!(" 중 상위 {shown}건") } else { String::new() };
            format!("‘{q}’ 검색 결과 {}건{more} ({:.0} ms)", resp.total, resp.took_ms)
        }
    }
}

#[component]
fn HitItem(hit: Hit) -> impl IntoView {
    let Hit { title, date, snippet, companies, topics, sources, .. } = hit;
    let has_chips = !companies.is_empty() || !topics.is_empty();
    let has_sources = !sources.is_empty();
    view! {
        <li class="hit">
            <h3>{title}</h3>
            <p class="meta">
                <time datetime=date.clone()>{korean_date(&date)}</time>
            </p>
            // The server HTML-escapes snippets and only adds <mark> around matches.
            <p class="snippet" inner_html=snippet></p>
            {has_chips.then(|| view! {
                <ul class="chips" aria-label="회사와 주제">
                    {companies.into_iter().map(|c| view! { <li class="chip company">{c}</li> }).collect_view()}
                    {topics.into_iter().map(|t| view! { <li class="chip topic">"#"{t}</li> }).collect_view()}
                </ul>
            })}
            {has_sources.then(|| view! {
                <ul class="sources" aria-label="출처">
                    {sources.into_iter().map(|s| view! { <li><SourceLink source=s /></li> }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn SourceLink(source: Source) -> impl IntoView {
    let Source { title, url } = source;
    let label = if title.trim().is_empty() { url.clone() } else { title };
    // Only web links become links: a post could cite anything, javascript: included.
    let href = (url.starts_with("https://") || url.starts_with("http://")).then_some(url);
    view! { <a href=href rel="noopener noreferrer" target="_blank">{label}</a> }
}

/// Like JavaScript's `encodeURIComponent`: UTF-8, percent-encoded, but for A–Z a–z 0–9 `-_.!~*'()`.
fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `2026-11-21` → `2026년 11월 21일`; anything else is shown as it is.
fn korean_date(date: &str) -> String {
    let mut parts = date.splitn(3, '-').map(str::parse::<u32>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) => format!("{y}년 {m}월 {d}일"),
        _ => date.to_owned(),
    }
}
