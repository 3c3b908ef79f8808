//! Typeahead under the search box: the suggestions `/api/suggest` gives for what the box holds
//! (companies, topics, names, story threads, title words), as an ARIA 1.2 combobox list — ↓/↑
//! make one active, Enter opens it, Escape closes the list, a polite live region says how many
//! there are. It asks on every `input` event, including those an input method sends while a
//! syllable is still being composed (`앤트로`), and ignores keys pressed during composition.

use leptos::prelude::*;
use leptos::web_sys;
use sosik_types::{EntityKind, Suggestion, SuggestionKind};

use crate::api;

/// The typeahead's state, shared by the search box and the list under it.
#[derive(Clone, Copy)]
pub struct Typeahead {
    /// What the box holds, as typed.
    typed: RwSignal<String>,
    /// Whether the list may show (the user typed since the last search or pick).
    open: RwSignal<bool>,
    /// The active suggestion (↓/↑).
    active: RwSignal<Option<usize>>,
    /// The suggestions for `typed` (the last answer while the next one loads).
    list: Memo<Vec<Suggestion>>,
}

impl Typeahead {
    pub fn new() -> Typeahead {
        let typed = RwSignal::new(String::new());
        let open = RwSignal::new(false);
        let answer = LocalResource::new(move || {
            let t = typed.get();
            async move {
                let found = if t.trim().is_empty() { Ok(Vec::new()) } else { api::suggest(&t).await };
                (t, found)
            }
        });
        let list = Memo::new(move |prev: Option<&Vec<Suggestion>>| match answer.get() {
            Some((for_typed, Ok(found))) if for_typed == typed.get() => found,
            // a failed or stale answer: keep what is shown (typeahead is a convenience; the
            // search itself reports errors)
            _ => prev.cloned().unwrap_or_default(),
        });
        let active = RwSignal::new(None);
        // a new answer: nothing in it is active yet (the old index may be past its end)
        Effect::new(move |_| {
            list.track();
            active.set(None);
        });
        Typeahead { typed, open, active, list }
    }

    /// Whether the list is on screen.
    pub fn showing(&self) -> bool {
        self.open.get() && !self.typed.read().trim().is_empty() && !self.list.read().is_empty()
    }

    /// The box now holds `value` (typed, or being composed).
    pub fn input(&self, value: String) {
        self.typed.set(value);
        self.open.set(true);
        self.active.set(None);
    }

    /// Hides the list until the next input.
    pub fn close(&self) {
        self.open.set(false);
        self.active.set(None);
    }

    /// The active option's element id, for `aria-activedescendant`.
    pub fn active_id(&self) -> Option<String> {
        self.active.get().map(|i| format!("suggestion-{i}"))
    }

    /// Handles ↓/↑/Escape/Enter while the list shows; returns the suggestion Enter picked.
    /// Keys that compose a syllable (an input method's) are left alone.
    pub fn key(&self, ev: &web_sys::KeyboardEvent) -> Option<Suggestion> {
        if ev.is_composing() || ev.key_code() == 229 || !self.showing() {
            return None;
        }
        let n = self.list.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                self.active.update(|a| {
                    *a = match (*a, down) {
                        (None, true) => Some(0),
                        (None, false) => Some(n - 1),
                        (Some(i), true) if i + 1 < n => Some(i + 1),
                        (Some(0), false) => None,
                        (Some(i), false) => Some(i - 1),
                        (Some(_), true) => None,
                    }
                });
                None
            }
            "Escape" => {
                ev.prevent_default();
                self.close();
                None
            }
            "Enter" => {
                let picked = self.active.get_untracked().and_then(|i| self.list.with_untracked(|l| l.get(i).cloned()));
                if picked.is_some() {
                    ev.prevent_default();
                    self.close();
                }
                picked
            }
            _ => None,
        }
    }
}

/// Where a suggestion leads: its page, or (a title word) a search for it.
pub fn suggestion_url(s: &Suggestion, search: &api::SearchParams) -> String {
    let entity = |kind| api::entity_url(kind, &s.id);
    match s.kind {
        SuggestionKind::Company => entity(EntityKind::Company),
        SuggestionKind::Topic => entity(EntityKind::Topic),
        SuggestionKind::Person => entity(EntityKind::Person),
        SuggestionKind::Product => entity(EntityKind::Product),
        SuggestionKind::Organization => entity(EntityKind::Organization),
        SuggestionKind::Story => api::story_url(&s.id),
        SuggestionKind::Query => {
            // a new query within the same refinement, as submitting the box is
            let mut p = search.clone();
            p.q = s.id.clone();
            p.url()
        }
    }
}

fn kind_label(kind: SuggestionKind) -> &'static str {
    match kind {
        SuggestionKind::Company => "회사",
        SuggestionKind::Topic => "주제",
        SuggestionKind::Person => "사람",
        SuggestionKind::Product => "제품",
        SuggestionKind::Organization => "기관",
        SuggestionKind::Story => "이야기",
        SuggestionKind::Query => "검색어",
    }
}

/// The list under the box (`#suggestions`) and its live announcement.
#[component]
pub fn SuggestList(typeahead: Typeahead, #[prop(into)] on_pick: Callback<Suggestion>) -> impl IntoView {
    let t = typeahead;
    let announcement = move || {
        if t.showing() {
            format!("검색어 제안 {}개: 아래 화살표로 고르고 Enter로 엽니다.", t.list.read().len())
        } else {
            String::new()
        }
    };
    view! {
        <ul id="suggestions" class="suggestions" role="listbox" aria-label="검색어 제안" hidden=move || !t.showing()>
            <For
                each=move || t.list.get().into_iter().enumerate()
                // what a row shows: the same name can match by another spelling as more is typed
                key=|(i, s)| (*i, s.kind, s.id.clone(), s.matched.clone())
                let:((i, s))
            >
                {
                    let picked = s.clone();
                    let selected = move || t.active.get() == Some(i);
                    view! {
                        <li
                            id=format!("suggestion-{i}")
                            role="option"
                            class="suggestion"
                            class:active=selected
                            aria-selected=move || selected().to_string()
                            // keep the focus in the box, so its blur does not close the list first
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| {
                                t.close();
                                on_pick.run(picked.clone());
                            }
                        >
                            <span class="s-label">{s.label.clone()}</span>
                            {s.matched.clone().map(|m| view! { <span class="s-matched">{m}</span> })}
                            <span class="s-kind">{kind_label(s.kind)}</span>
                            <span class="s-items">{format!("{}건", s.items)}</span>
                        </li>
                    }
                }
            </For>
        </ul>
        <div class="visually-hidden" role="status" aria-live="polite" id="suggest-status">{announcement}</div>
    }
}
