//! The email table's rows, drawn by hand.
//!
//! A keystroke in the quick filter or a screenful of scrolling brings a score of rows at once, and
//! that must fit in a frame. As leptos views (an owner, effects, attribute states each) a row
//! cost about a third of a millisecond to make: bringing 21 back after a filter that matched
//! nothing took 27 ms. Here a row is a few `createElement` and `textContent` calls.
//!
//! Every string in a row is a prospect's, the rep's or a campaign's: each is set as text or as an
//! attribute value, never parsed as HTML. Rows are kept by email id, so a row that stays in view
//! keeps its element (and the rep's focus inside it) while others come and go; a row that comes
//! is a copy of one drawn before in its shape, refilled with its email's text.

use crate::components::actions::action_label;
use crate::components::columns::Column;
use crate::i18n::{Locale, Msg};
use api::{EmailAction, EmailStatus, EmailSummary, Id};
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

/// What decides which elements a row has, in which order: rows of one shape (and one look)
/// differ only in their text and attributes.
#[derive(Clone, Copy, PartialEq)]
struct Shape {
    status: EmailStatus,
    marked_success: bool,
    has_activity: bool,
    has_reason: bool,
}

impl Shape {
    fn of(email: &EmailSummary) -> Self {
        Shape {
            status: email.status,
            marked_success: email.marked_success,
            has_activity: email.last_activity_at.is_some(),
            has_reason: email
                .failure_reason
                .as_deref()
                .is_some_and(|r| !r.is_empty()),
        }
    }
}

/// Where the next element of a row being drawn comes from: made new, or, when the row is a copy
/// of one of its shape (or is drawn again in its shape), the next of the elements it has. A
/// screenful of new rows is then a copy each (one call) and their text, not a score of
/// elements each made, filled and put in place call by call.
struct Slot {
    parent: web_sys::Element,
    existing: Option<web_sys::Element>,
}

impl Slot {
    fn in_(parent: &web_sys::Element, refill: bool) -> Self {
        Slot {
            parent: parent.clone(),
            existing: refill.then(|| parent.first_element_child()).flatten(),
        }
    }
}

/// The rows on screen, between two spacer rows that stand for the rows scrolled past.
pub struct Rows {
    document: web_sys::Document,
    look: Option<Look>,
    by_id: HashMap<Id, Row>,
    /// A row of each shape drawn in the current look, copied for the rows that come into view.
    patterns: Vec<(Shape, web_sys::Element)>,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            document: leptos::prelude::document(),
            look: None,
            by_id: HashMap::new(),
            patterns: Vec::new(),
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
        if !same_look {
            self.patterns.clear();
        }
        let mut kept: HashMap<Id, Row> = HashMap::with_capacity(emails.len());
        let mut order: Vec<web_sys::Element> = Vec::with_capacity(emails.len());
        for &email in emails {
            if kept.contains_key(&email.id) {
                continue;
            }
            let row = match self.by_id.remove(&email.id) {
                Some(row) if same_look && row.drawn_from == *email => row,
                Some(row) => {
                    let refill = same_look && Shape::of(&row.drawn_from) == Shape::of(email);
                    self.draw(&row.element, email, look, refill);
                    Row {
                        element: row.element,
                        drawn_from: email.clone(),
                    }
                }
                None => Row {
                    element: self.new_row(email, look),
                    drawn_from: email.clone(),
                },
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

    /// A row for `email`: a copy of the pattern of its shape, refilled; or, the first time a
    /// shape is seen in this look, drawn element by element and kept as that shape's pattern.
    fn new_row(&mut self, email: &EmailSummary, look: &Look) -> web_sys::Element {
        use wasm_bindgen::JsCast;
        let shape = Shape::of(email);
        let copy = self
            .patterns
            .iter()
            .find(|(of, _)| *of == shape)
            .and_then(|(_, pattern)| pattern.clone_node_with_deep(true).ok())
            .and_then(|copy| copy.dyn_into::<web_sys::Element>().ok());
        if let Some(row) = copy {
            self.draw(&row, email, look, true);
            return row;
        }
        let row = self.element("tr");
        self.draw(&row, email, look, false);
        if let Some(pattern) = row
            .clone_node_with_deep(true)
            .ok()
            .and_then(|copy| copy.dyn_into::<web_sys::Element>().ok())
        {
            self.patterns.push((shape, pattern));
        }
        row
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

    /// The next child in `slot`: the row's own when it is refilled, else a new one with its
    /// class and `fixed` attributes (the same in every row of a shape). Its text, when given,
    /// is set.
    fn child(
        &self,
        slot: &mut Slot,
        tag: &str,
        class: &str,
        fixed: &[(&str, &str)],
        text: Option<&str>,
    ) -> web_sys::Element {
        let child = match slot.existing.take() {
            Some(child) => {
                slot.existing = child.next_element_sibling();
                child
            }
            None => {
                let child = self.element(tag);
                if !class.is_empty() {
                    child.set_class_name(intern(class));
                }
                for (name, value) in fixed {
                    set(&child, name, value);
                }
                let _ = slot.parent.append_child(&child);
                child
            }
        };
        if let Some(text) = text {
            child.set_text_content(Some(text));
        }
        child
    }

    /// The row's cells, in the columns' order; the table's listeners read the `data-` names.
    /// With `refill`, `tr` already has the cells of a row of this shape and look: only what
    /// differs from email to email is written.
    fn draw(&self, tr: &web_sys::Element, email: &EmailSummary, look: &Look, refill: bool) {
        let locale = look.locale;
        if !refill {
            tr.set_text_content(None);
        }
        set(tr, "data-email-id", &email.id.to_string());
        let mut cells = Slot::in_(tr, refill);

        let cell = self.child(&mut cells, "td", "cc-select-col", &[], None);
        let checkbox = self.child(
            &mut Slot::in_(&cell, refill),
            "input",
            "",
            &[("type", "checkbox"), ("data-select", "")],
            None,
        );
        let select_label = locale
            .t(Msg::SelectRow)
            .replace("{name}", &email.person.name);
        set(&checkbox, "aria-label", &select_label);

        let cell = self.child(&mut cells, "td", "cc-clip", &[], None);
        let mut inside = Slot::in_(&cell, refill);
        self.child(
            &mut inside,
            "span",
            "cc-person",
            &[],
            Some(&email.person.name),
        );
        self.child(
            &mut inside,
            "span",
            "cc-secondary",
            &[],
            Some(&email.person.company),
        );

        let cell = self.child(&mut cells, "td", "cc-subject cc-clip", &[], None);
        let mut inside = Slot::in_(&cell, refill);
        let open = self.child(
            &mut inside,
            "button",
            "cc-link-button cc-subject-button",
            &[("type", "button"), ("data-open", "")],
            Some(&email.subject),
        );
        let open_label = locale
            .t(Msg::OpenEmail)
            .replace("{subject}", &email.subject);
        set(&open, "aria-label", &open_label);
        if email.marked_success && !refill {
            let badge = locale.t(Msg::MarkedSuccess);
            self.child(&mut inside, "span", "cc-badge", &[], Some(badge));
        }

        for &column in &look.columns {
            self.draw_column(&mut cells, column, email, locale, refill);
        }

        // The buttons are the same in every row of a status (of a shape) and look.
        if refill {
            return;
        }
        let cell = self.child(&mut cells, "td", "cc-row-actions", &[], None);
        let mut inside = Slot::in_(&cell, false);
        if email.status.is_editable() {
            let edit = locale.t(Msg::ActionEdit);
            let fixed = [("type", "button"), ("data-edit", "")];
            self.child(
                &mut inside,
                "button",
                "cc-button cc-small",
                &fixed,
                Some(edit),
            );
        }
        for &action in email.status.quick_actions() {
            let label = locale.t(action_label(action));
            let mut fixed = vec![("type", "button"), ("data-action", action.as_str())];
            if action == EmailAction::Reschedule {
                fixed.push(("aria-haspopup", "dialog"));
            }
            self.child(
                &mut inside,
                "button",
                "cc-button cc-small",
                &fixed,
                Some(label),
            );
        }
    }

    fn draw_column(
        &self,
        cells: &mut Slot,
        column: Column,
        email: &EmailSummary,
        locale: Locale,
        refill: bool,
    ) {
        match column {
            Column::Campaign => {
                let name = email.campaign.as_ref().map_or("—", |c| c.name.as_str());
                self.child(cells, "td", "cc-clip", &[], Some(name));
            }
            Column::Date => {
                let date = email.folder_date();
                let cell = self.child(cells, "td", "cc-date", &[], None);
                let text = locale.date_time(date);
                let time = self.child(&mut Slot::in_(&cell, refill), "time", "", &[], Some(&text));
                set(&time, "datetime", &date.to_rfc3339());
            }
            Column::Views => {
                self.child(cells, "td", "cc-num", &[], Some(&email.views.to_string()));
            }
            Column::Clicks => {
                self.child(cells, "td", "cc-num", &[], Some(&email.clicks.to_string()));
            }
            Column::Replied => {
                let replied = locale.t(if email.replies > 0 { Msg::Yes } else { Msg::No });
                self.child(cells, "td", "", &[], Some(replied));
            }
            Column::LastActivity => {
                let cell = self.child(cells, "td", "cc-date", &[], None);
                match email.last_activity_at {
                    Some(at) => {
                        let relative = locale.relative(at, chrono::Utc::now());
                        let mut inside = Slot::in_(&cell, refill);
                        let time = self.child(&mut inside, "time", "", &[], Some(&relative));
                        set(&time, "datetime", &at.to_rfc3339());
                        set(&time, "title", &locale.date_time(at));
                    }
                    None if refill => {}
                    None => cell.set_text_content(Some("—")),
                }
            }
            Column::Reason => {
                let reason = email.failure_reason.as_deref().unwrap_or_default();
                let cell = self.child(cells, "td", "cc-reason cc-clip", &[], Some(reason));
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
