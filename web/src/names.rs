//! The company, topic and name lists (`/api/companies`, `/api/topics`, `/api/names`), fetched once
//! per visit and shared through a context: chips and filters show display names instead of slugs,
//! and the index pages and the timeline's pickers list them.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sosik_types::{EntityKind, EntityList, NameList};

use crate::api::{self, ApiError};

/// One list as loaded: `None` while it loads.
pub type Loaded = Option<Result<EntityList, ApiError>>;

/// The lists and their slug → name maps (context from `App`).
#[derive(Clone, Copy, Debug)]
pub struct Catalog {
    pub companies: RwSignal<Loaded>,
    pub topics: RwSignal<Loaded>,
    /// People, products and organisations (`None` while it loads).
    pub names: RwSignal<Option<Result<NameList, ApiError>>>,
    company_names: Memo<HashMap<String, String>>,
    topic_names: Memo<HashMap<String, String>>,
    name_names: Memo<HashMap<String, String>>,
}

impl Catalog {
    /// Starts loading both lists; call once, in `App`.
    pub fn provide() {
        let companies = RwSignal::new(None);
        let topics = RwSignal::new(None);
        for (kind, signal) in [(EntityKind::Company, companies), (EntityKind::Topic, topics)] {
            spawn_local(async move { signal.set(Some(api::entities(kind).await)) });
        }
        let names = |list: RwSignal<Loaded>| {
            Memo::new(move |_| {
                list.with(|l| match l {
                    Some(Ok(l)) => l.entities.iter().map(|e| (e.slug.clone(), e.name.clone())).collect(),
                    _ => HashMap::new(),
                })
            })
        };
        let name_list = RwSignal::new(None);
        spawn_local(async move { name_list.set(Some(api::names().await)) });
        let name_names = Memo::new(move |_| {
            name_list.with(|l| match l {
                Some(Ok(l)) => l.names.iter().map(|e| (e.slug.clone(), e.name.clone())).collect(),
                _ => HashMap::new(),
            })
        });
        provide_context(Catalog {
            companies,
            topics,
            names: name_list,
            company_names: names(companies),
            topic_names: names(topics),
            name_names,
        });
    }

    /// The company or the topic list (names have theirs: [`Catalog::names`]).
    pub fn list(&self, kind: EntityKind) -> RwSignal<Loaded> {
        match kind {
            EntityKind::Company => self.companies,
            _ => self.topics,
        }
    }

    /// The display name of a slug (tracked); the slug itself until the list arrives or when the
    /// list does not know it.
    pub fn name(&self, kind: EntityKind, slug: &str) -> String {
        let names = match kind {
            EntityKind::Company => self.company_names,
            EntityKind::Topic => self.topic_names,
            EntityKind::Person | EntityKind::Product | EntityKind::Organization => self.name_names,
        };
        names.with(|n| n.get(slug).cloned()).unwrap_or_else(|| slug.to_owned())
    }
}

/// What a kind of entity is called: 회사, 주제, 사람, 제품, 기관.
pub fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Company => "회사",
        EntityKind::Topic => "주제",
        EntityKind::Person => "사람",
        EntityKind::Product => "제품",
        EntityKind::Organization => "기관",
    }
}

/// The catalog of `App`.
pub fn use_catalog() -> Catalog {
    expect_context::<Catalog>()
}
