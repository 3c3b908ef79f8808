//! `/new` — 새 소식: what arrived for everything this browser follows (companies, topics, names,
//! story threads, searches; see `follows.rs`) since the last visit of this page, newest first,
//! near-duplicate copies collapsed into one hit (`also_in`), grouped by what is followed, with
//! the counts in the page's header. The first visit shows the corpus's last 7 days.
//!
//! "Arrived" is read by the items' dates: the index keeps no arrival time, so an item dated on
//! the day the last visit already covered (a post added later but dated that day) is not shown.

use leptos::prelude::*;
use sosik_types::{Hit, SortOrder};

use crate::api::{self, ApiError, SearchParams};
use crate::components::HitItem;
use crate::dates::{korean_date, Date};
use crate::follows::{self, use_follows, Follow, FollowKind};

/// New items listed per followed thing (the count says how many there are).
const PER_GROUP: usize = 10;
/// Days a first visit looks back from the newest item.
const FIRST_VISIT_DAYS: i64 = 7;

/// A followed search: the search it saved (as JSON, see `SearchParams`).
pub fn search_follow(p: &SearchParams, label: String) -> Follow {
    let saved = SearchParams { sort: SortOrder::Relevance, ..p.clone() };
    Follow { kind: FollowKind::Search, id: serde_json::to_string(&saved).unwrap_or_default(), label }
}

/// What `follow` has after `since` (`YYYY-MM-DD`): how many items, and the newest of them.
async fn updates_for(follow: &Follow, since: &str) -> Result<(u64, Vec<Hit>), ApiError> {
    let from = Date::parse(since).map(|d| d.add_days(1).iso()).unwrap_or_default();
    let browse = |mut p: SearchParams| {
        p.sort = SortOrder::Date;
        // a saved search's own range still holds; only what is newer than `since` is new
        if p.from.as_str() < from.as_str() {
            p.from = from.clone();
        }
        p
    };
    let one = || vec![follow.id.clone()];
    let search = match follow.kind {
        FollowKind::Company => browse(SearchParams { company: one(), ..Default::default() }),
        FollowKind::Topic => browse(SearchParams { topic: one(), ..Default::default() }),
        FollowKind::Name => browse(SearchParams { name: one(), ..Default::default() }),
        FollowKind::Search => match serde_json::from_str::<SearchParams>(&follow.id) {
            Ok(saved) => browse(saved),
            Err(e) => return Err(ApiError::Decode(format!("저장된 검색을 읽을 수 없습니다: {e}"))),
        },
        FollowKind::Story => {
            let story = api::story(&follow.id).await?;
            let mut new: Vec<Hit> = story.items.into_iter().filter(|h| h.date.as_str() > since).collect();
            new.reverse(); // newest first
            return Ok((new.len() as u64, new.into_iter().take(PER_GROUP).collect()));
        }
    };
    if !search.to.is_empty() && search.to < search.from {
        return Ok((0, Vec::new()));
    }
    let answer = api::search(&search, PER_GROUP, 0).await?;
    Ok((answer.total, answer.hits))
}

type Groups = (String, Vec<(Follow, Result<(u64, Vec<Hit>), ApiError>)>);

#[component]
pub fn UpdatesPage() -> impl IntoView {
    let follows = use_follows();
    // what this visit compares against: read once, before this visit moves it on
    let previous = follows::seen();
    let newest = LocalResource::new(|| api::trending(1));
    let newest_day = Memo::new(move |_| match newest.get() {
        Some(Ok(t)) if !t.to.is_empty() => Some(t.to),
        _ => None,
    });
    let since = Memo::new({
        let previous = previous.clone();
        move |_| match (&previous, newest_day.get()) {
            (Some(day), _) => Some(day.clone()),
            (None, Some(last)) => Date::parse(&last).map(|d| d.add_days(-FIRST_VISIT_DAYS).iso()),
            (None, None) => None,
        }
    });

    let groups = LocalResource::new(move || {
        let since = since.get();
        let list = follows.list();
        async move {
            let since = since?;
            let mut out = Vec::new();
            for f in list {
                let found = updates_for(&f, &since).await;
                out.push((f, found));
            }
            Some((since, out))
        }
    });
    let loaded = Memo::new(move |_| groups.get().flatten());
    // the next visit shows what arrives after the newest day there is now, once this one has
    // shown what was new (not if a lookup failed)
    Effect::new(move |_| {
        let shown = loaded.with(|l| l.as_ref().is_some_and(|(_, g)| g.iter().all(|(_, r)| r.is_ok())));
        if let (true, Some(day)) = (shown, newest_day.get_untracked()) {
            follows::set_seen(&day);
        }
    });
    let header = move || {
        let n = follows.list().len();
        match loaded.get() {
            _ if n == 0 => {
                "팔로우하는 것이 없습니다. 회사·주제·이름·이야기 페이지나 검색 결과에서 ‘+ 팔로우’를 누르세요."
                    .to_owned()
            }
            None => "불러오는 중…".to_owned(),
            Some((since, groups)) => {
                let total: u64 = groups.iter().filter_map(|(_, r)| r.as_ref().ok()).map(|(c, _)| c).sum();
                let with_news = groups.iter().filter(|(_, r)| matches!(r, Ok((c, _)) if *c > 0)).count();
                let first = if previous.is_none() { " (첫 방문: 최근 7일)" } else { "" };
                format!("팔로우 {n}개 가운데 {with_news}개에 새 소식 {total}건 · {} 이후{first}", korean_date(&since))
            }
        }
    };
    Effect::new(move |_| document().set_title("새 소식 – 소식 sosik"));
    view! {
        <header class="page-head">
            <h2>"새 소식"</h2>
            <p id="updates-status" class="status" role="status" aria-live="polite">{header}</p>
        </header>
        {move || loaded.get().map(|(_, groups): Groups| groups.into_iter().map(|g| view! { <UpdateGroup group=g /> }).collect_view())}
    }
}

#[component]
fn UpdateGroup(group: (Follow, Result<(u64, Vec<Hit>), ApiError>)) -> impl IntoView {
    let (follow, found) = group;
    let href = match (follow.kind.entity(), follow.kind) {
        (Some(kind), _) => api::entity_url(kind, &follow.id),
        (None, FollowKind::Story) => api::story_url(&follow.id),
        (None, _) => serde_json::from_str::<SearchParams>(&follow.id).map(|p| p.url()).unwrap_or_default(),
    };
    let count = match &found {
        Ok((n, _)) => format!("{n}건"),
        Err(_) => "오류".to_owned(),
    };
    view! {
        <section class="update-group" data-kind=format!("{:?}", follow.kind).to_lowercase() data-id=follow.id.clone()>
            <h3>
                <a href=href>{follow.label.clone()}</a>
                " "<span class="kind">{follow.kind.label()}</span>
                " "<span class="count">{count}</span>
            </h3>
            {match found {
                Err(e) => view! { <p class="status error">{e.to_string()}</p> }.into_any(),
                Ok((0, _)) => view! { <p class="none">"새 소식 없음"</p> }.into_any(),
                Ok((_, hits)) => view! {
                    <ol class="hits update-hits">
                        {hits.into_iter().map(|hit| view! { <HitItem hit /> }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}
