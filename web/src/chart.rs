//! Charts drawn as SVG by hand: a bar chart of counts per day/week/month with Korean date labels
//! (keyboard-accessible bars when they can be chosen), and a sparkline for lists.

use leptos::prelude::*;
use leptos::web_sys;
use sosik_types::{Interval, LagBucket, Series};

use crate::dates::{bucket_label, Date};

/// One bar: a bucket's first and last day (`YYYY-MM-DD`, inclusive) and its count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub start: String,
    pub end: String,
    pub count: u64,
}

/// The bars of a series (`start` plus one count per bucket).
pub fn series_bars(series: &Series) -> Vec<Bar> {
    let Some(start) = Date::parse(&series.start) else { return Vec::new() };
    series
        .counts
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let first = start.bucket(series.interval, i);
            Bar { start: first.iso(), end: first.bucket_end(series.interval).iso(), count }
        })
        .collect()
}

/// Height of the whole chart, of the date axis under the bars, and of the room above them.
const HEIGHT: f64 = 168.0;
const AXIS: f64 = 26.0;
const TOP: f64 = 14.0;
/// Room for the count labels left of the bars.
const LEFT: f64 = 30.0;
/// The widest a chart gets; on narrower screens, the screen's width (less the page's margins).
const MAX_WIDTH: f64 = 760.0;
const MIN_WIDTH: f64 = 280.0;
/// A bar's slot shares the width out, within these bounds (narrower would need scrolling).
const MIN_SLOT: f64 = 8.0;
const MAX_SLOT: f64 = 96.0;
/// Date labels closer than this to the previous one are left out.
const LABEL_GAP: f64 = 64.0;

/// Counts per bucket as bars. With `on_select`, every bar is a button (click, or Enter/Space when
/// focused; bars with items are in the tab order) that reports its bucket's first day; `selected`
/// (a first day) is highlighted. The SVG is as wide as its bars need and scrolls sideways inside
/// its box when the screen is narrower.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    interval: Interval,
    /// What the chart shows, for screen readers (`앤트로픽 주별 소식 수`).
    #[prop(into)]
    label: String,
    /// The chosen bucket's first day, when bars can be chosen (they are then toggle buttons).
    #[prop(optional, into)]
    selected: Option<Signal<Option<String>>>,
    #[prop(optional)] on_select: Option<Callback<String>>,
) -> impl IntoView {
    let n = bars.len().max(1) as f64;
    let screen = window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(MAX_WIDTH);
    let room = (screen - 40.0).clamp(MIN_WIDTH, MAX_WIDTH);
    let slot = ((room - LEFT - 8.0) / n).clamp(MIN_SLOT, MAX_SLOT);
    let width = LEFT + slot * n + 8.0;
    let plot = HEIGHT - AXIS - TOP;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let y_of = move |count: u64| TOP + plot - plot * count as f64 / max as f64;
    let baseline = TOP + plot;

    // Horizontal guides at the maximum and half of it (when that is a whole number of items).
    let mut guides = vec![max];
    if max >= 2 && max % 2 == 0 {
        guides.push(max / 2);
    }
    let guides = guides
        .into_iter()
        .map(|v| {
            let y = y_of(v);
            view! {
                <line class="guide" x1=LEFT x2=width y1=y y2=y />
                <text class="tick" x=LEFT - 4.0 y=y + 4.0 text-anchor="end">{v}</text>
            }
        })
        .collect_view();

    // Date labels where a month (a year, for monthly bars) begins, the year when it changes.
    let mut labels = Vec::new();
    let mut last_x = f64::NEG_INFINITY;
    let mut last_year = None;
    let mut last_month = None;
    for (i, bar) in bars.iter().enumerate() {
        let Some(date) = Date::parse(&bar.start) else { continue };
        // A week belongs to the month its Thursday falls in (as ISO weeks belong to years).
        let date = if interval == Interval::Week { date.add_days(3) } else { date };
        let x = LEFT + slot * i as f64;
        if Some((date.y, date.m)) == last_month || x - last_x < LABEL_GAP {
            continue;
        }
        last_month = Some((date.y, date.m));
        let text =
            if last_year == Some(date.y) { format!("{}월", date.m) } else { format!("{}년 {}월", date.y, date.m) };
        last_year = Some(date.y);
        last_x = x;
        labels.push(view! {
            <line class="axis-tick" x1=x + 0.5 x2=x + 0.5 y1=baseline y2=baseline + 5.0 />
            <text class="axis-label" x=x y=baseline + 18.0>{text}</text>
        });
    }

    let bar_views = bars
        .into_iter()
        .enumerate()
        .map(|(i, Bar { start, end, count })| {
            let x = LEFT + slot * i as f64;
            let bar_width = (slot * 0.78).max(MIN_SLOT - 2.0).min(slot - 1.0);
            let top = y_of(count);
            let height = (baseline - top).max(if count > 0 { 2.0 } else { 0.0 });
            let date = bucket_label(&start, interval);
            let aria = format!("{date}: {count}건");
            let tip = if start == end { aria.clone() } else { format!("{aria} ({start} ~ {end})") };
            let is_selected = {
                let start = start.clone();
                move || selected.is_some_and(|sel| sel.with(|s| s.as_deref() == Some(start.as_str())))
            };
            let interactive = on_select.is_some();
            let choose = {
                let start = start.clone();
                move || {
                    if let Some(cb) = on_select {
                        cb.run(start.clone());
                    }
                }
            };
            let on_key = {
                let choose = choose.clone();
                move |ev: web_sys::KeyboardEvent| {
                    if matches!(ev.key().as_str(), "Enter" | " ") {
                        ev.prevent_default();
                        choose();
                    }
                }
            };
            view! {
                <g
                    class="bar"
                    class:selected=is_selected.clone()
                    class:empty=count == 0
                    data-bucket=start
                    data-count=count
                    role=interactive.then_some("button")
                    tabindex=(interactive && count > 0).then_some("0")
                    aria-label=interactive.then_some(aria)
                    aria-pressed=move || (interactive && selected.is_some()).then(|| is_selected().to_string())
                    on:click=move |_| choose()
                    on:keydown=on_key
                >
                    <title>{tip}</title>
                    <rect class="hit" x=x y=TOP width=slot height=plot />
                    <rect class="fill" x=x + (slot - bar_width) / 2.0 y=baseline - height width=bar_width height=height rx=1.5 />
                </g>
            }
        })
        .collect_view();

    // When the bars need more room than the screen has, the newest ones are in view first.
    let wrap = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = wrap.get() {
            el.set_scroll_left(el.scroll_width());
        }
    });
    view! {
        <div class="chart-wrap" node_ref=wrap>
            <svg
                class="chart"
                width=width
                height=HEIGHT
                viewBox=format!("0 0 {width} {HEIGHT}")
                role="group"
                aria-label=label
            >
                {guides}
                <line class="baseline" x1=LEFT x2=width y1=baseline y2=baseline />
                {labels}
                {bar_views}
            </svg>
        </div>
    }
}

/// A line of counts (a list's weekly sparkline). Decorative: the list states the figures in words.
#[component]
pub fn Sparkline(counts: Vec<u64>) -> impl IntoView {
    const W: f64 = 120.0;
    const H: f64 = 28.0;
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if counts.len() > 1 { W / (counts.len() - 1) as f64 } else { 0.0 };
    let points = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| format!("{:.1},{:.1}", step * i as f64, H - 2.0 - (H - 4.0) * c as f64 / max))
        .collect::<Vec<_>>()
        .join(" ");
    let area = format!("0,{H} {points} {W},{H}");
    view! {
        <svg class="sparkline" width=W height=H viewBox=format!("0 0 {W} {H}") aria-hidden="true" focusable="false">
            <polygon class="area" points=area />
            <polyline class="line" points=points />
        </svg>
    }
}

/// A blog's relays by lag (`/api/relays`' buckets: 1, 2, 3, 4–7, 8–14, 15–30, 31+ days) as bars
/// with their labels and counts written out. The figures are also in the SVG's label.
#[component]
pub fn LagChart(
    lags: Vec<LagBucket>,
    /// What the chart shows, for screen readers (`ai-daily 전달 지연`).
    #[prop(into)]
    label: String,
) -> impl IntoView {
    const W: f64 = 320.0;
    const H: f64 = 120.0;
    const BOTTOM: f64 = 20.0;
    const TOP: f64 = 16.0;
    let slot = W / lags.len().max(1) as f64;
    let max = lags.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let plot = H - BOTTOM - TOP;
    let described = lags.iter().map(|b| format!("{} {}건", lag_label(b), b.count)).collect::<Vec<_>>().join(", ");
    let bars = lags
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let x = slot * i as f64;
            let height = (plot * b.count as f64 / max).max(if b.count > 0 { 2.0 } else { 0.0 });
            let y = TOP + plot - height;
            let text = lag_label(&b);
            view! {
                <g class="bar" data-min=b.min_days data-count=b.count>
                    <title>{format!("{text}: {}건", b.count)}</title>
                    <rect class="fill" x=x + slot * 0.15 y=y width=slot * 0.7 height=height rx=1.5 />
                    <text class="tick" x=x + slot / 2.0 y=y - 3.0 text-anchor="middle">{b.count}</text>
                    <text class="axis-label" x=x + slot / 2.0 y=H - 5.0 text-anchor="middle">{text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart lag-chart"
            viewBox=format!("0 0 {W} {H}")
            role="img"
            aria-label=format!("{label}: {described}")
        >
            <line class="baseline" x1=0 x2=W y1=H - BOTTOM y2=H - BOTTOM />
            {bars}
        </svg>
    }
}

/// `1일`, `4–7일`, `31일+`.
pub fn lag_label(bucket: &LagBucket) -> String {
    match bucket.max_days {
        Some(max) if max == bucket.min_days => format!("{max}일"),
        Some(max) => format!("{}–{max}일", bucket.min_days),
        None => format!("{}일+", bucket.min_days),
    }
}
