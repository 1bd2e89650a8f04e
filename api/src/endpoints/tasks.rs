//! The task list, its counts, and what is done to tasks, one or many.

use super::*;
use crate::ids::*;

pub fn list(query: &TaskListQuery) -> Call<Page<Task>> {
    let mut pairs = vec![
        ("view", query.view.as_str().to_owned()),
        ("sort", query.sort.as_str().to_owned()),
    ];
    if let Some((from, to)) = query.range {
        pairs.push(("from", from.format("%Y-%m-%d").to_string()));
        pairs.push(("to", to.format("%Y-%m-%d").to_string()));
    }
    if let Some(kind) = query.kind {
        pairs.push(("kind", kind.as_str().to_owned()));
    }
    if let Some(priority) = query.priority {
        pairs.push(("priority", priority.as_str().to_owned()));
    }
    if let Some(person) = query.person {
        pairs.push(("person_id", person.to_string()));
    }
    if let Some(campaign) = query.campaign {
        pairs.push(("campaign_id", campaign.to_string()));
    }
    Call::get(with_query(paths::TASKS, &pairs))
}

pub fn counts() -> Call<TaskCounts> {
    Call::get(paths::TASK_COUNTS.to_owned())
}

pub fn one(id: TaskId) -> Call<Task> {
    Call::get(at(paths::TASK, id))
}

pub fn create(task: &NewTask) -> Call<Task> {
    Call::with(Method::Post, paths::TASKS.to_owned(), task)
}

pub fn edit(id: TaskId, patch: &TaskPatch) -> Call<Task> {
    Call::with(Method::Patch, at(paths::TASK, id), patch)
}

pub fn delete(id: TaskId) -> Call<()> {
    Call::delete(at(paths::TASK, id))
}

/// An action on one task (deleting answers nothing, the others the task as it now is).
pub fn act(id: TaskId, action: TaskAction, request: &TaskActionRequest) -> Call<Option<Task>> {
    let path = at(paths::TASK_ACTION, id).replace("{action}", action.as_str());
    Call::with(Method::Post, path, request)
}

pub fn bulk(request: &TaskBulkRequest) -> Call<TaskBulkResponse> {
    Call::with(Method::Post, paths::TASK_BULK.to_owned(), request)
}
