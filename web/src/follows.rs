//! Following companies, topics, names, story threads and searches without an account: the list
//! is kept in this browser (`localStorage`, key `sosik.follows`, JSON), and so is the newest day
//! the 새 소식 page has shown (`sosik.seen`), so that it shows only what arrived after it. The
//! Atom feeds stay the way to follow from a feed reader.

use leptos::prelude::*;
use leptos::web_sys;
use serde::{Deserialize, Serialize};
use sosik_types::EntityKind;

const FOLLOWS_KEY: &str = "sosik.follows";
const SEEN_KEY: &str = "sosik.seen";

/// What is followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowKind {
    Company,
    Topic,
    /// A person, product or organisation.
    Name,
    Story,
    Search,
}

impl FollowKind {
    /// What following a company, topic or name (any of the three name kinds) is.
    pub fn of_entity(kind: EntityKind) -> FollowKind {
        match kind {
            EntityKind::Company => FollowKind::Company,
            EntityKind::Topic => FollowKind::Topic,
            EntityKind::Person | EntityKind::Product | EntityKind::Organization => FollowKind::Name,
        }
    }

    /// The entity kind whose page a follow of this kind opens (`None`: a story or a search).
    pub fn entity(self) -> Option<EntityKind> {
        match self {
            FollowKind::Company => Some(EntityKind::Company),
            FollowKind::Topic => Some(EntityKind::Topic),
            FollowKind::Name => Some(EntityKind::Person),
            FollowKind::Story | FollowKind::Search => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FollowKind::Company => "회사",
            FollowKind::Topic => "주제",
            FollowKind::Name => "이름",
            FollowKind::Story => "이야기",
            FollowKind::Search => "검색",
        }
    }
}

/// One followed thing: its kind, its id (a slug, a thread id, or for a search the search itself
/// as JSON, see `routes/updates.rs`) and how it is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Follow {
    pub kind: FollowKind,
    pub id: String,
    pub label: String,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The follows of this browser, shared by every page (context from `App`).
#[derive(Clone, Copy)]
pub struct Follows {
    list: RwSignal<Vec<Follow>>,
}

impl Follows {
    /// Reads the list from storage and provides it.
    pub fn provide() {
        provide_context(Follows { list: RwSignal::new(stored()) });
    }

    pub fn list(&self) -> Vec<Follow> {
        self.list.get()
    }

    pub fn contains(&self, kind: FollowKind, id: &str) -> bool {
        self.list.read().iter().any(|f| f.kind == kind && f.id == id)
    }

    /// Follows `follow`, or stops following it; saved at once. The stored list is read first, so
    /// what another tab followed meanwhile is kept.
    pub fn toggle(&self, follow: Follow) {
        self.list.set(stored());
        self.list.update(|list| match list.iter().position(|f| f.kind == follow.kind && f.id == follow.id) {
            Some(i) => {
                list.remove(i);
            }
            None => list.push(follow),
        });
        if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&self.list.get_untracked())) {
            let _ = s.set_item(FOLLOWS_KEY, &json);
        }
    }
}

/// The list in storage (an unreadable one counts as empty).
fn stored() -> Vec<Follow> {
    storage()
        .and_then(|s| s.get_item(FOLLOWS_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str::<Vec<Follow>>(&json).ok())
        .unwrap_or_default()
}

pub fn use_follows() -> Follows {
    expect_context::<Follows>()
}

/// The newest day (`YYYY-MM-DD`) 새 소식 showed at the last visit; `None` before the first.
pub fn seen() -> Option<String> {
    storage().and_then(|s| s.get_item(SEEN_KEY).ok().flatten()).filter(|d| d.len() == 10)
}

pub fn set_seen(day: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(SEEN_KEY, day);
    }
}

/// "+ 팔로우" / "✓ 팔로우 중": a toggle button (`aria-pressed`) for `follow`.
#[component]
pub fn FollowButton(follow: Follow) -> impl IntoView {
    let follows = use_follows();
    let (kind, id) = (follow.kind, follow.id.clone());
    let on = Memo::new(move |_| follows.contains(kind, &id));
    let name = format!("{} 팔로우", follow.label);
    view! {
        <button
            type="button"
            class="follow-button"
            aria-pressed=move || on.get().to_string()
            aria-label=name
            on:click=move |_| follows.toggle(follow.clone())
        >
            {move || if on.get() { "✓ 팔로우 중" } else { "+ 팔로우" }}
        </button>
    }
}
