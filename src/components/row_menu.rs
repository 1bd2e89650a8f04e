//! A row's "More actions" menu (the WAI-ARIA menu button pattern): one menu per table, opened
//! under the row's button. A row shows its main action and this button, so rows never grow past
//! the table's edge however many actions their status offers.
//!
//! Keys: the first item takes focus on opening; ↑ ↓ Home End move; Enter or Space picks; Escape
//! closes and gives focus back to the button; Tab closes and moves on.

use crate::i18n::Msg;
use crate::selection::RowId;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The menu's element id, which every "More actions" button names in `aria-controls`.
pub const MENU_ID: &str = "cc-row-menu";

#[derive(Clone, Debug, PartialEq)]
pub struct MenuItem {
    /// What the table does when it is picked (an action's wire name, or a page's own key).
    pub key: String,
    pub label: String,
}

impl MenuItem {
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Self {
        MenuItem {
            key: key.into(),
            label: label.into(),
        }
    }
}

/// A menu open under a row's button.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenMenu<Id> {
    /// The row's email or task.
    pub row: Id,
    pub button: web_sys::HtmlElement,
    pub items: Vec<MenuItem>,
}

/// The table's one menu: which row's, if any.
#[derive(Clone, Copy)]
pub struct RowMenuState<Id: 'static>(RwSignal<Option<OpenMenu<Id>>>);

impl<Id: RowId> RowMenuState<Id> {
    pub fn new() -> Self {
        RowMenuState(RwSignal::new(None))
    }

    /// The row's button was pressed: its menu opens, or closes if it was open.
    pub fn toggle(self, row: Id, button: web_sys::HtmlElement, items: Vec<MenuItem>) {
        let was_open = self
            .0
            .with_untracked(|open| open.as_ref().is_some_and(|open| open.button == button));
        self.close(false);
        if !was_open && !items.is_empty() {
            let _ = button.set_attribute("aria-expanded", "true");
            self.0.set(Some(OpenMenu { row, button, items }));
        }
    }

    /// Closes the menu; `refocus` gives focus back to its button (Escape, an item picked).
    pub fn close(self, refocus: bool) {
        if let Some(open) = self.0.try_get_untracked().flatten() {
            let _ = open.button.set_attribute("aria-expanded", "false");
            self.0.set(None);
            if refocus && open.button.is_connected() {
                let _ = open.button.focus();
            }
        }
    }
}

impl<Id: RowId> Default for RowMenuState<Id> {
    fn default() -> Self {
        Self::new()
    }
}

/// The "More actions" button's accessible name for a row called `row_name`.
pub fn more_actions_label(locale: crate::i18n::Locale, row_name: &str) -> String {
    locale.t(Msg::MoreActionsFor).replace("{name}", row_name)
}

/// Puts the menu under its button, right edges aligned (above it near the window's foot); a
/// button no longer on the page (its row redrawn for another email) closes it.
fn place<Id: RowId>(menu: RowMenuState<Id>, list: NodeRef<leptos::html::Div>) {
    let Some(button) = menu
        .0
        .with_untracked(|open| open.as_ref().map(|o| o.button.clone()))
    else {
        return;
    };
    let Some(list) = list.get_untracked() else {
        return;
    };
    if !button.is_connected() {
        menu.close(false);
        return;
    }
    let at = button.get_bounding_client_rect();
    let size = |value: Result<wasm_bindgen::JsValue, _>| value.ok().and_then(|v| v.as_f64());
    let width = size(window().inner_width()).unwrap_or(1024.0);
    let height = size(window().inner_height()).unwrap_or(768.0);
    let style = web_sys::HtmlElement::style(&list);
    let px = |n: f64| format!("{}px", n.round());
    let _ = style.set_property("right", &px((width - at.right()).max(0.0)));
    if at.bottom() > height * 0.6 {
        let _ = style.set_property("top", "auto");
        let _ = style.set_property("bottom", &px(height - at.top() + 4.0));
    } else {
        let _ = style.set_property("top", &px(at.bottom() + 4.0));
        let _ = style.set_property("bottom", "auto");
    }
}

#[component]
pub fn RowMenu<Id: RowId>(
    menu: RowMenuState<Id>,
    #[prop(into)] on_pick: Callback<(Id, String)>,
) -> impl IntoView {
    let list = NodeRef::<leptos::html::Div>::new();
    let items = move || -> Vec<web_sys::HtmlElement> {
        list.get_untracked()
            .map(|list| {
                let found = list.query_selector_all("[role=menuitem]").ok();
                (0..found.as_ref().map_or(0, |f| f.length()))
                    .filter_map(|i| found.as_ref()?.item(i)?.dyn_into().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    // Once drawn, the menu is put by its button and its first item takes focus.
    Effect::new(move |_| {
        if menu.0.with(Option::is_some) && list.get().is_some() {
            place(menu, list);
            if let Some(first) = items().first() {
                let _ = first.focus();
            }
        }
    });
    // A press anywhere else closes it.
    let press = window_event_listener(leptos::ev::pointerdown, move |ev| {
        let inside = |el: Option<web_sys::Element>| {
            let target: Option<web_sys::Node> = ev.target().and_then(|t| t.dyn_into().ok());
            el.zip(target).is_some_and(|(el, t)| el.contains(Some(&t)))
        };
        let open_button = menu
            .0
            .with_untracked(|open| open.as_ref().map(|o| o.button.clone().unchecked_into()));
        if !inside(list.get_untracked().map(|l| l.unchecked_into())) && !inside(open_button) {
            menu.close(false);
        }
    });
    let scrolled =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let in_menu = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .zip(list.get_untracked())
                .is_some_and(|(target, list)| list.contains(Some(&target)));
            // The page moved under it (a scroll, or rows read again): it follows its button.
            if !in_menu {
                place(menu, list);
            }
        });
    let _ = window().add_event_listener_with_callback_and_bool(
        "scroll",
        scrolled.as_ref().unchecked_ref(),
        true,
    );
    let scrolled = StoredValue::new_local(scrolled);
    on_cleanup(move || {
        press.remove();
        scrolled.with_value(|scrolled| {
            let _ = window().remove_event_listener_with_callback_and_bool(
                "scroll",
                scrolled.as_ref().unchecked_ref(),
                true,
            );
        });
        menu.close(false);
    });

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let all = items();
        let at = document()
            .active_element()
            .and_then(|active| all.iter().position(|item| **item == active));
        let to = match ev.key().as_str() {
            "ArrowDown" => at.map_or(0, |at| (at + 1) % all.len().max(1)),
            "ArrowUp" => at.map_or(0, |at| (at + all.len() - 1) % all.len().max(1)),
            "Home" => 0,
            "End" => all.len().saturating_sub(1),
            "Escape" => {
                ev.prevent_default();
                menu.close(true);
                return;
            }
            "Tab" => {
                // Focus goes back to the button first, so Tab moves on from the row.
                menu.close(true);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(item) = all.get(to) {
            let _ = item.focus();
        }
    };
    let pick = move |row: Id, key: String| {
        menu.close(true);
        on_pick.run((row, key));
    };

    move || {
        menu.0.get().map(|open| {
            let label = open.button.get_attribute("aria-label").unwrap_or_default();
            let row = open.row;
            view! {
                <div class="cc-menu" role="menu" id=MENU_ID aria-label=label node_ref=list
                    on:keydown=on_keydown>
                    {open.items.into_iter().map(|item| {
                        let key = item.key.clone();
                        view! {
                            <button type="button" role="menuitem" tabindex="-1" class="cc-menu-item"
                                data-key=item.key on:click=move |_| pick(row, key.clone())>
                                {item.label}
                            </button>
                        }
                    }).collect_view()}
                </div>
            }
        })
    }
}
