//! `/` and `/?q=…&company=…&topic=…&name=…&source=…&from=…&to=…&sort=date`: the search form, filters
//! (facet panel, date range, sort), a status line and the list of hits. Filters without a query
//! list their items newest first; with neither, the home page (`home.rs`) sits under the box. The
//! box is a combobox over the hits (↓/↑ make one active, Enter opens it) and, while the user
//! types, over the typeahead's suggestions (`components/suggest.rs`).
//!
//! The URL is the one source of truth: every control navigates to a new URL, and the page renders
//! whatever the URL says (so a search is shareable and back/forward walk through refinements).

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use leptos_router::hooks::{use_navigate, use_query_map};
use sosik_types::{EntityKind, FacetCount, Facets, QueryDateRange, SearchResponse, SortOrder};

use crate::api::{self, ApiError, SearchParams};
use crate::components::{item_url, suggestion_url, HitItem, StoryOffer, SuggestList, Typeahead};
use crate::dates::{korean_month, month_range};
use crate::follows::FollowButton;
use crate::names::use_catalog;
use crate::routes::home::Home;
use crate::routes::updates::search_follow;

/// What the page shows for the search in the URL.
#[derive(Clone, Debug, PartialEq)]
enum State {
    /// No query yet.
    Idle,
    /// The answer for the current search has not arrived.
    Loading,
    Done(Result<SearchResponse, ApiError>),
}

/// Which filter a facet sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Facet {
    Company,
    Topic,
    /// A person, product or organisation.
    Name,
    Source,
}

impl Facet {
    fn key(self) -> &'static str {
        match self {
            Facet::Company => "company",
            Facet::Topic => "topic",
            Facet::Name => "name",
            Facet::Source => "source",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Facet::Company => "회사",
            Facet::Topic => "주제",
            Facet::Name => "사람·제품·기관",
            Facet::Source => "출처",
        }
    }
    fn get(self, p: &SearchParams) -> &[String] {
        match self {
            Facet::Company => &p.company,
            Facet::Topic => &p.topic,
            Facet::Name => &p.name,
            Facet::Source => &p.source,
        }
    }
    /// The catalog kind whose names label this facet's values (sources are shown as they are).
    fn kind(self) -> Option<EntityKind> {
        match self {
            Facet::Company => Some(EntityKind::Company),
            Facet::Topic => Some(EntityKind::Topic),
            Facet::Name => Some(EntityKind::Person),
            Facet::Source => None,
        }
    }
    /// How a value of this facet is shown: the display name of a company, topic or name.
    fn display(self, value: &str) -> String {
        match self.kind() {
            Some(kind) => use_catalog().name(kind, value),
            None => value.to_owned(),
        }
    }
    fn values_mut(self, p: &mut SearchParams) -> &mut Vec<String> {
        match self {
            Facet::Company => &mut p.company,
            Facet::Topic => &mut p.topic,
            Facet::Name => &mut p.name,
            Facet::Source => &mut p.source,
        }
    }
    /// `p` with `value` added to this facet's selection, or taken out if it was in it.
    fn toggled(self, p: &SearchParams, value: &str) -> SearchParams {
        let mut next = p.clone();
        let values = self.values_mut(&mut next);
        match values.iter().position(|v| v == value) {
            Some(i) => {
                values.remove(i);
            }
            None => values.push(value.to_owned()),
        }
        next
    }
}

/// The URL of the last search made in this tab, for the item page's way back (context from `App`).
#[derive(Clone, Copy, Debug)]
pub struct LastSearch(pub RwSignal<Option<String>>);

/// The order a `sort` value of the URL names (anything else: relevance).
fn sort_order(value: &str) -> SortOrder {
    SortOrder::parse(value).unwrap_or_default()
}

/// A search as a followed thing is named: its query in quotes, then its filters' display names.
fn search_label(p: &SearchParams) -> String {
    let mut parts = Vec::new();
    if !p.q.is_empty() {
        parts.push(format!("‘{}’", p.q));
    }
    for facet in [Facet::Company, Facet::Topic, Facet::Name, Facet::Source] {
        let values = facet.get(p);
        if !values.is_empty() {
            let shown: Vec<String> = values.iter().map(|v| facet.display(v)).collect();
            parts.push(format!("{}: {}", facet.label(), shown.join("/")));
        }
    }
    if !p.from.is_empty() || !p.to.is_empty() {
        parts.push(format!("{}~{}", p.from, p.to));
    }
    parts.join(" · ")
}

/// How many values each facet lists.
const FACET_VALUES: usize = 12;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let query = query.read();
        let get = |k: &str| query.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        SearchParams {
            q: get("q"),
            company: api::filter_values(query.get_all("company")),
            topic: api::filter_values(query.get_all("topic")),
            name: api::filter_values(query.get_all("name")),
            source: api::filter_values(query.get_all("source")),
            from: get("from"),
            to: get("to"),
            sort: sort_order(&get("sort")),
            literal: get("dates") == "false",
        }
    });
    let q = Memo::new(move |_| params.read().q.clone());
    // Neither query nor filters: the home page (trending, latest stories) under the search box.
    let idle = Memo::new(move |_| params.read().is_empty());

    // Each answer carries the search it belongs to: while the next one loads, the last one is
    // recognisably stale (and stays on screen, dimmed, instead of flashing away). Filters without
    // a query list their items newest first.
    let answer = LocalResource::new(move || {
        let p = params.get();
        async move {
            let result = if p.is_empty() { None } else { Some(api::search(&p, api::PAGE_SIZE, 0).await) };
            (p, result)
        }
    });
    let state = Memo::new(move |_| {
        let p = params.get();
        if p.is_empty() {
            return State::Idle;
        }
        match answer.get() {
            Some((for_p, Some(result))) if for_p == p => State::Done(result),
            _ => State::Loading,
        }
    });
    let last_ok = Memo::new(move |_| {
        if idle.get() {
            return None;
        }
        match answer.get() {
            Some((_, Some(Ok(resp)))) => Some(resp),
            _ => None,
        }
    });
    let hits = Memo::new(move |_| last_ok.get().map(|r| r.hits).unwrap_or_default());
    let facets = Memo::new(move |_| last_ok.get().map(|r| r.facets));

    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |p: SearchParams| navigate(&p.url(), Default::default())
    };

    // Typeahead under the box; a new search (or a pick) closes it.
    let typeahead = Typeahead::new();
    Effect::new(move |_| {
        params.track();
        typeahead.close();
    });
    let pick = {
        let navigate = navigate.clone();
        move |s: sosik_types::Suggestion| navigate(&suggestion_url(&s, &params.get_untracked()), Default::default())
    };
    let on_box_key = {
        let pick = pick.clone();
        move |ev: web_sys::KeyboardEvent| {
            if let Some(s) = typeahead.key(&ev) {
                pick(s);
            }
        }
    };

    // Submitting keeps the filters and sort: a new query within the same refinement.
    let input = NodeRef::<html::Input>::new();
    let on_submit = {
        let go = go.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            typeahead.close();
            let value = input.get().map(|i| i.value()).unwrap_or_default();
            let mut p = params.get_untracked();
            p.q = value.trim().to_owned();
            go(p);
        }
    };

    if let Some(LastSearch(last)) = use_context::<LastSearch>() {
        Effect::new(move |_| {
            let p = params.get();
            if !p.is_empty() {
                last.set(Some(p.url()));
            }
        });
    }

    Effect::new(move |_| {
        let q = q.get();
        let title = if q.is_empty() { "소식 sosik".to_owned() } else { format!("{q} – 소식 sosik") };
        document().set_title(&title);
    });
    let status = move || {
        let p = params.get();
        let state = state.get();
        let mut text = status_text(&p, &state);
        let filtered = p.pairs().iter().any(|(k, _)| !matches!(*k, "q" | "sort"));
        if filtered && !p.q.is_empty() && matches!(state, State::Done(Ok(ref r)) if r.total == 0) {
            text.push_str(" 필터를 해제해 보세요.");
        }
        text
    };

    // Keyboard: j/k or ↓/↑ move a visible focus between hits, Enter opens it, `/` focuses the box.
    let focused = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        hits.track();
        focused.set(None);
    });
    Effect::new(move |_| {
        if let Some(i) = focused.get() {
            let selector = format!("#results > li.hit:nth-child({})", i + 1);
            if let Ok(Some(el)) = document().query_selector(&selector) {
                // Scroll only when the hit is (partly) out of view, aligning the edge it left by.
                // (offsetTop is page-relative here: nothing above the hits is positioned.)
                let Ok(hel) = el.dyn_into::<web_sys::HtmlElement>() else { return };
                let top = f64::from(hel.offset_top());
                let bottom = top + f64::from(hel.offset_height());
                let view_top = window().scroll_y().unwrap_or(0.0);
                let view_height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
                if top < view_top {
                    hel.scroll_into_view_with_bool(true);
                } else if bottom > view_top + view_height {
                    hel.scroll_into_view_with_bool(false);
                }
            }
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, {
        let navigate = navigate.clone();
        move |ev: web_sys::KeyboardEvent| {
            // keys of an input method's composition are its own (229: what some browsers report)
            if ev.ctrl_key()
                || ev.meta_key()
                || ev.alt_key()
                || ev.default_prevented()
                || ev.is_composing()
                || ev.key_code() == 229
            {
                return;
            }
            let key = ev.key();
            let active = document().active_element();
            let tag = active.as_ref().map(|el| el.tag_name().to_ascii_uppercase()).unwrap_or_default();
            let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
            let n = hits.with_untracked(Vec::len);
            if typing {
                // The search box is a combobox over the hits: ↓/↑ move the active hit, Enter opens it.
                let in_box = active.as_ref().is_some_and(|el| el.id() == "q");
                match key.as_str() {
                    "Escape" if in_box && focused.get_untracked().is_some() => focused.set(None),
                    "Escape" => {
                        if let Some(el) = active.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
                            let _ = el.blur();
                        }
                    }
                    "ArrowDown" | "ArrowUp" if in_box && n > 0 => {
                        ev.prevent_default();
                        let down = key == "ArrowDown";
                        focused.update(|f| {
                            *f = match (*f, down) {
                                (None, true) => Some(0),
                                (None, false) => None,
                                (Some(i), true) => Some((i + 1).min(n - 1)),
                                (Some(0), false) => None,
                                (Some(i), false) => Some(i - 1),
                            }
                        });
                    }
                    "Enter" if in_box => {
                        let id = focused
                            .get_untracked()
                            .and_then(|i| hits.with_untracked(|h| h.get(i).map(|h| h.id.clone())));
                        if let Some(id) = id {
                            ev.prevent_default();
                            navigate(&item_url(&id), Default::default());
                        }
                    }
                    _ => {}
                }
                return;
            }
            match key.as_str() {
                "/" => {
                    ev.prevent_default();
                    if let Some(i) = input.get_untracked() {
                        let _ = i.focus();
                        i.select();
                    }
                }
                "j" | "ArrowDown" | "k" | "ArrowUp" if n > 0 => {
                    ev.prevent_default();
                    // The hit focus takes over from a focused button or link (Enter then opens the hit).
                    if let Some(el) = active.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = el.blur();
                    }
                    let down = matches!(key.as_str(), "j" | "ArrowDown");
                    focused.update(|f| {
                        *f = Some(match (*f, down) {
                            (None, _) => 0,
                            (Some(i), true) => (i + 1).min(n - 1),
                            (Some(i), false) => i.saturating_sub(1),
                        })
                    });
                }
                // A focused link or button handles its own Enter.
                "Enter" if !matches!(tag.as_str(), "A" | "BUTTON") => {
                    let id =
                        focused.get_untracked().and_then(|i| hits.with_untracked(|h| h.get(i).map(|h| h.id.clone())));
                    if let Some(id) = id {
                        ev.prevent_default();
                        navigate(&item_url(&id), Default::default());
                    }
                }
                _ => {}
            }
        }
    });
    on_cleanup(move || handle.remove());

    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut p = params.get_untracked();
            p.sort = sort_order(&event_target_value(&ev));
            go(p);
        }
    };
    let on_from = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut p = params.get_untracked();
            p.from = event_target_value(&ev);
            go(p);
        }
    };
    let on_to = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut p = params.get_untracked();
            p.to = event_target_value(&ev);
            go(p);
        }
    };
    let has_query = move || !idle.get();
    // The box controls the suggestions while they show, the hits otherwise.
    let expanded = move || (typeahead.showing() || (!idle.get() && !hits.read().is_empty())).to_string();
    let controls = move || if typeahead.showing() { "suggestions" } else { "results" };
    let active_option = move || {
        if typeahead.showing() {
            typeahead.active_id()
        } else {
            focused.get().map(|i| format!("hit-{i}"))
        }
    };

    view! {
        <div role="search">
            <form method="get" action="/" on:submit=on_submit>
                <label for="q">"검색어"</label>
                <div class="row">
                    <div class="combo">
                        <input
                            node_ref=input
                            id="q"
                            name="q"
                            type="search"
                            prop:value=move || q.get()
                            placeholder="예: 앤트로픽, 오픈AI 투자, 반도체"
                            autocomplete="off"
                            role="combobox"
                            aria-autocomplete="list"
                            aria-controls=controls
                            aria-expanded=expanded
                            aria-activedescendant=active_option
                            aria-describedby="status"
                            on:input=move |ev| {
                                focused.set(None);
                                typeahead.input(event_target_value(&ev));
                            }
                            on:keydown=on_box_key
                            on:blur=move |_| typeahead.close()
                            // Only an empty page starts in the box: with results, j/k work at once.
                            autofocus=q.get_untracked().is_empty()
                            aria-keyshortcuts="/"
                        />
                        <SuggestList typeahead=typeahead on_pick=pick />
                    </div>
                    <button type="submit">"검색"</button>
                </div>
            </form>
            <div class="controls" hidden=move || !has_query()>
                <label class="control">
                    <span>"정렬"</span>
                    <select id="sort" on:change=on_sort prop:value=move || params.read().sort.as_str()>
                        <option value="relevance" selected=move || params.read().sort == SortOrder::Relevance>"관련도순"</option>
                        <option value="fresh" selected=move || params.read().sort == SortOrder::Fresh>"관련도·최신 우선"</option>
                        <option value="date" selected=move || params.read().sort == SortOrder::Date>"최신순"</option>
                    </select>
                </label>
                <label class="control">
                    <span>"시작일"</span>
                    <input id="from" type="date" prop:value=move || params.read().from.clone() on:change=on_from />
                </label>
                <label class="control">
                    <span>"종료일"</span>
                    <input id="to" type="date" prop:value=move || params.read().to.clone() on:change=on_to />
                </label>
                <a
                    class="feed control"
                    href=move || api::search_feed_url(&params.read())
                    type="application/atom+xml"
                >"이 검색 구독 (Atom)"</a>
                // follow this search (새 소식 lists what arrives for it)
                {move || {
                    let p = params.get();
                    (!p.is_empty()).then(|| view! { <FollowButton follow=search_follow(&p, search_label(&p)) /> })
                }}
            </div>
        </div>
        <ActiveFilters params go=go.clone() />
        {move || {
            let range = last_ok.get().and_then(|r| r.date_range)?;
            let mut literal = params.get();
            literal.literal = true;
            Some(view! { <DateRangeNote range literal=literal.url() /> })
        }}
        <p
            id="status"
            role="status"
            aria-live="polite"
            class="status"
            class:error=move || matches!(state.get(), State::Done(Err(_)))
        >
            {status}
        </p>
        <Show when=move || idle.get()>
            <Home />
        </Show>
        // a query that names a story: the thread's timeline above the hits
        {move || last_ok.get().and_then(|r| r.story).map(|story| view! { <StoryOffer story /> })}
        <div class="layout" class:with-facets=move || facets.read().is_some()>
            <ol
                id="results"
                role="listbox"
                aria-label="검색 결과"
                hidden=move || idle.get()
                class:stale=move || state.get() == State::Loading
                aria-busy=move || (state.get() == State::Loading).to_string()
            >
                {move || {
                    hits.get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, hit)| {
                            let is_focused = Signal::derive(move || focused.get() == Some(i));
                            view! { <HitItem hit focused=is_focused option_id=format!("hit-{i}") /> }
                        })
                        .collect_view()
                }}
            </ol>
            {move || facets.get().map(|f| view! { <FacetPanel facets=f params go=go.clone() /> })}
        </div>
        <p class="kbd-help" hidden=move || hits.read().is_empty()>
            <kbd>"j"</kbd>" "<kbd>"k"</kbd>" 이동 · "<kbd>"Enter"</kbd>" 열기 · "<kbd>"/"</kbd>" 검색창"
        </p>
    }
}

/// What the server read as a date in the query, and a way to search the query as written.
#[component]
fn DateRangeNote(range: QueryDateRange, literal: String) -> impl IntoView {
    let QueryDateRange { expression, from, to, query } = range;
    let days = if from == to { from } else { format!("{from} ~ {to}") };
    let searched = if query.is_empty() {
        "그 기간의 소식을 최신순으로 보여 줍니다.".to_owned()
    } else {
        format!("그 기간에서 ‘{query}’를 검색했습니다.")
    };
    view! {
        <p id="date-range" class="date-range">
            "‘"{expression}"’을(를) 기간 "<strong>{days}</strong>"(으)로 읽고 "{searched}" "
            <a href=literal>"날짜로 읽지 않고 검색"</a>
        </p>
    }
}

/// The filters in effect, each a chip that removes it.
#[component]
fn ActiveFilters(
    params: Memo<SearchParams>,
    go: impl Fn(SearchParams) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let chips = move || {
        let p = params.get();
        let mut out: Vec<(String, SearchParams)> = Vec::new();
        // one chip per value: several values of a field are alternatives, each removable
        for facet in [Facet::Company, Facet::Topic, Facet::Name, Facet::Source] {
            for v in facet.get(&p) {
                out.push((format!("{}: {}", facet.label(), facet.display(v)), facet.toggled(&p, v)));
            }
        }
        // A whole month (as the month facet sets it) is one chip.
        let month = p.from.get(..7).filter(|m| month_range(m) == (p.from.clone(), p.to.clone()));
        if let Some(month) = month {
            let mut without = p.clone();
            without.from.clear();
            without.to.clear();
            out.push((format!("기간: {}", korean_month(month)), without));
        } else if !p.from.is_empty() {
            let mut without = p.clone();
            without.from.clear();
            out.push((format!("{} 부터", p.from), without));
        }
        if month.is_none() && !p.to.is_empty() {
            let mut without = p.clone();
            without.to.clear();
            out.push((format!("{} 까지", p.to), without));
        }
        out
    };
    let go2 = go.clone();
    view! {
        <div id="active-filters" class="active-filters" hidden=move || chips().is_empty()>
            {move || {
                let go = go.clone();
                chips()
                    .into_iter()
                    .map(|(label, without)| {
                        let go = go.clone();
                        let aria = format!("{label} 필터 해제");
                        view! {
                            <button type="button" class="active-filter" aria-label=aria on:click=move |_| go(without.clone())>
                                {label}<span aria-hidden="true">" ×"</span>
                            </button>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="clear-filters" on:click=move |_| {
                let p = params.get_untracked();
                go2(SearchParams { q: p.q, sort: p.sort, literal: p.literal, ..Default::default() })
            }>"필터 모두 해제"</button>
        </div>
    }
}

#[component]
fn FacetPanel(
    facets: Facets,
    params: Memo<SearchParams>,
    go: impl Fn(SearchParams) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let Facets { companies, topics, names, sources, months } = facets;
    let p = params.get_untracked();
    let group = |facet: Facet, values: Vec<FacetCount>| {
        let active = facet.get(&p).to_vec();
        let go = go.clone();
        (!values.is_empty()).then(|| {
            view! {
                <section class="facet" data-facet=facet.key()>
                    <h3>{facet.label()}</h3>
                    <ul>
                        {values
                            .into_iter()
                            .take(FACET_VALUES)
                            .map(|FacetCount { value, count }| {
                                // a click adds the value to the field's selection (either of
                                // them), or takes it out
                                // (the URL as it is when clicked: a sort changed since the panel
                                // was drawn stays)
                                let is_active = active.contains(&value);
                                let go = go.clone();
                                let label = facet.display(&value);
                                let v = value.clone();
                                facet_button(value, label, count, is_active, move || {
                                    go(facet.toggled(&params.get_untracked(), &v))
                                })
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    };
    let company = group(Facet::Company, companies);
    let topic = group(Facet::Topic, topics);
    let name = group(Facet::Name, names);
    let source = group(Facet::Source, sources);
    let month = (!months.is_empty()).then(|| {
        let go = go.clone();
        let p = p.clone();
        view! {
            <section class="facet months" data-facet="month">
                <h3>"월별"</h3>
                <ul>
                    {months
                        .into_iter()
                        .map(|FacetCount { value, count }| {
                            let (from, to) = month_range(&value);
                            let label = korean_month(&value);
                            let is_active = p.from == from && p.to == to;
                            let go = go.clone();
                            facet_button(value, label, count, is_active, move || {
                                let mut next = params.get_untracked();
                                if is_active {
                                    next.from.clear();
                                    next.to.clear();
                                } else {
                                    next.from = from.clone();
                                    next.to = to.clone();
                                }
                                go(next)
                            })
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <aside id="facets" aria-label="검색 결과 좁히기">
            {company}
            {topic}
            {name}
            {source}
            {month}
        </aside>
    }
}

fn status_text(p: &SearchParams, state: &State) -> String {
    let q = &p.q;
    // Filters alone list their items, newest first.
    let listing = q.is_empty();
    match state {
        State::Idle => "검색어를 입력하고 Enter를 누르세요.".to_owned(),
        State::Loading if listing => "소식을 불러오는 중…".to_owned(),
        State::Loading => format!("‘{q}’ 검색 중…"),
        State::Done(Err(e)) => e.to_string(),
        State::Done(Ok(resp)) if resp.total == 0 && listing => "이 조건에 맞는 소식이 없습니다.".to_owned(),
        State::Done(Ok(resp)) if resp.total == 0 => format!("‘{q}’에 대한 검색 결과가 없습니다."),
        State::Done(Ok(resp)) => {
            let shown = resp.hits.len() as u64;
            let more = if resp.total > shown { format!(" 중 상위 {shown}건") } else { String::new() };
            if listing {
                format!("조건에 맞는 소식 {}건{more}, 최신순 ({:.0} ms)", resp.total, resp.took_ms)
            } else {
                format!("‘{q}’ 검색 결과 {}건{more} ({:.0} ms)", resp.total, resp.took_ms)
            }
        }
    }
}

/// One facet value: a toggle button with its count (`data-value` is what the tests click).
fn facet_button(
    value: String,
    label: String,
    count: u64,
    active: bool,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <li>
            <button
                type="button"
                data-value=value
                class:active=active
                aria-pressed=active.to_string()
                on:click=move |_| on_click()
            >
                <span class="value">{label}</span>
                <span class="count">{count}</span>
            </button>
        </li>
    }
}
