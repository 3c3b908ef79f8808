//! 출처 계보: where a story came from — the article it reports, the post that carried it first and
//! every post that carried it after, with how many days later.

use leptos::prelude::*;
use sosik_types::{Lineage, Source, SourceKind};

use super::hit::{item_url, SourceLink};
use crate::dates::korean_date;

/// A blog as the UI names it: its folder, or "최상위 폴더" for posts at the top of the posts folder.
pub fn blog_label(blog: &str) -> String {
    if blog.is_empty() {
        "최상위 폴더".to_owned()
    } else {
        blog.to_owned()
    }
}

/// A post's file name without folders or extension (`2026/000_309dbb.txt` → `000_309dbb`).
pub fn post_name(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(name).to_owned()
}

fn kind_label(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Original => "원문",
        SourceKind::Coverage => "보도",
        SourceKind::Social => "SNS",
    }
}

/// A story's lineage as a disclosure: its summary line names the source's site and how many posts
/// carried the story; open, the chain from the source to the last relay. Nothing for an item that
/// only its own post carried and that cites no article. `open`: shown open;
/// `relays_link`: with a link to `/relays` (an item page shows one lineage; a thread links once).
#[component]
pub fn LineageView(
    lineage: Lineage,
    #[prop(optional)] open: bool,
    #[prop(optional)] relays_link: bool,
) -> impl IntoView {
    let Lineage { source, carriers, .. } = lineage;
    // one post and no article: nothing to tell beyond the item itself
    let says_something = source.is_some() || carriers.len() > 1;
    let summary = format!(
        "출처 계보: {} → 글 {}편",
        source.as_ref().map_or("원 출처를 찾지 못함", |s| s.domain.as_str()),
        carriers.len()
    );
    let origin = source.map(|s| {
        let meta = format!(" · {} · {} · 글 {}편이 인용", s.domain, kind_label(s.kind), s.cited_by);
        view! {
            <li class="origin">
                <span class="step">"원 출처"</span>
                <SourceLink source=Source { title: s.title, url: s.url } />
                <span class="meta">{meta}</span>
            </li>
        }
    });
    let chain = carriers
        .into_iter()
        .map(|c| {
            // posts have dates, not times: every post of the first day carried it first
            let (class, step, lag) = match c.lag_days {
                0 => ("carrier first", "처음 전한 글", String::new()),
                days => ("carrier relay", "전한 글", format!(" · {days}일 뒤")),
            };
            view! {
                <li class=class data-lag=c.lag_days>
                    <span class="step">{step}</span>
                    <a href=item_url(&c.item)>{blog_label(&c.blog)}" · "{post_name(&c.post_path)}</a>
                    <span class="meta">
                        " · "<time datetime=c.date.clone()>{korean_date(&c.date)}</time>{lag}
                    </span>
                </li>
            }
        })
        .collect_view();
    says_something.then(|| {
        view! {
            <details class="lineage" open=open>
                <summary>{summary}</summary>
                <ol class="lineage-chain">{origin}{chain}</ol>
                {relays_link.then(|| view! { <p class="relays-link"><a href="/relays">"블로그별 전달 지연 보기 →"</a></p> })}
            </details>
        }
    })
}
