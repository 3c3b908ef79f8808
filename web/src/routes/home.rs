//! The home page under the search box (`/` without a query or filters): companies and topics
//! whose share of the news rose most in the last week, the people, products and organisations
//! first named in the last month ("새로 등장한 이름"), and the latest story threads.

use leptos::prelude::*;
use sosik_types::{EntityKind, EntitySummary, NameList, Trend, TrendingResponse};

use crate::api;
use crate::components::{failed, loading, StoryList};
use crate::dates::{korean_date, range_label};
use crate::names::kind_label;

#[component]
pub fn Home() -> impl IntoView {
    let trending = LocalResource::new(|| api::trending(api::TRENDING_DAYS));
    let stories = LocalResource::new(|| api::stories(api::HOME_STORIES));
    let names = LocalResource::new(|| api::new_names(api::NEW_NAMES_DAYS));
    view! {
        <div class="home">
            <section id="trending" class="panel" aria-labelledby="trending-title">
                <h2 id="trending-title">"요즘 뜨는 회사와 주제"</h2>
                {move || match trending.get() {
                    None => loading(false),
                    Some(Err(e)) => failed(&e, false),
                    Some(Ok(t)) => view! { <Trending trending=t /> }.into_any(),
                }}
            </section>
            <section id="new-names" class="panel" aria-labelledby="new-names-title">
                <h2 id="new-names-title">"새로 등장한 이름"</h2>
                {move || match names.get() {
                    None => loading(false),
                    Some(Err(e)) => failed(&e, false),
                    Some(Ok(list)) => view! { <NewNames list /> }.into_any(),
                }}
            </section>
            <section id="latest-stories" class="panel" aria-labelledby="stories-title">
                <h2 id="stories-title">"최근 이어지는 이야기"</h2>
                {move || match stories.get() {
                    None => loading(false),
                    Some(Err(e)) => failed(&e, false),
                    Some(Ok(list)) if list.stories.is_empty() => {
                        view! { <p class="status">"아직 여러 글에 걸친 이야기가 없습니다."</p> }.into_any()
                    }
                    Some(Ok(list)) => view! { <StoryList stories=list.stories /> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn Trending(trending: TrendingResponse) -> impl IntoView {
    let TrendingResponse { from, to, previous_from, previous_to, items, previous_items, companies, topics, .. } =
        trending;
    let caption = format!(
        "{} 소식 {items}건을 앞선 {} {previous_items}건과 비교했습니다.",
        range_label(&from, &to),
        range_label(&previous_from, &previous_to)
    );
    let group = |kind: EntityKind, title: &'static str, trends: Vec<Trend>| {
        view! {
            <div class="trend-group" data-kind=api::kind_path(kind)>
                <h3>{title}</h3>
                {if trends.is_empty() {
                    view! { <p class="status">"두드러지게 늘어난 것이 없습니다."</p> }.into_any()
                } else {
                    view! {
                        <ol class="trends">
                            {trends.into_iter().take(6).map(|t| view! { <TrendRow kind trend=t /> }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }}
            </div>
        }
    };
    view! {
        <p class="caption">{caption}</p>
        <div class="trend-groups">
            {group(EntityKind::Company, "회사", companies)}
            {group(EntityKind::Topic, "주제", topics)}
        </div>
    }
}

/// How many new names the home page lists.
const NEW_NAMES_SHOWN: usize = 12;

/// People, products and organisations first named in the newest days, newest first: each opens
/// its page.
#[component]
fn NewNames(list: NameList) -> impl IntoView {
    let NameList { new_since, names, .. } = list;
    let caption = match &new_since {
        Some(since) => {
            let shown =
                if names.len() > NEW_NAMES_SHOWN { format!(" 중 {NEW_NAMES_SHOWN}개") } else { String::new() };
            format!("{} 이후 처음 나온 사람·제품·기관 {}개{shown}", korean_date(since), names.len())
        }
        None => "처음 나온 사람·제품·기관".to_owned(),
    };
    if names.is_empty() {
        return view! {
            <p class="caption">{caption}</p>
            <p class="status">{format!("최근 {}일 사이 처음 나온 이름이 없습니다.", api::NEW_NAMES_DAYS)}</p>
        }
        .into_any();
    }
    view! {
        <p class="caption">{caption}</p>
        <ul class="new-names">
            {names.into_iter().take(NEW_NAMES_SHOWN).map(|n| view! { <NewName name=n /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `젠슨 황  Jensen Huang  사람 · 2026년 2월 7일 · 3건`.
#[component]
fn NewName(name: EntitySummary) -> impl IntoView {
    let EntitySummary { kind, slug, name, name_en, items, first_seen, .. } = name;
    let href = api::entity_url(kind, &slug);
    let first = first_seen.as_deref().map(korean_date).unwrap_or_default();
    let meta = format!("{} · {first} 처음 · {items}건", kind_label(kind));
    let name_en = name_en.unwrap_or_default();
    let aria = if name_en.is_empty() { format!("{name}, {meta}") } else { format!("{name} ({name_en}), {meta}") };
    view! {
        <li class="new-name" data-slug=slug>
            <a href=href aria-label=aria>
                <span class="name">{name}</span>
                <span class="name-en" lang="en">{name_en}</span>
                <span class="counts">{meta}</span>
            </a>
        </li>
    }
}

/// `앤트로픽  +3.2%p  4→11건`.
#[component]
fn TrendRow(kind: EntityKind, trend: Trend) -> impl IntoView {
    let Trend { slug, name, count, previous_count, change_points, .. } = trend;
    let change = format_points(change_points);
    let counts = format!("{previous_count}→{count}건");
    let (up, down) = (change_points > 0.0, change_points < 0.0);
    let full_name = name.clone();
    let aria = format!("{name}: 비중 {change}, {previous_count}건에서 {count}건으로");
    view! {
        <li class="trend" data-slug=slug.clone()>
            <a href=api::entity_url(kind, &slug) aria-label=aria>
                <span class="name" title=full_name>{name}</span>
                <span class="change" class:up=up class:down=down>{change}</span>
                <span class="counts">{counts}</span>
            </a>
        </li>
    }
}

/// Percentage points with a sign: `+3.2%p`, `-0.5%p`, `0.0%p`.
pub fn format_points(points: f64) -> String {
    if points > 0.0 {
        format!("+{points:.1}%p")
    } else if points < 0.0 {
        format!("−{:.1}%p", -points)
    } else {
        "0.0%p".to_owned()
    }
}
