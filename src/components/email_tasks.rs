//! An email task for each of several people (from a search's results or the People page).

use crate::api_client::{ApiClient, ApiError};
use api::{endpoints, NewTask, PersonId};

/// Makes an email task titled `title(name)` for each `(person, name)`, in order, until one is
/// refused. Answers how many were made, and the refusal that stopped it, if one did.
pub async fn email_task_for_each(
    api: &ApiClient,
    people: Vec<(PersonId, String)>,
    title: impl Fn(&str) -> String,
) -> (usize, Option<ApiError>) {
    let mut created = 0;
    for (person, name) in people {
        let task = NewTask {
            title: title(&name),
            kind: "email".into(),
            person_id: Some(person),
            ..NewTask::default()
        };
        match api.call(endpoints::tasks::create(&task)).await {
            Ok(_) => created += 1,
            Err(e) => return (created, Some(e)),
        }
    }
    (created, None)
}
