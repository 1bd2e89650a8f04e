//! The task list's model: what the rep asked to see (a typed query the list is read for), what
//! is loaded, chosen and open, and what can be done with it.

use super::run::Undo;
use crate::api_client::ApiError;
use crate::components::bulk_run::Progress;
use crate::components::compose::ComposeMode;
use crate::components::row_menu::RowMenuState;
use crate::components::task_form::TaskFormMode;
use crate::components::task_labels::Snooze;
use crate::live::{use_live, Live};
use crate::router::use_router;
use crate::state::{use_app, AppState};
use api::endpoints::{tasks, TaskListQuery, TaskSort};
use api::{
    CampaignRef, EmailId, PersonId, Task, TaskAction, TaskCounts, TaskId, TaskKind, TaskStatus,
    TaskView,
};
use leptos::prelude::*;
use std::collections::HashSet;

/// The list as last read: its tasks and every view's count.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Loaded {
    pub tasks: Vec<Task>,
    pub counts: Option<TaskCounts>,
}

#[derive(Clone, Copy)]
pub struct TasksModel {
    pub app: AppState,
    pub live: Live,
    pub view: Memo<TaskView>,
    /// Another's tasks (view as): read, not worked.
    pub read_only: bool,
    pub kind: RwSignal<String>,
    pub priority: RwSignal<String>,
    pub sort: RwSignal<String>,
    pub range_from: RwSignal<String>,
    pub range_to: RwSignal<String>,
    pub campaign: RwSignal<String>,
    /// Narrow the loaded tasks in the browser: a person, and the quick filter's text.
    pub person: RwSignal<String>,
    pub filter: RwSignal<String>,
    list: LocalResource<Result<Loaded, ApiError>>,
    /// The last list read, kept while the next is on its way.
    pub loaded: Memo<Loaded>,
    pub campaigns: LocalResource<Vec<CampaignRef>>,
    pub selected: RwSignal<HashSet<TaskId>>,
    pub undo: RwSignal<Option<Undo>>,
    pub progress: RwSignal<Option<Progress<TaskId>>>,
    /// What stopped an action.
    pub action_error: RwSignal<Option<ApiError>>,
    pub dialogs: Dialogs,
    /// The rows' one "More actions" menu.
    pub menu: RowMenuState<TaskId>,
}

/// The dialogs the page can have open.
#[derive(Clone, Copy)]
pub struct Dialogs {
    pub form: RwSignal<Option<TaskFormMode>>,
    pub working: RwSignal<bool>,
    pub help: RwSignal<bool>,
    /// The tasks waiting for a time picked by hand.
    pub custom_snooze: RwSignal<Option<Vec<TaskId>>>,
    pub compose: RwSignal<Option<ComposeMode>>,
    pub email: RwSignal<Option<EmailId>>,
}

impl Dialogs {
    fn new() -> Self {
        Dialogs {
            form: RwSignal::new(None),
            working: RwSignal::new(false),
            help: RwSignal::new(false),
            custom_snooze: RwSignal::new(None),
            compose: RwSignal::new(None),
            email: RwSignal::new(None),
        }
    }

    /// A dialog is open: the list's keys are left alone.
    pub fn any_open(self) -> bool {
        self.form.with_untracked(Option::is_some)
            || self.working.get_untracked()
            || self.help.get_untracked()
            || self.compose.with_untracked(Option::is_some)
            || self.custom_snooze.with_untracked(Option::is_some)
            || self.email.with_untracked(Option::is_some)
    }
}

fn date_in(days: i64) -> String {
    (crate::zone::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

impl TasksModel {
    pub fn new() -> Self {
        let state = use_app();
        let live = use_live();
        let router = use_router();
        let view = Memo::new(move |_| {
            router
                .after::<TaskView>("/tasks/")
                .unwrap_or(TaskView::Today)
        });
        let (kind, priority, campaign) = (
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
        );
        let sort = RwSignal::new("due".to_owned());
        let (range_from, range_to) = (RwSignal::new(date_in(0)), RwSignal::new(date_in(14)));
        // What the list is read for: a changed query reads it again, and an answer to an older
        // one is dropped (the resource keeps only its latest).
        let query = Memo::new(move |_| {
            let date = |text: String| chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
            TaskListQuery {
                view: view.get(),
                sort: match sort.get().as_str() {
                    "priority" => TaskSort::Priority,
                    _ => TaskSort::Due,
                },
                range: (view.get() == TaskView::Range)
                    .then(|| date(range_from.get()).zip(date(range_to.get())))
                    .flatten(),
                kind: kind.get().parse().ok(),
                priority: priority.get().parse().ok(),
                person: None,
                campaign: campaign.get().parse().ok(),
            }
        });
        let list = LocalResource::new(move || {
            let (list, counts) = (tasks::list(&query.get()), tasks::counts());
            let viewed = state.viewed_id();
            live.tasks.track();
            let api = state.api();
            async move {
                let page = api.call(list.viewed_as(viewed)).await?;
                let counts = api.call(counts.viewed_as(viewed)).await?;
                Ok(Loaded {
                    tasks: page.items,
                    counts: Some(counts),
                })
            }
        });
        let loaded = Memo::new(move |before: Option<&Loaded>| match list.get() {
            Some(Ok(loaded)) => loaded,
            _ => before.cloned().unwrap_or_default(),
        });
        let campaigns = LocalResource::new(move || {
            let api = state.api();
            async move {
                api.call(api::endpoints::campaigns::list())
                    .await
                    .map(|all| {
                        all.into_iter()
                            .map(|c| CampaignRef {
                                id: c.id,
                                name: c.name,
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }
        });
        let selected = RwSignal::new(HashSet::<TaskId>::new());
        // A task no longer listed is no longer chosen.
        Effect::new(move |_| {
            loaded.with(|loaded| {
                let listed: HashSet<TaskId> = loaded.tasks.iter().map(|t| t.id).collect();
                selected.update(|s| s.retain(|id| listed.contains(id)));
            })
        });
        TasksModel {
            app: state,
            live,
            view,
            read_only: state.viewed_id().is_some(),
            kind,
            priority,
            sort,
            range_from,
            range_to,
            campaign,
            person: RwSignal::new(String::new()),
            filter: RwSignal::new(String::new()),
            list,
            loaded,
            campaigns,
            selected,
            undo: RwSignal::new(None),
            progress: RwSignal::new(None),
            action_error: RwSignal::new(None),
            dialogs: Dialogs::new(),
            menu: RowMenuState::new(),
        }
    }

    /// Why the list could not be read, if it could not.
    pub fn load_error(self) -> Option<ApiError> {
        self.list.get().and_then(Result::err)
    }

    pub fn loading(self) -> bool {
        self.list.with(Option::is_none)
    }

    pub fn reload(self) {
        self.list.refetch();
    }

    /// The loaded tasks the person and quick filters let through.
    pub fn visible(self) -> Vec<Task> {
        let needle = crate::quick_filter::needle(&self.filter.get());
        let person: Option<PersonId> = self.person.get().parse().ok();
        self.loaded.with(|loaded| {
            loaded
                .tasks
                .iter()
                .filter(|t| matches_filter(t, &needle))
                .filter(|t| person.is_none() || t.person.as_ref().map(|p| p.id) == person)
                .cloned()
                .collect()
        })
    }

    /// The loaded tasks' people, for the person filter: (id, "name · company"), by name.
    pub fn people(self) -> Vec<(PersonId, String)> {
        let mut people: Vec<(PersonId, String)> = self.loaded.with(|loaded| {
            loaded
                .tasks
                .iter()
                .filter_map(|t| {
                    let p = t.person.as_ref()?;
                    Some((p.id, format!("{} · {}", p.name, p.company)))
                })
                .collect()
        });
        people.sort_by(|a, b| a.1.cmp(&b.1));
        people.dedup();
        people
    }

    /// The chosen tasks an action applies to (api::TaskAction::applies), in id order.
    pub fn applying(self, action: TaskAction) -> Vec<TaskId> {
        self.selected.with(|chosen| {
            self.loaded.with(|loaded| {
                let mut ids: Vec<TaskId> = loaded
                    .tasks
                    .iter()
                    .filter(|t| chosen.contains(&t.id) && action.applies(t.status, false))
                    .map(|t| t.id)
                    .collect();
                ids.sort_unstable();
                ids
            })
        })
    }

    pub fn open_tasks(self) -> Vec<Task> {
        self.visible()
            .into_iter()
            .filter(|t| t.status == TaskStatus::Open)
            .collect()
    }

    pub fn new_task(self) {
        self.dialogs.form.set(Some(TaskFormMode::New {
            person: None,
            title: String::new(),
            kind: TaskKind::Call,
            email_id: None,
        }))
    }

    /// Snoozes `ids` to a preset, or asks for a time (`custom`).
    pub fn snooze(self, ids: Vec<TaskId>, choice: &str) {
        match Snooze::from_key(choice) {
            Some(preset) => self.run(
                ids,
                TaskAction::Reschedule,
                Some(preset.until(chrono::Utc::now())),
            ),
            None if choice == "custom" => self.dialogs.custom_snooze.set(Some(ids)),
            None => {}
        }
    }
}

fn matches_filter(task: &Task, needle: &str) -> bool {
    needle.is_empty()
        || std::iter::once(&task.title)
            .chain(
                task.person
                    .iter()
                    .flat_map(|p| [&p.name, &p.company, &p.email]),
            )
            .chain(task.email_subject.iter())
            .any(|field| crate::quick_filter::contains_folded(field, needle))
}
