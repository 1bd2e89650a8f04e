//! Enums that cross the wire by name (in JSON, paths, queries and the database): one macro
//! gives each its names, `ALL`, `as_str` and `FromStr`, so the name written is the name read.

/// `wire_enum!(/// docs  pub enum Name { Variant = "wire_name", … });`
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $wire:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $wire)] $variant),*
        }

        impl $name {
            /// Every variant, in the order declared.
            pub const ALL: [$name; [$($wire),*].len()] = [$($name::$variant),*];

            /// Its name on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),*
                }
            }
        }

        impl $crate::wire::WireEnum for $name {
            fn all() -> &'static [Self] {
                &$name::ALL
            }

            fn wire_name(self) -> &'static str {
                self.as_str()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::folder::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::folder::UnknownName(s.to_owned()))
            }
        }
    };
}

pub(crate) use wire_enum;

/// What every wire enum is, for code that handles any of them (a select of its values).
pub trait WireEnum: Copy + PartialEq + std::str::FromStr + Send + Sync + 'static {
    /// Every variant, in the order declared.
    fn all() -> &'static [Self];
    /// Its name on the wire.
    fn wire_name(self) -> &'static str;
}

#[cfg(test)]
mod tests {
    use crate::{EmailAction, EmailStatus, TaskView};

    #[test]
    fn a_wire_name_reads_back_as_what_wrote_it_in_json_and_text() {
        for status in EmailStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(status.as_str().parse::<EmailStatus>(), Ok(status));
        }
        assert_eq!(EmailAction::SkipStep.as_str(), "skip_step");
        assert_eq!(TaskView::NoDate.as_str(), "nodate");
        assert!("no_date".parse::<TaskView>().is_err());
    }
}
