//! Ids that say what they identify, so that a template's id cannot be passed where a person's is
//! asked for. On the wire each is the plain number it wraps.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }
    )*};
}

id_type! {
    /// A rep's email template.
    TemplateId;
    /// A rep's campaign: a sequence of steps and the people enrolled in it.
    CampaignId;
    /// One step of a campaign's sequence.
    StepId;
    /// A person a rep writes to.
    PersonId;
    /// One tracked email, sent, scheduled or a draft.
    EmailId;
    /// A rep's task.
    TaskId;
    /// A user: a rep, a manager or an admin.
    UserId;
    /// A rep's saved search (a dynamic list).
    SavedSearchId;
    /// A team of reps and their managers.
    TeamId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_on_the_wire_and_in_a_path() {
        let id = TemplateId(42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<TemplateId>("42").unwrap(), id);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<TemplateId>(), Ok(id));
        assert!("x".parse::<TemplateId>().is_err());
    }
}
