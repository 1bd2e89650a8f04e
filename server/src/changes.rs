//! Tells open streams that a rep's data changed (the sender, tracking, the webhook, another tab),
//! on this instance and, through `cluster`, on the others sharing its database.

use api::{Change, ChangeTopic, EmailId, Id, TaskId, UserId};
use tokio::sync::broadcast;

#[derive(Clone, Debug)]
pub struct OwnedChange {
    pub owner_id: UserId,
    pub change: Change,
}

#[derive(Clone)]
pub struct Changes {
    local: broadcast::Sender<OwnedChange>,
    others: crate::cluster::Notifier,
}

impl Default for Changes {
    fn default() -> Self {
        Changes::new(crate::cluster::Notifier::default())
    }
}

impl Changes {
    pub fn new(others: crate::cluster::Notifier) -> Self {
        // A slow stream that falls this far behind is told to re-read everything (Lagged).
        Changes {
            local: broadcast::channel(1024).0,
            others,
        }
    }

    pub fn emails(&self, owner_id: UserId, ids: Vec<EmailId>) {
        let ids = ids.into_iter().map(|id| id.0).collect();
        self.changed(owner_id, ChangeTopic::Emails, ids);
    }

    pub fn tasks(&self, owner_id: UserId, ids: Vec<TaskId>) {
        let ids = ids.into_iter().map(|id| id.0).collect();
        self.changed(owner_id, ChangeTopic::Tasks, ids);
    }

    fn changed(&self, owner: UserId, topic: ChangeTopic, ids: Vec<Id>) {
        let change = Change { topic, ids };
        self.others.send(crate::cluster::Event::Changed {
            owner,
            change: change.clone(),
        });
        self.on_this_instance(owner, change);
    }

    /// A change another instance made, for the streams open here.
    pub fn on_this_instance(&self, owner_id: UserId, change: Change) {
        // No subscriber is fine: nobody is looking.
        let _ = self.local.send(OwnedChange { owner_id, change });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<OwnedChange> {
        self.local.subscribe()
    }
}
