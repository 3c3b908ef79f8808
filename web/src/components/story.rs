//! Story threads in lists (the home page, company and topic pages), and the thread a search
//! names, offered above its hits.

use leptos::prelude::*;
use sosik_types::{Hit, StorySummary};

use super::Chips;
use crate::api;
use crate::dates::{korean_date, range_label};

/// A story thread in a list: title (link), dates, size, chips.
#[component]
pub fn StoryCard(story: StorySummary) -> impl IntoView {
    let StorySummary { id, title, size, posts, first_date, last_date, companies, topics } = story;
    let companies: Vec<String> = companies.into_iter().take(4).collect();
    let topics: Vec<String> = topics.into_iter().take(3).collect();
    let has_chips = !companies.is_empty() || !topics.is_empty();
    view! {
        <li class="story-card" data-story=id.clone()>
            <a class="title" href=api::story_url(&id)>{title}</a>
            <p class="meta">{range_label(&first_date, &last_date)}" · 소식 "{size}"건 · 글 "{posts}"편"</p>
            {has_chips.then(|| view! { <Chips companies topics /> })}
        </li>
    }
}

/// Story threads as cards (also used by company and topic pages).
#[component]
pub fn StoryList(stories: Vec<StorySummary>) -> impl IntoView {
    view! {
        <ol class="story-list">
            {stories.into_iter().map(|s| view! { <StoryCard story=s /> }).collect_view()}
        </ol>
    }
}

/// Items of a named thread shown above the hits (the thread's page has them all).
const OFFERED_ITEMS: usize = 6;

/// The thread a search names (`SearchResponse::story`), above the hits: its title, span and
/// size, and its timeline — the first items, oldest first, then a link to the whole thread.
#[component]
pub fn StoryOffer(story: StorySummary) -> impl IntoView {
    let StorySummary { id, title, size, posts, first_date, last_date, .. } = story;
    let href = api::story_url(&id);
    let items = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::story(&id).await.map(|s| s.items) }
        }
    });
    let timeline = move || {
        items.get().and_then(Result::ok).map(|items: Vec<Hit>| {
            let more = items.len().saturating_sub(OFFERED_ITEMS);
            view! {
                <ol class="offer-timeline">
                    {items
                        .into_iter()
                        .take(OFFERED_ITEMS)
                        .map(|h| {
                            view! {
                                <li>
                                    <time datetime=h.date.clone()>{korean_date(&h.date)}</time>
                                    " "
                                    <a href=crate::components::item_url(&h.id)>{h.title}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                {(more > 0).then(|| view! { <p class="offer-more">"… 그 뒤로 "{more}"건 더"</p> })}
            }
        })
    };
    view! {
        <aside id="story-offer" class="story-offer" aria-labelledby="story-offer-title" data-story=id.clone()>
            <p class="kicker">"이 검색이 가리키는 이어지는 이야기"</p>
            <h3 id="story-offer-title"><a href=href.clone()>{title}</a></h3>
            <p class="meta">{range_label(&first_date, &last_date)}" · 소식 "{size}"건 · 글 "{posts}"편"</p>
            {timeline}
            <p class="offer-link"><a href=href>"이야기 전체를 타임라인으로 보기 →"</a></p>
        </aside>
    }
}
