//! `/stories/{id}`: one story thread as a vertical timeline (date, title, post, sources, copies in
//! other posts), oldest first, with its Atom feed.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use sosik_types::{Hit, Lineage, Story, StorySummary};

use crate::api;
use crate::components::{failed, item_url, loading, post_name, Chips, LineageView, SourceLink};
use crate::dates::{korean_date, range_label};
use crate::follows::{Follow, FollowButton, FollowKind};

#[component]
pub fn StoryPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let story = LocalResource::new(move || {
        let id = id.get();
        async move {
            let result = api::story(&id).await;
            (id, result)
        }
    });
    Effect::new(move |_| {
        if let Some((_, Ok(story))) = story.get() {
            document().set_title(&format!("{} – 이야기 – 소식 sosik", story.summary.title));
        }
    });
    Effect::new(move |_| {
        id.track();
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    view! {
        <div class="story-page">
            {move || match story.get() {
                Some((for_id, result)) if for_id == id.get() => match result {
                    Ok(story) => view! { <StoryView story /> }.into_any(),
                    Err(e) if e.is_not_found() => view! {
                        <p id="status" class="status error">
                            "이 이야기를 찾을 수 없습니다. "<A href="/">"처음으로 돌아가기"</A>
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
fn StoryView(story: Story) -> impl IntoView {
    let Story { summary, items, lineage } = story;
    let StorySummary { id, title, size, posts, first_date, last_date, companies, topics } = summary;
    let has_chips = !companies.is_empty() || !topics.is_empty();
    let feed = api::story_feed_url(&id);
    let follow = Follow { kind: FollowKind::Story, id: id.clone(), label: title.clone() };
    view! {
        <header class="page-head">
            <p class="kicker">"이어지는 이야기"</p>
            <h2 id="story-title">{title}</h2>
            <p class="meta">
                {range_label(&first_date, &last_date)}
                " · 소식 "{size}"건 · 글 "{posts}"편"
            </p>
            {has_chips.then(|| view! { <Chips companies topics /> })}
            <p class="follow">
                <a class="feed" href=feed type="application/atom+xml">"Atom 피드로 구독"</a>
                " "
                <FollowButton follow=follow />
            </p>
        </header>
        <ol class="thread" aria-labelledby="story-title">
            {items.into_iter().zip(lineage).map(|(hit, lineage)| view! { <ThreadItem hit lineage /> }).collect_view()}
        </ol>
        <p class="relays-link"><a href="/relays">"출처 계보: 블로그별 전달 지연 보기 →"</a></p>
    }
}

/// One item on the thread: its date on the rail, then title, post, sources, copies and where
/// the story came from.
#[component]
fn ThreadItem(hit: Hit, lineage: Lineage) -> impl IntoView {
    let Hit { id, post_path, title, post_title, date, sources, also_in, .. } = hit;
    let post = post_name(&post_path);
    view! {
        <li class="thread-item">
            <time datetime=date.clone()>{korean_date(&date)}</time>
            <div class="thread-body">
                <h3>
                    <a href=item_url(&id)>{title}</a>
                    {post_title.map(|p| view! { <span class="post-of">" — "{p}</span> })}
                </h3>
                <p class="meta post">"글 "{post}</p>
                {(!sources.is_empty()).then(|| view! {
                    <ul class="sources" aria-label="출처">
                        {sources.into_iter().map(|s| view! { <li><SourceLink source=s /></li> }).collect_view()}
                    </ul>
                })}
                {(!also_in.is_empty()).then(|| view! {
                    <p class="also-in">
                        "같은 소식: "
                        {also_in
                            .into_iter()
                            .map(|d| view! {
                                <a href=item_url(&d.id)>{post_name(&d.post_path)}</a>
                                " ("<time datetime=d.date.clone()>{korean_date(&d.date)}</time>") "
                            })
                            .collect_view()}
                    </p>
                })}
                <LineageView lineage />
            </div>
        </li>
    }
}
