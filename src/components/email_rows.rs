//! The email table's rows, drawn by hand.
//!
//! A keystroke in the quick filter or a screenful of scrolling brings a score of rows at once, and
//! that must fit in a frame. As leptos views (an owner, effects, attribute states each) a row
//! cost about a third of a millisecond to make: bringing 21 back after a filter that matched
//! nothing took 27 ms. Here a row is a few `createElement` and `textContent` calls.
//!
//! Every string in a row is a prospect's, the rep's or a campaign's: each is set as text or as an
//! attribute value, never parsed as HTML. A small scroll keeps rows by email id, so a row that
//! stays in view keeps its element (and the rep's focus inside it) while a row that leaves view is
//! refilled for one that comes in; after a jump every row is refilled where it stands.

use crate::components::actions::RowAction;
use crate::components::columns::Column;
use crate::components::row_menu::{more_actions_label, MENU_ID};
use crate::i18n::{Locale, Msg};
use api::{EmailAction, EmailId, EmailState, EmailSummary};
use std::collections::{HashSet, VecDeque};
use wasm_bindgen::intern;

/// What every row is drawn with: when it changes, every row is drawn again.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    pub locale: Locale,
    pub columns: Vec<Column>,
    /// The minute relative times were last read at ("3 minutes ago").
    pub minute: u64,
    /// The rep has a draft: a scheduled email cannot be unscheduled into a second one.
    pub rep_has_draft: bool,
    /// Where a person's page is, before their id (`AppState::people_href`).
    pub person_href: Option<String>,
    /// Another's emails (view as): no selection, no actions.
    pub read_only: bool,
}

struct Row {
    element: web_sys::Element,
    drawn_from: EmailSummary,
}

impl Row {
    fn of(element: web_sys::Element, email: &EmailSummary) -> Row {
        Row {
            element,
            drawn_from: email.clone(),
        }
    }
}

/// Rows kept for refilling beyond those on screen: more than a tall screenful with its overscan.
const SPARES_KEPT: usize = 64;

/// What decides which elements a row is made of, with the look: a row that leaves view is
/// refilled for an email of the same shape rather than made again.
#[derive(Clone, Copy, PartialEq)]
struct Shape {
    status: api::EmailStatus,
    /// With `badge` (marked a success), what decides the actions offered.
    in_campaign: bool,
    campaign_step: bool,
    /// Its person unsubscribed: no sending actions, and a badge.
    opted_out: bool,
    badge: bool,
    activity: bool,
    reason: bool,
}

impl Shape {
    fn of(email: &EmailSummary) -> Shape {
        Shape {
            status: email.status,
            in_campaign: email.campaign.is_some(),
            campaign_step: email.campaign_step,
            opted_out: email.person.opted_out,
            badge: email.marked_success,
            activity: email.last_activity_at.is_some(),
            reason: email
                .failure_reason
                .as_deref()
                .is_some_and(|reason| !reason.is_empty()),
        }
    }
}

/// The rows on screen, between two spacer rows that stand for the rows scrolled past.
pub struct Rows {
    document: web_sys::Document,
    look: Option<Look>,
    /// Top to bottom.
    on_screen: Vec<Row>,
    /// Rows that left view, to be refilled: the ones still in place first, top to bottom.
    spares: Vec<(Shape, web_sys::Element)>,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            document: leptos::prelude::document(),
            look: None,
            on_screen: Vec::new(),
            spares: Vec::new(),
        }
    }
}

impl Rows {
    /// Makes the rows right after `top` show `emails`, in this order.
    ///
    /// A screenful of scrolling replaces every row. Made anew each frame, a score of rows meant
    /// new boxes to lay out and old nodes to collect; the rows that leave view are refilled
    /// instead, so that most often no node is made or moved and only text changes (a
    /// screenful's script and layout: 1.3 and 3.8 ms, were 2.8 and 8).
    pub fn show(
        &mut self,
        top: &web_sys::Element,
        emails: &[&EmailSummary],
        look: &Look,
        selected: &HashSet<EmailId>,
    ) {
        let Some(parent) = top.parent_node() else {
            return;
        };
        let same_look = self.look.as_ref() == Some(look);
        let staying: HashSet<EmailId> = emails.iter().map(|email| email.id).collect();
        // The rep's focus is not carried into another email's row: that row goes.
        let focused = self
            .document
            .active_element()
            .and_then(|active| active.closest(intern("tr")).ok().flatten());
        let holds_focus = |row: &Row| focused.as_ref() == Some(&row.element);
        // After a jump of more than half a screen (a fling, the scrollbar dragged, a keystroke in
        // the filter), the few rows still in view would have to move into place, and a moved row
        // is laid out anew: every row is refilled where it stands instead. Not while the rep's
        // focus is in a row: that row keeps its email.
        let kept_in_view = self
            .on_screen
            .iter()
            .filter(|row| staying.contains(&row.drawn_from.id))
            .count();
        let in_place = !self.on_screen.iter().any(holds_focus) && 2 * kept_in_view < emails.len();
        // The rows that may stay: all of them, in order, to be refilled in place; or those whose
        // email stays, each to be found by its email.
        let mut standing = VecDeque::with_capacity(self.on_screen.len());
        let mut spares = Vec::with_capacity(self.on_screen.len() + self.spares.len());
        for row in std::mem::take(&mut self.on_screen) {
            if in_place || staying.contains(&row.drawn_from.id) {
                standing.push_back(row);
            } else if holds_focus(&row) {
                row.element.remove();
            } else {
                spares.push((Shape::of(&row.drawn_from), row.element));
            }
        }
        spares.append(&mut self.spares);
        if !same_look {
            for (_, element) in spares.drain(..) {
                element.remove();
            }
        }

        for &email in emails {
            if self
                .on_screen
                .iter()
                .any(|row| row.drawn_from.id == email.id)
            {
                continue;
            }
            let shape = Shape::of(email);
            let row = if in_place {
                standing.pop_front()
            } else {
                let at = standing
                    .iter()
                    .position(|row| row.drawn_from.id == email.id);
                at.and_then(|at| standing.remove(at))
            };
            // A row already showing this email in this look stays as it is.
            let row = match row {
                Some(row) if same_look && row.drawn_from == *email => row,
                Some(row) => {
                    let refill = same_look && Shape::of(&row.drawn_from) == shape;
                    self.draw(&row.element, email, look, refill);
                    Row::of(row.element, email)
                }
                None => match spares.iter().position(|(spare, _)| *spare == shape) {
                    Some(at) => {
                        let (_, element) = spares.remove(at);
                        self.draw(&element, email, look, true);
                        Row::of(element, email)
                    }
                    None => {
                        let element = self.element("tr");
                        self.draw(&element, email, look, false);
                        Row::of(element, email)
                    }
                },
            };
            self.on_screen.push(row);
        }
        // Rows left over (fewer emails than before) wait as spares, if drawn in this look.
        for row in standing {
            if same_look {
                spares.push((Shape::of(&row.drawn_from), row.element));
            } else {
                row.element.remove();
            }
        }
        // Spares not needed leave the table and wait for the next screenful: a filter that
        // matched little and then, a keystroke later, much again needs them all.
        for (_, element) in &spares {
            element.remove();
        }
        spares.truncate(SPARES_KEPT);
        self.spares = spares;
        // Into place after `top`, moving only the rows that are not already where they belong.
        let mut cursor = top.next_sibling();
        for row in &self.on_screen {
            let node: &web_sys::Node = row.element.as_ref();
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
    pub fn mark_selected(&self, selected: &HashSet<EmailId>) {
        use wasm_bindgen::JsCast;
        for row in &self.on_screen {
            let on = selected.contains(&row.drawn_from.id);
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

    /// The row's cells, in the columns' order; the table's listeners read the `data-` names.
    /// Refilling (a row of the same shape and look), only what differs between emails is set.
    fn draw(&self, tr: &web_sys::Element, email: &EmailSummary, look: &Look, refill: bool) {
        let locale = look.locale;
        if !refill {
            tr.set_text_content(None);
        }
        set(tr, "data-email-id", &email.id.to_string());
        let mut row = Pen::new(self, tr, refill);

        if !look.read_only {
            let mut cell = row.open("td", "cc-select-col");
            let checkbox = cell.child("input", "", None);
            cell.fixed(&checkbox, "type", "checkbox");
            cell.fixed(&checkbox, "data-select", "");
            let select_label = locale
                .t(Msg::SelectRow)
                .replace("{name}", &email.person.name);
            set(&checkbox, "aria-label", &select_label);
        }

        let mut cell = row.open("td", "cc-clip cc-who");
        let person = cell.child("a", "cc-person", Some(&email.person.name));
        if let Some(people) = &look.person_href {
            set(&person, "href", &format!("{people}{}", email.person.id));
        }
        cell.child("span", "cc-secondary", Some(&email.person.company));

        let mut cell = row.open("td", "cc-subject cc-clip");
        let open = cell.button("cc-link-button cc-subject-button", Some(&email.subject));
        cell.fixed(&open, "data-open", "");
        let open_label = locale
            .t(Msg::OpenEmail)
            .replace("{subject}", &email.subject);
        set(&open, "aria-label", &open_label);
        if email.marked_success {
            cell.label("span", "cc-badge", locale.t(Msg::MarkedSuccess));
        }
        if email.person.opted_out {
            cell.label(
                "span",
                "cc-badge cc-badge-opted-out",
                locale.t(Msg::Unsubscribed),
            );
        }

        for &column in &look.columns {
            draw_column(&mut row, column, email, locale);
        }

        if look.read_only {
            return;
        }
        let mut cell = row.open("td", "cc-row-actions");
        let offered = RowAction::offered(&email_state(email, look.rep_has_draft));
        let Some((main, more)) = offered.split_first() else {
            return;
        };
        let button = cell.button("cc-button cc-small", None);
        cell.fixed_text(&button, locale.t(main.label()));
        cell.fixed(&button, "data-row-action", main.key());
        if *main == RowAction::Act(EmailAction::Reschedule) {
            cell.fixed(&button, "aria-haspopup", "dialog");
        }
        if !more.is_empty() {
            let button = cell.button("cc-button cc-small cc-more", None);
            cell.fixed_text(&button, locale.t(Msg::MoreActions));
            cell.fixed(&button, "data-more", "");
            cell.fixed(&button, "aria-haspopup", "menu");
            cell.fixed(&button, "aria-controls", MENU_ID);
            set(&button, "aria-expanded", "false");
            set(
                &button,
                "aria-label",
                &more_actions_label(locale, &email.subject),
            );
        }
    }
}

/// What decides the actions one email's row offers.
pub fn email_state(email: &EmailSummary, rep_has_draft: bool) -> EmailState {
    EmailState {
        status: email.status,
        in_campaign: email.campaign.is_some(),
        campaign_step: email.campaign_step,
        marked_success: email.marked_success,
        rep_has_draft,
        person_opted_out: email.person.opted_out,
    }
}

fn draw_column(row: &mut Pen, column: Column, email: &EmailSummary, locale: Locale) {
    match column {
        Column::Campaign => {
            let name = email.campaign.as_ref().map_or("—", |c| c.name.as_str());
            row.child("td", "cc-clip cc-campaign", Some(name));
        }
        Column::Date => {
            let date = email.folder_date();
            let mut cell = row.open("td", "cc-date");
            let time = cell.child("time", "", Some(&locale.date_time(date)));
            set(&time, "datetime", &date.to_rfc3339());
        }
        Column::Views => {
            row.child("td", "cc-num", Some(&email.views.to_string()));
        }
        Column::Clicks => {
            row.child("td", "cc-num", Some(&email.clicks.to_string()));
        }
        Column::Replied => {
            let replied = locale.t(if email.replies > 0 { Msg::Yes } else { Msg::No });
            row.child("td", "", Some(replied));
        }
        Column::LastActivity => {
            let cell = row.child("td", "cc-date", None);
            match email.last_activity_at {
                Some(at) => {
                    let mut cell = row.inside(cell);
                    let relative = locale.relative(at, chrono::Utc::now());
                    let time = cell.child("time", "", Some(&relative));
                    set(&time, "datetime", &at.to_rfc3339());
                    set(&time, "title", &locale.date_time(at));
                }
                None => row.fixed_text(&cell, "—"),
            }
        }
        Column::Reason => {
            let reason = email.failure_reason.as_deref().unwrap_or_default();
            let cell = row.child("td", "cc-reason cc-clip", Some(reason));
            if !reason.is_empty() {
                set(&cell, "title", reason);
            }
        }
    }
}

/// Writes a row's elements in order. Drawing anew, it makes each and gives it its class and the
/// attributes and text that come with the row's shape; refilling, each is the next element
/// already there, and only what differs between emails of one shape is written.
struct Pen<'a> {
    rows: &'a Rows,
    parent: web_sys::Element,
    next: Option<web_sys::Element>,
    refill: bool,
}

impl<'a> Pen<'a> {
    fn new(rows: &'a Rows, parent: &web_sys::Element, refill: bool) -> Self {
        Pen {
            rows,
            parent: parent.clone(),
            next: if refill {
                parent.first_element_child()
            } else {
                None
            },
            refill,
        }
    }

    /// A pen for the children of `parent`, itself written by this pen.
    fn inside(&self, parent: web_sys::Element) -> Pen<'a> {
        Pen::new(self.rows, &parent, self.refill)
    }

    /// A pen for the next child's children.
    fn open(&mut self, tag: &str, class: &str) -> Pen<'a> {
        let child = self.child(tag, class, None);
        self.inside(child)
    }

    /// The next child, with a class and, when given, text that differs between emails.
    fn child(&mut self, tag: &str, class: &str, text: Option<&str>) -> web_sys::Element {
        let child = match self.next.take() {
            Some(child) if self.refill => {
                self.next = child.next_element_sibling();
                child
            }
            _ => {
                let child = self.rows.element(tag);
                if !class.is_empty() {
                    child.set_class_name(intern(class));
                }
                let _ = self.parent.append_child(&child);
                child
            }
        };
        if let Some(text) = text {
            // Refilling, the text node already there takes the new text: no node to collect.
            match child.first_child().filter(|_| self.refill) {
                Some(node) => node.set_node_value(Some(text)),
                None => child.set_text_content(Some(text)),
            }
        }
        child
    }

    /// The next child, with text that comes with the row's shape.
    fn label(&mut self, tag: &str, class: &str, text: &str) -> web_sys::Element {
        let child = self.child(tag, class, None);
        self.fixed_text(&child, text);
        child
    }

    fn button(&mut self, class: &str, text: Option<&str>) -> web_sys::Element {
        let button = self.child("button", class, text);
        self.fixed(&button, "type", "button");
        button
    }

    /// An attribute that comes with the row's shape, set when the row is drawn anew.
    fn fixed(&self, element: &web_sys::Element, name: &str, value: &str) {
        if !self.refill {
            set(element, name, value);
        }
    }

    fn fixed_text(&self, element: &web_sys::Element, text: &str) {
        if !self.refill {
            element.set_text_content(Some(text));
        }
    }
}

fn set(element: &web_sys::Element, name: &str, value: &str) {
    let _ = element.set_attribute(intern(name), value);
}
