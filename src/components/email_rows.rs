//! The email table's rows, drawn by hand.
//!
//! A keystroke in the quick filter or a screenful of scrolling brings a score of rows at once, and
//! that must fit in a frame. As leptos views (an owner, effects, attribute states each) a row
//! cost about a third of a millisecond to make: bringing 21 back after a filter that matched
//! nothing took 27 ms. Here a row is a few `createElement` and `textContent` calls.
//!
//! Every string in a row is a prospect's, the rep's or a campaign's: each is set as text or as an
//! attribute value, never parsed as HTML. Rows are kept by email id, so a row that stays in view
//! keeps its element (and the rep's focus inside it) while others come and go.

use crate::components::actions::action_label;
use crate::components::columns::Column;
use crate::i18n::{Locale, Msg};
use api::{EmailAction, EmailSummary, Id};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::intern;

/// What every row is drawn with: when it changes, every row is drawn again.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    pub locale: Locale,
    pub columns: Vec<Column>,
    /// The minute relative times were last read at ("3 minutes ago").
    pub minute: u64,
}

struct Row {
    element: web_sys::Element,
    drawn_from: EmailSummary,
}

/// The rows on screen, between two spacer rows that stand for the rows scrolled past.
pub struct Rows {
    document: web_sys::Document,
    look: Option<Look>,
    by_id: HashMap<Id, Row>,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            document: leptos::prelude::document(),
            look: None,
            by_id: HashMap::new(),
        }
    }
}

impl Rows {
    /// Makes the rows right after `top` show `emails`, in this order; rows of emails no longer
    /// shown are removed.
    pub fn show(
        &mut self,
        top: &web_sys::Element,
        emails: &[&EmailSummary],
        look: &Look,
        selected: &HashSet<Id>,
    ) {
        let Some(parent) = top.parent_node() else {
            return;
        };
        let same_look = self.look.as_ref() == Some(look);
        let mut kept: HashMap<Id, Row> = HashMap::with_capacity(emails.len());
        let mut order: Vec<web_sys::Element> = Vec::with_capacity(emails.len());
        for &email in emails {
            if kept.contains_key(&email.id) {
                continue;
            }
            let row = match self.by_id.remove(&email.id) {
                Some(row) if same_look && row.drawn_from == *email => row,
                Some(row) => {
                    self.draw(&row.element, email, look);
                    Row {
                        element: row.element,
                        drawn_from: email.clone(),
                    }
                }
                None => {
                    let element = self.element("tr");
                    self.draw(&element, email, look);
                    Row {
                        element,
                        drawn_from: email.clone(),
                    }
                }
            };
            order.push(row.element.clone());
            kept.insert(email.id, row);
        }
        for gone in std::mem::replace(&mut self.by_id, kept).into_values() {
            gone.element.remove();
        }
        // Into place after `top`, moving only the rows that are not already where they belong.
        let mut cursor = top.next_sibling();
        for element in &order {
            let node: &web_sys::Node = element.as_ref();
            if cursor.as_ref() == Some(node) {
                cursor = node.next_sibling();
            } else {
                let _ = parent.insert_before(node, cursor.as_ref());
            }
        }
        self.look = Some(look.clone());
        self.mark_selected(selected);
    }

    /// Ticks the checkbox and marks the row of each selected email on screen.
    pub fn mark_selected(&self, selected: &HashSet<Id>) {
        use wasm_bindgen::JsCast;
        for (id, row) in &self.by_id {
            let on = selected.contains(id);
            let _ = row
                .element
                .class_list()
                .toggle_with_force(intern("cc-selected"), on);
            if let Some(checkbox) = row
                .element
                .first_element_child()
                .and_then(|cell| cell.first_element_child())
                .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                checkbox.set_checked(on);
            }
        }
    }

    fn element(&self, tag: &str) -> web_sys::Element {
        self.document
            .create_element(intern(tag))
            .expect("a known tag name")
    }

    /// A child of `parent` with a class and, when given, text.
    fn child(
        &self,
        parent: &web_sys::Element,
        tag: &str,
        class: &str,
        text: Option<&str>,
    ) -> web_sys::Element {
        let child = self.element(tag);
        if !class.is_empty() {
            child.set_class_name(intern(class));
        }
        if let Some(text) = text {
            child.set_text_content(Some(text));
        }
        let _ = parent.append_child(&child);
        child
    }

    fn button(&self, parent: &web_sys::Element, class: &str, text: &str) -> web_sys::Element {
        let button = self.child(parent, "button", class, Some(text));
        set(&button, "type", "button");
        button
    }

    /// The row's cells, in the columns' order; the table's listeners read the `data-` names.
    fn draw(&self, tr: &web_sys::Element, email: &EmailSummary, look: &Look) {
        let locale = look.locale;
        tr.set_text_content(None);
        set(tr, "data-email-id", &email.id.to_string());

        let cell = self.child(tr, "td", "cc-select-col", None);
        let checkbox = self.child(&cell, "input", "", None);
        set(&checkbox, "type", "checkbox");
        set(&checkbox, "data-select", "");
        let select_label = locale
            .t(Msg::SelectRow)
            .replace("{name}", &email.person.name);
        set(&checkbox, "aria-label", &select_label);

        let cell = self.child(tr, "td", "cc-clip", None);
        self.child(&cell, "span", "cc-person", Some(&email.person.name));
        self.child(&cell, "span", "cc-secondary", Some(&email.person.company));

        let cell = self.child(tr, "td", "cc-subject cc-clip", None);
        let open = self.button(&cell, "cc-link-button cc-subject-button", &email.subject);
        set(&open, "data-open", "");
        let open_label = locale
            .t(Msg::OpenEmail)
            .replace("{subject}", &email.subject);
        set(&open, "aria-label", &open_label);
        if email.marked_success {
            self.child(
                &cell,
                "span",
                "cc-badge",
                Some(locale.t(Msg::MarkedSuccess)),
            );
        }

        for &column in &look.columns {
            self.draw_column(tr, column, email, locale);
        }

        let cell = self.child(tr, "td", "cc-row-actions", None);
        if email.status.is_editable() {
            let edit = self.button(&cell, "cc-button cc-small", locale.t(Msg::ActionEdit));
            set(&edit, "data-edit", "");
        }
        for &action in email.status.quick_actions() {
            let button = self.button(&cell, "cc-button cc-small", locale.t(action_label(action)));
            set(&button, "data-action", action.as_str());
            if action == EmailAction::Reschedule {
                set(&button, "aria-haspopup", "dialog");
            }
        }
    }

    fn draw_column(
        &self,
        tr: &web_sys::Element,
        column: Column,
        email: &EmailSummary,
        locale: Locale,
    ) {
        match column {
            Column::Campaign => {
                let name = email.campaign.as_ref().map_or("—", |c| c.name.as_str());
                self.child(tr, "td", "cc-clip", Some(name));
            }
            Column::Date => {
                let date = email.folder_date();
                let cell = self.child(tr, "td", "cc-date", None);
                let time = self.child(&cell, "time", "", Some(&locale.date_time(date)));
                set(&time, "datetime", &date.to_rfc3339());
            }
            Column::Views => {
                self.child(tr, "td", "cc-num", Some(&email.views.to_string()));
            }
            Column::Clicks => {
                self.child(tr, "td", "cc-num", Some(&email.clicks.to_string()));
            }
            Column::Replied => {
                let replied = locale.t(if email.replies > 0 { Msg::Yes } else { Msg::No });
                self.child(tr, "td", "", Some(replied));
            }
            Column::LastActivity => {
                let cell = self.child(tr, "td", "cc-date", None);
                match email.last_activity_at {
                    Some(at) => {
                        let relative = locale.relative(at, chrono::Utc::now());
                        let time = self.child(&cell, "time", "", Some(&relative));
                        set(&time, "datetime", &at.to_rfc3339());
                        set(&time, "title", &locale.date_time(at));
                    }
                    None => cell.set_text_content(Some("—")),
                }
            }
            Column::Reason => {
                let reason = email.failure_reason.as_deref().unwrap_or_default();
                let cell = self.child(tr, "td", "cc-reason cc-clip", Some(reason));
                if !reason.is_empty() {
                    set(&cell, "title", reason);
                }
            }
        }
    }
}

fn set(element: &web_sys::Element, name: &str, value: &str) {
    let _ = element.set_attribute(intern(name), value);
}
