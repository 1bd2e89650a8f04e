//! Tells open streams that a rep's data changed (the sender, tracking, the webhook, another tab).

use api::{Change, ChangeTopic, Id};
use tokio::sync::broadcast;

#[derive(Clone, Debug)]
pub struct OwnedChange {
    pub owner_id: Id,
    pub change: Change,
}

#[derive(Clone)]
pub struct Changes(broadcast::Sender<OwnedChange>);

impl Default for Changes {
    fn default() -> Self {
        // A slow stream that falls this far behind is told to re-read everything (Lagged).
        Changes(broadcast::channel(1024).0)
    }
}

impl Changes {
    pub fn emails(&self, owner_id: Id, ids: Vec<Id>) {
        // No subscriber is fine: nobody is looking.
        let _ = self.0.send(OwnedChange {
            owner_id,
            change: Change {
                topic: ChangeTopic::Emails,
                ids,
            },
        });
    }

    pub fn tasks(&self, owner_id: Id, ids: Vec<Id>) {
        let _ = self.0.send(OwnedChange {
            owner_id,
            change: Change {
                topic: ChangeTopic::Tasks,
                ids,
            },
        });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<OwnedChange> {
        self.0.subscribe()
    }
}
