//! `/items/{id}`: one item in full (summary, why it matters, body, sources) and, below it, the
//! items most similar to it from other posts.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use sosik_types::{Hit, Item};

use super::search::LastSearch;
use crate::api;
use crate::components::{failed, item_url, loading, Chips, LineageView, SourceLink};
use crate::dates::korean_date;

#[component]
pub fn ItemPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());

    let item = LocalResource::new(move || {
        let id = id.get();
        async move {
            let result = api::item(&id).await;
            (id, result)
        }
    });
    let similar = LocalResource::new(move || {
        let id = id.get();
        async move {
            let result = api::similar(&id).await;
            (id, result)
        }
    });

    Effect::new(move |_| {
        if let Some((_, Ok(item))) = item.get() {
            document().set_title(&format!("{} – 소식 sosik", item.title));
        }
    });
    // A new item starts at the top of the page.
    Effect::new(move |_| {
        id.track();
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });

    // Similar items only under an item that exists (not under "not found").
    let found = move || item.with(|r| matches!(r, Some((for_id, Ok(_))) if *for_id == id.get()));

    // Back to the last search this tab made (its URL keeps filters and sort), or to an empty search.
    let last_search = use_context::<LastSearch>().map(|l| l.0);
    let back_href = move || last_search.and_then(|l| l.get()).unwrap_or_else(|| "/".to_owned());
    let back_label = move || {
        if last_search.is_some_and(|l| l.read().is_some()) {
            "← 검색 결과로"
        } else {
            "← 검색"
        }
    };

    view! {
        <div class="item-page">
        <nav class="back"><A href=back_href>{back_label}</A></nav>
        {move || match item.get() {
            Some((for_id, result)) if for_id == id.get() => match result {
                Ok(item) => view! { <ItemView item /> }.into_any(),
                Err(e) if e.is_not_found() => view! {
                    <p id="status" class="status error">"이 소식을 찾을 수 없습니다. "<A href="/">"검색으로 돌아가기"</A></p>
                }
                .into_any(),
                Err(e) => failed(&e, true),
            },
            _ => loading(true),
        }}
        <section id="similar" aria-labelledby="similar-title" hidden=move || !found()>
            <h2 id="similar-title">"비슷한 소식"</h2>
            {move || match similar.get() {
                Some((for_id, result)) if for_id == id.get() => match result {
                    Ok(resp) if resp.hits.is_empty() => {
                        view! { <p class="status">"비슷한 소식이 없습니다."</p> }.into_any()
                    }
                    Ok(resp) => view! {
                        <ol class="similar-list">
                            {resp.hits.into_iter().map(|hit| view! { <SimilarHit hit /> }).collect_view()}
                        </ol>
                    }
                    .into_any(),
                    Err(e) => failed(&e, false),
                },
                _ => loading(false),
            }}
        </section>
        </div>
    }
}

#[component]
fn ItemView(item: Item) -> impl IntoView {
    let Item { title, date, post_title, summary, why, body, sources, companies, topics, names, story, lineage, .. } =
        item;
    let has_chips = !companies.is_empty() || !topics.is_empty() || !names.is_empty();
    let body_rest = body_beyond(&body, &summary, &why);
    view! {
        <article id="item">
            <h2>{title}</h2>
            <p class="meta">
                <time datetime=date.clone()>{korean_date(&date)}</time>
                {(!post_title.trim().is_empty()).then(|| view! { " · "<span class="post-title">{post_title}</span> })}
            </p>
            {has_chips.then(|| view! { <Chips companies topics names /> })}
            {story.map(|id| view! {
                <p class="story-link"><a href=api::story_url(&id)>"이 소식이 이어지는 이야기 보기 →"</a></p>
            })}
            {(!summary.trim().is_empty()).then(|| view! {
                <section class="summary"><h3>"요약"</h3>{paragraphs(&summary)}</section>
            })}
            {(!why.trim().is_empty()).then(|| view! {
                <section class="why"><h3>"왜 중요한가"</h3>{paragraphs(&why)}</section>
            })}
            {(!body_rest.is_empty()).then(|| view! {
                <section class="body"><h3>"본문"</h3>{paragraphs(&body_rest)}</section>
            })}
            {(!sources.is_empty()).then(|| view! {
                <section class="item-sources">
                    <h3>"출처"</h3>
                    <ul class="sources">
                        {sources.into_iter().map(|s| view! { <li><SourceLink source=s /></li> }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="item-lineage">
                <LineageView lineage open=true relays_link=true />
            </section>
        </article>
    }
}

/// What the body says beyond the summary and "why it matters" (a body is often exactly those two).
fn body_beyond(body: &str, summary: &str, why: &str) -> String {
    let mut rest = body.trim();
    for part in [summary.trim(), why.trim()] {
        if !part.is_empty() {
            if let Some(r) = rest.strip_prefix(part) {
                rest = r.trim_start();
            }
        }
    }
    rest.to_owned()
}

/// Plain text → one `<p>` per line; a short first line followed by more is the section's subheading.
fn paragraphs(text: &str) -> impl IntoView {
    let lines: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let lead = lines.len() > 1 && lines[0].chars().count() <= 60 && !lines[0].ends_with(['.', '다', '?', '!']);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let is_lead = lead && i == 0;
            view! { <p class:lead=is_lead>{line}</p> }
        })
        .collect_view()
}

#[component]
fn SimilarHit(hit: Hit) -> impl IntoView {
    let Hit { id, title, date, companies, topics, .. } = hit;
    let has_chips = !companies.is_empty() || !topics.is_empty();
    view! {
        <li>
            <a href=item_url(&id)>{title}</a>
            <p class="meta"><time datetime=date.clone()>{korean_date(&date)}</time></p>
            {has_chips.then(|| view! { <Chips companies topics /> })}
        </li>
    }
}
