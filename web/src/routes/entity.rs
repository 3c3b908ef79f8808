//! Companies, topics and names (people, products, organisations): the lists (`/companies`,
//! `/topics`, `/names`) with counts and weekly sparklines, and one page per entity
//! (`/companies/{slug}`, `/topics/{slug}`, `/names/{slug}`): counts, a weekly chart, related
//! companies, topics and names, the latest items, its story threads and its Atom feed.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use sosik_types::{EntityKind, EntityProfile, EntitySummary, FacetCount, Interval};

use crate::api::{self, SearchParams, TimelineParams};
use crate::chart::{series_bars, BarChart, Sparkline};
use crate::components::{failed, loading, HitItem, StoryList};
use crate::dates::range_label;
use crate::follows::{Follow, FollowButton, FollowKind};
use crate::names::{kind_label, use_catalog};

/// "이런 … 찾을 수 없습니다": the kind with its object particle.
fn object_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Company => "회사를",
        EntityKind::Topic => "주제를",
        _ => "이름을",
    }
}

/// What the list of a kind is called: a name's list holds all three kinds of names.
fn list_label(kind: EntityKind) -> &'static str {
    if kind.is_name() {
        "사람·제품·기관"
    } else {
        kind_label(kind)
    }
}

/// `소식 12건 · 2026년 1월 13일 ~ 2월 7일`.
fn counts_line(e: &EntitySummary) -> String {
    match (&e.first_seen, &e.last_seen) {
        (Some(first), Some(last)) => format!("소식 {}건 · {}", e.items, range_label(first, last)),
        _ => "아직 소식이 없습니다".to_owned(),
    }
}

/// `/companies` and `/topics`.
#[component]
pub fn EntityIndex(kind: EntityKind) -> impl IntoView {
    let catalog = use_catalog();
    let list = catalog.list(kind);
    Effect::new(move |_| document().set_title(&format!("{} – 소식 sosik", kind_label(kind))));
    view! {
        <div class="entity-index">
            <header class="page-head">
                <h2>{kind_label(kind)}</h2>
            </header>
            {move || match list.get() {
                None => loading(true),
                Some(Err(e)) => failed(&e, true),
                Some(Ok(list)) => {
                    let (with_items, without): (Vec<_>, Vec<_>) = list.entities.into_iter().partition(|e| e.items > 0);
                    let status = format!(
                        "소식이 있는 {} {}곳 · 주별 추이는 {}부터",
                        kind_label(kind),
                        with_items.len(),
                        crate::dates::bucket_label(&list.series_start, Interval::Week)
                    );
                    let rest = without.len();
                    view! {
                        <p id="status" class="status" role="status">{status}</p>
                        <ol class="entity-list">
                            {with_items.into_iter().map(|e| view! { <EntityRow kind entity=e /> }).collect_view()}
                        </ol>
                        {(rest > 0).then(|| view! {
                            <details class="no-items">
                                <summary>{format!("소식이 없는 {} {rest}곳", kind_label(kind))}</summary>
                                <p>
                                    {without
                                        .into_iter()
                                        .map(|e| view! { <a href=api::entity_url(kind, &e.slug)>{e.name}</a>" " })
                                        .collect_view()}
                                </p>
                            </details>
                        })}
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn EntityRow(kind: EntityKind, entity: EntitySummary) -> impl IntoView {
    let line = counts_line(&entity);
    let EntitySummary { slug, name, name_en, items, sparkline, .. } = entity;
    view! {
        <li class="entity-row" data-slug=slug.clone()>
            <div class="entity-name">
                <a href=api::entity_url(kind, &slug)>{name}</a>
                {name_en.map(|en| view! { <span class="name-en">{en}</span> })}
            </div>
            <span class="entity-count" aria-hidden="true">{items}</span>
            <Sparkline counts=sparkline />
            <p class="meta">{line}</p>
        </li>
    }
}

/// `/companies/{slug}`, `/topics/{slug}` and `/names/{slug}` (`kind` is any name kind for the
/// last: the profile says which).
#[component]
pub fn EntityPage(kind: EntityKind) -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let profile = LocalResource::new(move || {
        let slug = slug.get();
        async move {
            let result = api::entity(kind, &slug).await;
            (slug, result)
        }
    });
    Effect::new(move |_| {
        if let Some((_, Ok(p))) = profile.get() {
            document().set_title(&format!("{} – {} – 소식 sosik", p.summary.name, kind_label(p.kind)));
        }
    });
    Effect::new(move |_| {
        slug.track();
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    let back = format!("/{}", api::kind_path(kind));
    view! {
        <div class="entity-page">
            <nav class="back"><A href=back>{format!("← {} 목록", list_label(kind))}</A></nav>
            {move || match profile.get() {
                Some((for_slug, result)) if for_slug == slug.get() => match result {
                    Ok(p) => view! { <ProfileView profile=p /> }.into_any(),
                    Err(e) if e.is_not_found() => view! {
                        <p id="status" class="status error">
                            {format!("이런 {} 찾을 수 없습니다. ", object_label(kind))}
                            <A href=format!("/{}", api::kind_path(kind))>"목록으로 돌아가기"</A>
                        </p>
                    }
                    .into_any(),
                    Err(e) => failed(&e, true),
                },
                _ => loading(true),
            }}
        </div>
    }
}

#[component]
fn ProfileView(profile: EntityProfile) -> impl IntoView {
    let EntityProfile { kind, summary, description, aliases, series, top_related, co_mentions, names, latest, stories } =
        profile;
    let line = counts_line(&summary);
    let EntitySummary { slug, name, name_en, .. } = summary;
    // The tagger's spellings, less the names already shown.
    let aliases: Vec<String> = aliases.into_iter().filter(|a| *a != name && Some(a) != name_en.as_ref()).collect();
    let navigate = use_navigate();

    // The chart's bars open the timeline of this entity at that week.
    let timeline = TimelineParams {
        company: if kind == EntityKind::Company { vec![slug.clone()] } else { Vec::new() },
        topic: if kind == EntityKind::Topic { vec![slug.clone()] } else { Vec::new() },
        name: if kind.is_name() { vec![slug.clone()] } else { Vec::new() },
        interval: series.interval,
        ..Default::default()
    };
    let on_select = {
        let timeline = timeline.clone();
        Callback::new(move |bucket: String| navigate(&timeline.url(Some(&bucket)), Default::default()))
    };
    let search = SearchParams {
        company: timeline.company.clone(),
        topic: timeline.topic.clone(),
        name: timeline.name.clone(),
        sort: sosik_types::SortOrder::Date,
        ..Default::default()
    };
    let follow = Follow { kind: FollowKind::of_entity(kind), id: slug.clone(), label: name.clone() };
    let interval_word = match series.interval {
        Interval::Day => "일별",
        Interval::Week => "주별",
        Interval::Month => "월별",
    };
    let chart_label = format!("{name} {interval_word} 소식 수");
    let bars = series_bars(&series);
    let has_bars = bars.iter().any(|b| b.count > 0);

    // For a company or a name: its topics and the companies named with it; for a topic: its
    // companies and the topics it comes with. Every page: the names in its items.
    let (related, co) = match kind {
        EntityKind::Topic => (("많이 언급된 회사", EntityKind::Company), ("함께 다뤄지는 주제", EntityKind::Topic)),
        _ => (("자주 다루는 주제", EntityKind::Topic), ("함께 언급된 회사", EntityKind::Company)),
    };

    view! {
        <header class="page-head">
            <p class="kicker">{kind_label(kind)}</p>
            <h2 id="entity-name">
                {name.clone()}
                {name_en.map(|en| view! { " "<span class="name-en">{en}</span> })}
            </h2>
            <p class="meta" id="entity-counts">{line}</p>
            {(!description.trim().is_empty()).then(|| view! { <p class="description">{description}</p> })}
            {(!aliases.is_empty()).then(|| view! { <p class="aliases">"다른 이름: "{aliases.join(", ")}</p> })}
            <p class="follow">
                <a href=timeline.url(None)>"타임라인"</a>
                " · "
                <a href=search.url()>"모든 소식"</a>
                " · "
                <a class="feed" href=api::entity_feed_url(kind, &slug) type="application/atom+xml">"Atom 피드로 구독"</a>
                " "
                <FollowButton follow=follow />
            </p>
        </header>
        <section class="chart-section" aria-labelledby="chart-title">
            <h3 id="chart-title">{format!("{interval_word} 소식 수")}</h3>
            {if has_bars {
                view! { <BarChart bars interval=series.interval label=chart_label on_select /> }.into_any()
            } else {
                view! { <p class="status">"아직 소식이 없습니다."</p> }.into_any()
            }}
        </section>
        <div class="related">
            <RelatedList title=related.0 kind=related.1 values=top_related />
            <RelatedList title=co.0 kind=co.1 values=co_mentions />
            <RelatedList title="함께 나온 사람·제품·기관" kind=EntityKind::Person values=names />
        </div>
        <section id="latest" aria-labelledby="latest-title">
            <h3 id="latest-title">"최근 소식"</h3>
            {if latest.is_empty() {
                view! { <p class="status">"아직 소식이 없습니다."</p> }.into_any()
            } else {
                view! {
                    <ol class="hits">{latest.into_iter().map(|hit| view! { <HitItem hit /> }).collect_view()}</ol>
                }
                .into_any()
            }}
        </section>
        <section id="stories" aria-labelledby="stories-title">
            <h3 id="stories-title">"이어지는 이야기"</h3>
            {if stories.is_empty() {
                view! { <p class="status">"여러 글에 걸친 이야기가 아직 없습니다."</p> }.into_any()
            } else {
                view! { <StoryList stories /> }.into_any()
            }}
        </section>
    }
}

/// Related companies, topics or names with counts, each a link to its page.
#[component]
fn RelatedList(title: &'static str, kind: EntityKind, values: Vec<FacetCount>) -> impl IntoView {
    let catalog = use_catalog();
    view! {
        <section class="related-list" data-kind=api::kind_path(kind)>
            <h3>{title}</h3>
            {if values.is_empty() {
                view! { <p class="status">"없음"</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {values
                            .into_iter()
                            .map(|FacetCount { value, count }| {
                                let href = api::entity_url(kind, &value);
                                let name = {
                                    let value = value.clone();
                                    move || catalog.name(kind, &value)
                                };
                                view! {
                                    <li data-slug=value>
                                        <a href=href>{name}<span class="count">{count}</span></a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// `/names`: the glossary's people, products and organisations, a list per kind.
#[component]
pub fn NameIndex() -> impl IntoView {
    let catalog = use_catalog();
    Effect::new(move |_| document().set_title("사람·제품·기관 – 소식 sosik"));
    view! {
        <div class="entity-index">
            <header class="page-head">
                <h2>"사람·제품·기관"</h2>
            </header>
            {move || match catalog.names.get() {
                None => loading(true),
                Some(Err(e)) => failed(&e, true),
                Some(Ok(list)) => {
                    let with_items: Vec<EntitySummary> = list.names.into_iter().filter(|e| e.items > 0).collect();
                    let status = format!(
                        "소식이 있는 이름 {}개 · 주별 추이는 {}부터 · 목록은 data/glossary.toml",
                        with_items.len(),
                        crate::dates::bucket_label(&list.series_start, Interval::Week)
                    );
                    let sections = EntityKind::NAMES.map(|kind| {
                        let rows: Vec<EntitySummary> = with_items.iter().filter(|e| e.kind == kind).cloned().collect();
                        (!rows.is_empty()).then(|| view! {
                            <section class="name-kind" data-kind=kind.as_str()>
                                <h3>{format!("{} {}", kind_label(kind), rows.len())}</h3>
                                <ol class="entity-list">
                                    {rows.into_iter().map(|e| view! { <EntityRow kind entity=e /> }).collect_view()}
                                </ol>
                            </section>
                        })
                    });
                    view! {
                        <p id="status" class="status" role="status">{status}</p>
                        {sections.into_iter().collect_view()}
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
