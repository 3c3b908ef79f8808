//! `/timeline?company=…&topic=…&q=…&interval=day|week|month&bucket=YYYY-MM-DD`: how many items
//! matched per day, week or month as a bar chart, and the dated items under it. Without a bucket
//! the list shows each bucket's most prominent items (newest bucket first); a bar (click, or Enter
//! when focused) puts its bucket in the URL and the list becomes every item of that range, from
//! `/api/search` with `from`/`to`, newest first.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use sosik_types::{EntityKind, Hit, Interval, TimelineBucket, TimelineResponse};

use crate::api::{self, SearchParams, TimelineParams};
use crate::chart::{Bar, BarChart};
use crate::components::HitItem;
use crate::dates::{bucket_label, range_label, Date};
use crate::names::use_catalog;

/// What a single-value picker shows for a field: its value when it has exactly one, else "전체".
fn single(values: &[String]) -> String {
    match values {
        [one] => one.clone(),
        _ => String::new(),
    }
}

/// The page's URL, read: the timeline's parameters and the chosen bucket, or why the URL is wrong.
#[derive(Clone, Debug, PartialEq)]
struct Url {
    params: TimelineParams,
    /// The chosen bucket's first and last day.
    bucket: Option<(String, String)>,
    error: Option<String>,
}

fn read_url(get: impl Fn(&str) -> String, get_all: impl Fn(&str) -> Vec<String>) -> Url {
    let mut error = None;
    let interval = match get("interval").as_str() {
        "" | "week" => Interval::Week,
        "day" => Interval::Day,
        "month" => Interval::Month,
        other => {
            error = Some(format!("interval={other}: day, week, month 가운데 하나여야 합니다. 주별로 보여 드립니다."));
            Interval::Week
        }
    };
    let bucket = match get("bucket").as_str() {
        "" => None,
        b => match Date::parse(b) {
            Some(d) => {
                let start = d.bucket_start(interval);
                Some((start.iso(), start.bucket_end(interval).iso()))
            }
            None => {
                error = Some(format!("bucket={b}: YYYY-MM-DD 형식의 날짜가 아닙니다. 전체 기간을 보여 드립니다."));
                None
            }
        },
    };
    Url {
        params: TimelineParams {
            q: get("q"),
            company: get_all("company"),
            topic: get_all("topic"),
            name: get_all("name"),
            interval,
        },
        bucket,
        error,
    }
}

#[component]
pub fn TimelinePage() -> impl IntoView {
    let query = use_query_map();
    let url = Memo::new(move |_| {
        let query = query.read();
        read_url(
            |k| query.get(k).map(|v| v.trim().to_owned()).unwrap_or_default(),
            |k| api::filter_values(query.get_all(k)),
        )
    });
    let params = Memo::new(move |_| url.read().params.clone());
    let bucket = Memo::new(move |_| url.read().bucket.clone());

    let timeline = LocalResource::new(move || {
        let p = params.get();
        async move {
            let result = api::timeline(&p).await;
            (p, result)
        }
    });
    // The chosen bucket's items: every one, newest first, a page at a time.
    let bucket_search = Memo::new(move |_| {
        let p = params.get();
        bucket.get().map(|(from, to)| SearchParams {
            q: p.q,
            company: p.company,
            topic: p.topic,
            name: p.name,
            from,
            to,
            sort: sosik_types::SortOrder::Date,
            ..Default::default()
        })
    });
    let bucket_items = LocalResource::new(move || {
        let search = bucket_search.get();
        async move {
            let result = match &search {
                Some(s) => Some(api::search(s, api::BUCKET_ITEMS, 0).await),
                None => None,
            };
            (search, result)
        }
    });
    let bucket_answer = Memo::new(move |_| match bucket_items.get() {
        Some((for_search, Some(result))) if for_search == bucket_search.get() => Some(result),
        _ => None,
    });
    // Pages after the first ("더 보기"), dropped when the bucket or the filters change.
    let more = RwSignal::new(Vec::<Hit>::new());
    let more_error = RwSignal::new(None::<String>);
    let loading_more = RwSignal::new(false);
    Effect::new(move |_| {
        bucket_search.track();
        more.set(Vec::new());
        more_error.set(None);
    });
    let shown = move || {
        bucket_answer.with(|a| match a {
            Some(Ok(r)) => r.hits.len() + more.with(Vec::len),
            _ => 0,
        })
    };
    let can_load_more = move || {
        let total = bucket_answer.with(|a| match a {
            Some(Ok(r)) => r.total as usize,
            _ => 0,
        });
        let shown = shown();
        shown < total && shown <= api::MAX_OFFSET
    };
    let load_more = move |_| {
        let Some(search) = bucket_search.get_untracked() else { return };
        let offset = shown();
        loading_more.set(true);
        spawn_local(async move {
            let result = api::search(&search, api::BUCKET_ITEMS, offset).await;
            // An answer for a bucket no longer chosen is dropped.
            if bucket_search.get_untracked().as_ref() == Some(&search) {
                match result {
                    Ok(r) => more.update(|m| m.extend(r.hits)),
                    Err(e) => more_error.set(Some(e.to_string())),
                }
            }
            loading_more.set(false);
        });
    };
    let current = Memo::new(move |_| match timeline.get() {
        Some((for_p, result)) if for_p == params.get() => Some(result),
        _ => None,
    });

    let catalog = use_catalog();
    Effect::new(move |_| {
        let p = params.get();
        let mut what: Vec<String> = Vec::new();
        // several values of a field are alternatives
        for (kind, values) in
            [(EntityKind::Company, &p.company), (EntityKind::Topic, &p.topic), (EntityKind::Person, &p.name)]
        {
            if !values.is_empty() {
                what.push(values.iter().map(|v| catalog.name(kind, v)).collect::<Vec<_>>().join("/"));
            }
        }
        if !p.q.is_empty() {
            what.push(format!("‘{}’", p.q));
        }
        let title =
            if what.is_empty() { "타임라인".to_owned() } else { format!("{} 타임라인", what.join(" · ")) };
        document().set_title(&format!("{title} – 소식 sosik"));
    });

    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |p: TimelineParams, bucket: Option<String>| navigate(&p.url(bucket.as_deref()), Default::default())
    };
    let select_bucket = {
        let go = go.clone();
        Callback::new(move |start: String| {
            let p = params.get_untracked();
            // The chosen bar again: back to the whole range.
            let again = bucket.with_untracked(|b| b.as_ref().is_some_and(|(s, _)| *s == start));
            go(p, (!again).then_some(start));
        })
    };
    let selected = Signal::derive(move || bucket.get().map(|(start, _)| start));

    let input = NodeRef::<html::Input>::new();
    let on_submit = {
        let go = go.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let mut p = params.get_untracked();
            p.q = input.get().map(|i| i.value().trim().to_owned()).unwrap_or_default();
            go(p, None);
        }
    };
    let on_change = {
        let go = go.clone();
        move |field: &'static str| {
            let go = go.clone();
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                let mut p = params.get_untracked();
                // the picker chooses one value (or all); several come from a URL or a chip
                let one = |v: String| if v.is_empty() { Vec::new() } else { vec![v] };
                match field {
                    "company" => p.company = one(value),
                    "topic" => p.topic = one(value),
                    _ => {
                        p.interval = match value.as_str() {
                            "day" => Interval::Day,
                            "month" => Interval::Month,
                            _ => Interval::Week,
                        }
                    }
                }
                go(p, None);
            }
        }
    };

    let options = move |kind: EntityKind| {
        move || {
            let chosen = match kind {
                EntityKind::Company => params.read().company.clone(),
                _ => params.read().topic.clone(),
            };
            let chosen = single(&chosen);
            catalog.list(kind).with(|l| match l {
                Some(Ok(list)) => list
                    .entities
                    .iter()
                    .filter(|e| e.items > 0 || e.slug == chosen)
                    .map(|e| {
                        let label = format!("{} ({})", e.name, e.items);
                        let selected = e.slug == chosen;
                        view! { <option value=e.slug.clone() selected=selected>{label}</option> }
                    })
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            })
        }
    };
    let clear_bucket = {
        let go = go.clone();
        move |_| go(params.get_untracked(), None)
    };

    view! {
        <div class="timeline-page">
            <header class="page-head"><h2>"타임라인"</h2></header>
            <form class="timeline-form" method="get" action="/timeline" on:submit=on_submit role="search">
                <label class="control">
                    <span>"회사"</span>
                    <select id="tl-company" name="company" on:change=on_change("company") prop:value=move || single(&params.read().company)>
                        <option value="">"전체"</option>
                        {options(EntityKind::Company)}
                    </select>
                </label>
                <label class="control">
                    <span>"주제"</span>
                    <select id="tl-topic" name="topic" on:change=on_change("topic") prop:value=move || single(&params.read().topic)>
                        <option value="">"전체"</option>
                        {options(EntityKind::Topic)}
                    </select>
                </label>
                <label class="control">
                    <span>"단위"</span>
                    <select id="tl-interval" name="interval" on:change=on_change("interval") prop:value=move || params.read().interval.as_str()>
                        <option value="day">"일"</option>
                        <option value="week">"주"</option>
                        <option value="month">"월"</option>
                    </select>
                </label>
                <label class="control grow">
                    <span>"검색어"</span>
                    <input node_ref=input id="tl-q" name="q" type="search" placeholder="선택 사항" prop:value=move || params.read().q.clone() />
                </label>
                // a person, product or organisation (from its page) stays chosen
                {move || {
                    params.read().name.iter().map(|name| view! { <input type="hidden" name="name" value=name.clone() /> }).collect_view()
                }}
                <button type="submit">"보기"</button>
            </form>
            {move || url.read().error.clone().map(|e| view! { <p class="status error">{e}</p> })}
            // a person, product or organisation has no picker: it shows as a chip that removes it
            {
                let go = go.clone();
                move || {
                    let p = params.get();
                    // a chip per name, and per company or topic when a field has several values
                    // (the pickers show one)
                    let mut chips: Vec<(String, TimelineParams)> = Vec::new();
                    for (label, kind, values) in [
                        ("회사", EntityKind::Company, &p.company),
                        ("주제", EntityKind::Topic, &p.topic),
                        ("이름", EntityKind::Person, &p.name),
                    ] {
                        if kind != EntityKind::Person && values.len() < 2 {
                            continue;
                        }
                        for v in values {
                            let mut without = p.clone();
                            let field = match kind {
                                EntityKind::Company => &mut without.company,
                                EntityKind::Topic => &mut without.topic,
                                _ => &mut without.name,
                            };
                            field.retain(|x| x != v);
                            chips.push((format!("{label}: {}", catalog.name(kind, v)), without));
                        }
                    }
                    (!chips.is_empty()).then(|| {
                        let go = go.clone();
                        view! {
                            <div id="tl-name" class="active-filters">
                                {chips
                                    .into_iter()
                                    .map(|(label, without)| {
                                        let aria = format!("{label} 필터 해제");
                                        let go = go.clone();
                                        view! {
                                            <button type="button" class="active-filter" aria-label=aria on:click=move |_| go(without.clone(), None)>
                                                {label}<span aria-hidden="true">" ×"</span>
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                    })
                }
            }
            <p id="status" class="status" role="status" aria-live="polite" class:error=move || matches!(current.get(), Some(Err(_)))>
                {move || match current.get() {
                    None => "불러오는 중…".to_owned(),
                    Some(Err(e)) => e.to_string(),
                    Some(Ok(t)) => timeline_status(&t),
                }}
            </p>
            {move || match current.get() {
                Some(Ok(t)) if t.total > 0 => {
                    let interval = t.interval;
                    let bars = t.buckets.iter().map(|b| Bar { start: b.start.clone(), end: b.end.clone(), count: b.count }).collect();
                    let label = format!("{}별 소식 수", interval_word(interval));
                    view! { <BarChart bars interval label selected on_select=select_bucket /> }.into_any()
                }
                _ => ().into_any(),
            }}
            {move || match bucket.get() {
                None => ().into_any(),
                Some((from, to)) => {
                    let clear_bucket = clear_bucket.clone();
                    view! {
                        <div class="bucket-head">
                            <h3 id="bucket-title">{range_label(&from, &to)}</h3>
                            <button type="button" class="link" on:click=clear_bucket>"전체 기간 보기"</button>
                        </div>
                    }
                    .into_any()
                }
            }}
            // One live region for every bucket chosen, so each new count is announced.
            <p id="bucket-status" class="status" role="status" aria-live="polite" hidden=move || bucket.read().is_none()>
                {move || bucket.read().is_some().then(|| match bucket_answer.get() {
                    None => "불러오는 중…".to_owned(),
                    Some(Err(e)) => e.to_string(),
                    Some(Ok(r)) if r.total == 0 => "이 기간에는 소식이 없습니다.".to_owned(),
                    Some(Ok(r)) if r.total > shown() as u64 => {
                        format!("이 기간의 소식 {}건 가운데 최신 {}건", r.total, shown())
                    }
                    Some(Ok(r)) => format!("이 기간의 소식 {}건, 최신순", r.total),
                })}
            </p>
            {move || match bucket.get() {
                None => match current.get() {
                    Some(Ok(t)) => view! { <BucketGroups timeline=t on_select=select_bucket /> }.into_any(),
                    _ => ().into_any(),
                },
                Some(_) => view! {
                    <ol id="timeline-items" class="hits" aria-labelledby="bucket-title">
                        {move || bucket_answer
                            .get()
                            .and_then(Result::ok)
                            .map(|r| r.hits.into_iter().map(|hit| view! { <HitItem hit /> }).collect_view())}
                        {move || more.get().into_iter().map(|hit| view! { <HitItem hit /> }).collect_view()}
                    </ol>
                    {move || more_error.get().map(|e| view! { <p class="status error">{e}</p> })}
                    <button
                        type="button"
                        class="more"
                        hidden=move || !can_load_more()
                        disabled=move || loading_more.get()
                        on:click=load_more
                    >
                        {move || if loading_more.get() { "불러오는 중…" } else { "더 보기" }}
                    </button>
                }
                .into_any(),
            }}
        </div>
    }
}

fn interval_word(interval: Interval) -> &'static str {
    match interval {
        Interval::Day => "일",
        Interval::Week => "주",
        Interval::Month => "월",
    }
}

fn timeline_status(t: &TimelineResponse) -> String {
    if t.total == 0 {
        return "조건에 맞는 소식이 없습니다.".to_owned();
    }
    let range = match (t.buckets.first(), t.buckets.last()) {
        (Some(a), Some(b)) => format!(" · {}", range_label(&a.start, &b.end)),
        _ => String::new(),
    };
    format!("소식 {}건{range} · 막대를 고르면 그 {}의 소식을 모두 봅니다.", t.total, interval_word(t.interval))
}

/// How many bucket groups the list shows at first, and adds per "more" (a year of days would be
/// hundreds of groups).
const GROUPS_PAGE: usize = 12;

/// Without a chosen bucket: each non-empty bucket, newest first, with its most prominent items.
#[component]
fn BucketGroups(timeline: TimelineResponse, on_select: Callback<String>) -> impl IntoView {
    let interval = timeline.interval;
    let groups: Vec<TimelineBucket> = timeline.buckets.into_iter().rev().filter(|b| b.count > 0).collect();
    let total = groups.len();
    let groups = StoredValue::new(groups);
    let shown = RwSignal::new(GROUPS_PAGE);
    let group = move |TimelineBucket { start, count, top, .. }: TimelineBucket| {
        let label = bucket_label(&start, interval);
        let more = count as usize > top.len();
        let all = format!("이 {}의 소식 {count}건 모두 보기", interval_word(interval));
        let chosen = start.clone();
        view! {
            <section class="bucket-group" data-bucket=start>
                <h3>{label}<span class="count">{format!(" · {count}건")}</span></h3>
                <ol class="hits">{top.into_iter().map(|hit| view! { <HitItem hit /> }).collect_view()}</ol>
                {more.then(|| view! {
                    <button type="button" class="link" on:click=move |_| on_select.run(chosen.clone())>{all}</button>
                })}
            </section>
        }
    };
    let rest = move || total.saturating_sub(shown.get());
    view! {
        <div id="bucket-groups">
            <For
                each=move || groups.with_value(|g| g.iter().take(shown.get()).cloned().collect::<Vec<_>>())
                key=|b| b.start.clone()
                children=group
            />
            <button type="button" class="more" hidden=move || rest() == 0 on:click=move |_| shown.update(|n| *n += GROUPS_PAGE)>
                {move || {
                    let unit = match interval {
                        Interval::Day => "일",
                        Interval::Week => "주",
                        Interval::Month => "개월",
                    };
                    format!("더 이전 소식 보기 (남은 {}{unit})", rest())
                }}
            </button>
        </div>
    }
}
