//! One hit in a list — title, date, snippet, company/topic chips, sources and copies — as the
//! search, company, topic and timeline pages show it; and the pieces of it the item and story
//! pages reuse.

use leptos::prelude::*;
use sosik_types::{snippet_runs, EntityKind, Hit, Source};

use crate::api;
use crate::dates::{korean_date, range_label};
use crate::names::use_catalog;

/// The item page of an item.
pub fn item_url(id: &str) -> String {
    format!("/items/{}", api::encode_uri_component(id))
}

/// One hit: title (a link to its item page), date, snippet, company/topic chips and sources.
#[component]
pub fn HitItem(
    hit: Hit,
    #[prop(into, optional)] focused: Signal<bool>,
    /// In the search page's results listbox: the option's element id.
    #[prop(optional, into)]
    option_id: Option<String>,
) -> impl IntoView {
    let Hit {
        id, title, post_title, date, snippet, companies, topics, names, sources, also_in, story, story_span, ..
    } = hit;
    let is_option = option_id.is_some();
    let has_chips = !companies.is_empty() || !topics.is_empty() || !names.is_empty();
    let has_sources = !sources.is_empty();
    let has_copies = !also_in.is_empty();
    let href = item_url(&id);
    view! {
        <li
            class="hit"
            id=option_id
            role=is_option.then_some("option")
            aria-selected=move || is_option.then(|| focused.get().to_string())
            class:focused=move || focused.get()
            aria-current=move || (!is_option && focused.get()).then_some("true")
        >
            <h3>
                <a href=href>{title}</a>
                // an essay's passage: its heading, and the essay it is from
                {post_title.map(|p| view! { <span class="post-of">" — "{p}</span> })}
            </h3>
            <p class="meta">
                <time datetime=date.clone()>{korean_date(&date)}</time>
            </p>
            <p class="snippet"><Snippet snippet /></p>
            {has_chips.then(|| view! { <Chips companies topics names /> })}
            {has_sources.then(|| view! {
                <ul class="sources" aria-label="출처">
                    {sources.into_iter().map(|s| view! { <li><SourceLink source=s /></li> }).collect_view()}
                </ul>
            })}
            // The story thread it is part of: how many items over which days.
            {story.zip(story_span).map(|(id, span)| {
                let label = format!("이어지는 이야기: {}건 · {}", span.size, range_label(&span.first_date, &span.last_date));
                view! { <p class="thread-link"><a href=api::story_url(&id)>{label}</a></p> }
            })}
            // The same story in other posts (collapsed by the server).
            {has_copies.then(|| {
                let count = also_in.len();
                view! {
                    <details class="also-in">
                        <summary>{format!("다른 글 {count}건에도 실렸습니다")}</summary>
                        <ul>
                            {also_in.into_iter().map(|d| view! {
                                <li>
                                    <a href=item_url(&d.id)>{d.title}</a>
                                    " · "
                                    <time datetime=d.date.clone()>{korean_date(&d.date)}</time>
                                </li>
                            }).collect_view()}
                        </ul>
                    </details>
                }
            })}
        </li>
    }
}

/// Company, topic and name chips: display names, each a link to its page (`data-slug` holds the
/// slug).
#[component]
pub fn Chips(
    companies: Vec<String>,
    topics: Vec<String>,
    /// People, products and organisations.
    #[prop(optional)]
    names: Vec<String>,
) -> impl IntoView {
    let catalog = use_catalog();
    let chip = move |kind: EntityKind, slug: String| {
        let href = api::entity_url(kind, &slug);
        let (class, hash) = match kind {
            EntityKind::Company => ("chip company", ""),
            EntityKind::Topic => ("chip topic", "#"),
            EntityKind::Person | EntityKind::Product | EntityKind::Organization => ("chip name", ""),
        };
        let name = {
            let slug = slug.clone();
            move || catalog.name(kind, &slug)
        };
        view! { <li class=class data-slug=slug><a href=href>{hash}{name}</a></li> }
    };
    view! {
        <ul class="chips" aria-label="회사, 주제와 이름">
            {companies.into_iter().map(|c| chip(EntityKind::Company, c)).collect_view()}
            {topics.into_iter().map(|t| chip(EntityKind::Topic, t)).collect_view()}
            // the page of a name says whether it is a person, product or organisation
            {names.into_iter().map(|n| chip(EntityKind::Person, n)).collect_view()}
        </ul>
    }
}

/// A snippet as text with `<mark>` highlights. The server HTML-escapes it and adds only `<mark>`
/// around matches; it is still read back into text runs rather than set as HTML, so that no
/// post's text can ever become markup on the page.
#[component]
fn Snippet(snippet: String) -> impl IntoView {
    snippet_runs(&snippet)
        .into_iter()
        .map(|run| if run.marked { view! { <mark>{run.text}</mark> }.into_any() } else { run.text.into_any() })
        .collect_view()
}

#[component]
pub fn SourceLink(source: Source) -> impl IntoView {
    // Only web links become links: a post could cite anything, javascript: included.
    let href = source.web_url().map(str::to_owned);
    let Source { title, url } = source;
    let label = if title.trim().is_empty() { url } else { title };
    view! { <a href=href rel="noopener noreferrer" target="_blank">{label}</a> }
}
