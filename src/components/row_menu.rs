//! A row's "More actions" menu (the WAI-ARIA menu button pattern): one menu per table, opened
//! under the row's button. A row shows its main action and this button, so rows never grow past
//! the table's edge however many actions their status offers.
//!
//! Keys: the first item takes focus on opening; ↑ ↓ Home End move; Enter or Space picks; Escape
//! closes and gives focus back to the button; Tab closes and moves on.

use crate::i18n::Msg;
use api::Id;
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
pub struct OpenMenu {
    /// The row's email or task.
    pub row: Id,
    pub button: web_sys::HtmlElement,
    pub items: Vec<MenuItem>,
}

/// The table's one menu: which row's, if any.
#[derive(Clone, Copy)]
pub struct RowMenuState(RwSignal<Option<OpenMenu>>);

impl RowMenuState {
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

impl Default for RowMenuState {
    fn default() -> Self {
        Self::new()
    }
}

/// The "More actions" button's accessible name for a row called `row_name`.
pub fn more_actions_label(locale: crate::i18n::Locale, row_name: &str) -> String {
    locale.t(Msg::MoreActionsFor).replace("{name}", row_name)
}

#[component]
pub fn RowMenu(menu: RowMenuState, #[prop(into)] on_pick: Callback<(Id, String)>) -> impl IntoView {
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
    // The first item takes focus once the menu is drawn.
    Effect::new(move |_| {
        if menu.0.with(Option::is_some) && list.get().is_some() {
            if let Some(first) = items().first() {
                let _ = first.focus();
            }
        }
    });
    // A press anywhere else, or the page scrolling under it, closes it.
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
            if !in_menu {
                menu.close(false);
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
            // Under the button, its right edge on the button's; above it near the window's foot.
            let at = open.button.get_bounding_client_rect();
            let (width, height) = (
                window()
                    .inner_width()
                    .ok()
                    .and_then(|w| w.as_f64())
                    .unwrap_or(1024.0),
                window()
                    .inner_height()
                    .ok()
                    .and_then(|h| h.as_f64())
                    .unwrap_or(768.0),
            );
            let right = format!("{}px", (width - at.right()).max(0.0).round());
            let (top, bottom) = if at.bottom() > height * 0.6 {
                (
                    None,
                    Some(format!("{}px", (height - at.top() + 4.0).round())),
                )
            } else {
                (Some(format!("{}px", (at.bottom() + 4.0).round())), None)
            };
            let label = open.button.get_attribute("aria-label").unwrap_or_default();
            let row = open.row;
            view! {
                <div class="cc-menu" role="menu" id=MENU_ID aria-label=label node_ref=list
                    style:right=right style:top=top style:bottom=bottom on:keydown=on_keydown>
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
