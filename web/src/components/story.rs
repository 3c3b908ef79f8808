//! Story threads in lists (the home page, company and topic pages).

use leptos::prelude::*;
use sosik_types::StorySummary;

use super::Chips;
use crate::api;
use crate::dates::range_label;

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
