//! `/relays`: how soon each blog relays a story another blog carried first (출처 계보 over the
//! whole corpus): per blog its counts, the median and 90th percentile of its lag, and a chart of
//! its relays by lag.

use leptos::prelude::*;
use sosik_types::{BlogRelays, RelayStats};

use crate::api;
use crate::chart::LagChart;
use crate::components::{blog_label, failed, loading};

#[component]
pub fn RelaysPage() -> impl IntoView {
    let stats = LocalResource::new(api::relays);
    Effect::new(move |_| document().set_title("블로그별 전달 지연 – 소식 sosik"));
    view! {
        <div class="relays-page">
            <header class="page-head">
                <p class="kicker">"출처 계보"</p>
                <h2 id="relays-title">"블로그별 전달 지연"</h2>
                <p class="lede">
                    "두 블로그 이상이 전한 소식마다, 다른 블로그가 먼저 전한 소식을 며칠 뒤에 전했는지 블로그별로 셉니다. "
                    "글에는 시각 없이 날짜만 있어, 소식이 처음 실린 날에 전한 블로그는 모두 먼저 전한 것으로 셉니다."
                </p>
            </header>
            {move || match stats.get() {
                Some(Ok(stats)) => view! { <RelaysView stats /> }.into_any(),
                Some(Err(e)) => failed(&e, true),
                None => loading(true),
            }}
        </div>
    }
}

#[component]
fn RelaysView(stats: RelayStats) -> impl IntoView {
    let RelayStats { groups, resolved, cross_blog, blogs } = stats;
    let share = if groups > 0 { (resolved * 1000 / groups) as f64 / 10.0 } else { 0.0 };
    view! {
        <p id="relay-totals" class="meta">
            "두 편 이상의 글에 실린 소식 "{groups}"건 · 원 출처를 찾은 소식 "{resolved}"건 ("{share}"%) · "
            "두 블로그 이상이 전한 소식 "{cross_blog}"건"
        </p>
        {if blogs.is_empty() {
            view! { <p class="status">"두 블로그 이상이 전한 소식이 없습니다."</p> }.into_any()
        } else {
            // `role="list"`: a list styled without markers is still announced as one (Safari)
            view! {
                <ol class="blog-relays" role="list" aria-labelledby="relays-title">
                    {blogs.into_iter().map(|blog| view! { <BlogCard blog /> }).collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}

#[component]
fn BlogCard(blog: BlogRelays) -> impl IntoView {
    let BlogRelays { blog, groups, first, relays, median_lag_days, p90_lag_days, lags } = blog;
    let name = blog_label(&blog);
    let lag = match (median_lag_days, p90_lag_days) {
        (Some(median), Some(p90)) => format!(" · 중앙값 {median}일 · 90% {p90}일 이내"),
        _ => String::new(),
    };
    view! {
        <li class="blog-relay" data-blog=blog>
            <h3>{name.clone()}</h3>
            <p class="meta">"다른 블로그와 함께 전한 소식 "{groups}"건 · 먼저 "{first}"건 · 뒤따라 "{relays}"건"{lag}</p>
            {(relays > 0).then(|| view! { <LagChart lags label=format!("{name} 전달 지연") /> })}
        </li>
    }
}
