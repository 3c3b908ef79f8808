//! Typeahead in headless Chromium: Hangul typed through the browser's input-method path (the
//! DevTools protocol's `Input.imeSetComposition` / `Input.insertText`, the events a Korean IME
//! produces: composition updates with the syllable in progress, then a commit), initial
//! consonants, the ARIA combobox (↓/↑, Enter, Escape, the live announcement), a mouse pick, and
//! the list at 360 px.

use headless_chrome::protocol::cdp::Input;
use headless_chrome::Tab;
use sosik_tests::server;

use crate::browser_explore::{js_string, screenshot, wait_until};
use crate::browser_pages::{assert_fits, js_json, open, open_phone, publish_screenshot, DESKTOP};

/// One step of a Korean IME: the syllable being composed is shown (`Compose`), or the text is
/// committed (`Commit`).
enum Ime {
    Compose(&'static str),
    Commit(&'static str),
}

fn ime(tab: &Tab, steps: &[Ime]) {
    for step in steps {
        match step {
            Ime::Compose(text) => tab
                .call_method(Input::ImeSetComposition {
                    text: text.to_string(),
                    selection_start: text.chars().count() as u32,
                    selection_end: text.chars().count() as u32,
                    replacement_start: None,
                    replacement_end: None,
                })
                .map(|_| ()),
            Ime::Commit(text) => tab.call_method(Input::InsertText { text: text.to_string() }).map(|_| ()),
        }
        .expect("IME step");
    }
}

/// Typing 앤트로 key by key, as a Korean IME shows it: ㅇ 애 앤 | ㅌ 트 틀 | 로 (the ㄹ moves on
/// when ㅗ comes), the last syllable still being composed.
const ANTHRO: [Ime; 8] = [
    Ime::Compose("ㅇ"),
    Ime::Compose("애"),
    Ime::Compose("앤"),
    Ime::Commit("앤"),
    Ime::Compose("ㅌ"),
    Ime::Compose("트"),
    Ime::Compose("틀"),
    Ime::Commit("트"),
];

fn clear_box(tab: &Tab) {
    tab.evaluate("(() => { const q = document.querySelector('input#q'); q.value = ''; q.focus(); })()", false)
        .expect("clear the box");
}

/// (label, kind) of every suggestion shown.
fn shown(tab: &Tab) -> Vec<(String, String)> {
    js_json(
        tab,
        "[...document.querySelectorAll('#suggestions:not([hidden]) li[role=option]')]\
         .map(li => [li.querySelector('.s-label').textContent, li.querySelector('.s-kind').textContent])",
    )
}

const LIST_SHOWS: &str = "document.querySelector('#suggestions') && !document.querySelector('#suggestions').hidden \
     && document.querySelector('#suggestions li[role=option]')";

#[test]
fn typeahead_follows_hangul_as_it_is_composed() {
    let browser = sosik_tests::browser("typeahead", DESKTOP);
    let anthropic: sosik_types::EntityProfile = {
        let (status, json) = server().get_json("/api/companies/anthropic");
        assert_eq!(status, 200);
        serde_json::from_value(json).unwrap()
    };
    let tab = open(&browser, "/");
    tab.wait_for_element("input#q").expect("search box").click().expect("focus");
    ime(&tab, &ANTHRO);
    ime(&tab, &[Ime::Compose("로")]);
    // while 로 is still being composed the box holds 앤트로 and the list already shows 앤트로픽
    wait_until(&tab, LIST_SHOWS, "suggestions while composing");
    assert_eq!(js_string(&tab, "document.querySelector('input#q').value"), "앤트로");
    let first = &shown(&tab)[0];
    assert_eq!((first.0.as_str(), first.1.as_str()), (anthropic.summary.name.as_str(), "회사"), "{:?}", shown(&tab));
    let (controls, expanded, autocomplete): (String, String, String) = js_json(
        &tab,
        "(() => { const q = document.querySelector('input#q'); \
         return [q.getAttribute('aria-controls'), q.getAttribute('aria-expanded'), q.getAttribute('aria-autocomplete')]; })()",
    );
    assert_eq!((controls.as_str(), expanded.as_str(), autocomplete.as_str()), ("suggestions", "true", "list"));
    let said = js_string(&tab, "document.querySelector('#suggest-status').textContent");
    assert!(said.contains(&format!("제안 {}개", shown(&tab).len())), "live region says {said:?}");
    screenshot(&tab, "typeahead-1-composing");

    // a key pressed while composing belongs to the IME: ↓ moves nothing until the syllable is committed
    ime(&tab, &[Ime::Commit("로")]);
    tab.press_key("ArrowDown").expect("down");
    wait_until(
        &tab,
        "document.querySelector('input#q').getAttribute('aria-activedescendant') === 'suggestion-0'",
        "first suggestion active",
    );
    assert_eq!(js_string(&tab, "document.querySelector('#suggestion-0').getAttribute('aria-selected')"), "true");
    tab.press_key("Enter").expect("Enter");
    wait_until(&tab, "location.pathname === '/companies/anthropic'", "the company page");

    // initial consonants, typed one by one through the IME; Escape closes the list
    let tab = open(&browser, "/");
    tab.wait_for_element("input#q").expect("search box").click().expect("focus");
    for c in ["ㅇ", "ㅌ", "ㄹ", "ㅍ"] {
        ime(&tab, &[Ime::Compose(c), Ime::Commit(c)]);
    }
    wait_until(&tab, LIST_SHOWS, "suggestions for initials");
    assert_eq!(shown(&tab)[0].0, anthropic.summary.name, "{:?}", shown(&tab));
    tab.press_key("Escape").expect("Escape");
    wait_until(&tab, "document.querySelector('#suggestions').hidden", "list closed");
    assert_eq!(js_string(&tab, "document.querySelector('input#q').getAttribute('aria-controls')"), "results");
    assert_eq!(js_string(&tab, "document.querySelector('input#q').getAttribute('aria-expanded')"), "false");

    // a topic by its keyword's initials, picked with the mouse
    clear_box(&tab);
    for c in ["ㅅ", "ㅂ", "ㅌ", "ㅈ"] {
        ime(&tab, &[Ime::Compose(c), Ime::Commit(c)]);
    }
    wait_until(&tab, &format!("{LIST_SHOWS} && document.querySelector('#suggestion-0 .s-matched')"), "capex");
    assert_eq!(shown(&tab)[0].1, "주제");
    assert_eq!(js_string(&tab, "document.querySelector('#suggestion-0 .s-matched').textContent"), "설비 투자");
    tab.find_element("#suggestion-0").expect("first suggestion").click().expect("click");
    wait_until(&tab, "location.pathname === '/topics/capex'", "the topic page");

    // a Latin prefix, then Enter without choosing: an ordinary search for what was typed
    let tab = open(&browser, "/");
    tab.wait_for_element("input#q").expect("search box").click().expect("focus");
    tab.type_str("anth").expect("type");
    wait_until(&tab, LIST_SHOWS, "suggestions for anth");
    assert_eq!(shown(&tab)[0].0, anthropic.summary.name);
    tab.press_key("Enter").expect("Enter");
    wait_until(&tab, "new URLSearchParams(location.search).get('q') === 'anth'", "a search for anth");
    wait_until(&tab, "document.querySelector('#suggestions').hidden", "list closed after searching");
}

#[test]
fn typeahead_fits_a_phone() {
    let browser = sosik_tests::browser("typeahead-phone", (500, 900));
    let tab = open_phone(&browser, "/");
    tab.wait_for_element("input#q").expect("search box").click().expect("focus");
    ime(&tab, &[Ime::Compose("ㅋ"), Ime::Compose("클"), Ime::Commit("클"), Ime::Compose("ㄹ"), Ime::Compose("로")]);
    wait_until(&tab, LIST_SHOWS, "suggestions on a phone");
    let (left, right): (f64, f64) = js_json(
        &tab,
        "(() => { const r = document.querySelector('#suggestions').getBoundingClientRect(); return [r.left, r.right]; })()",
    );
    assert!(left >= 0.0 && right <= 360.0, "the list spans {left}..{right} of 360 px");
    assert_fits(&tab, "the typeahead at 360 px");
    publish_screenshot(&tab, "typeahead");
}
