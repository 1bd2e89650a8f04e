//! The error type each domain module owns (`outbox::Error`, `tasks::Error`, `campaigns::Error`,
//! `saved_searches::Error`):
//! the same kinds of refusal, in both languages, each a type of its own, so that a signature says
//! whose rules refused. `http::Error` alone turns them into problem+json.

/// Declares the module's `Error`.
macro_rules! domain_error {
    () => {
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            /// Not among the rep's (another rep's is no different).
            #[error("{0}")]
            NotFound(api::Text),
            /// Not allowed in its current state (or the state changed meanwhile).
            #[error("{0}")]
            Conflict(api::Text),
            /// A field's value is not acceptable.
            #[error("{message}")]
            Unprocessable { field: String, message: api::Text },
            #[error(transparent)]
            Database(#[from] sqlx::Error),
            #[error(transparent)]
            Internal(#[from] anyhow::Error),
        }

        impl Error {
            pub fn unprocessable(field: &str, message: api::Text) -> Self {
                Error::Unprocessable {
                    field: field.to_owned(),
                    message,
                }
            }

            /// `text` as `field`, a name, title or subject of one line (`api::OneLine`), or
            /// the refusal; `missing` asks for it when it is empty. (Allowed unused: a module
            /// without such a field, the mailbox's, has it too.)
            #[allow(dead_code)]
            pub fn one_line(
                field: &str,
                text: &str,
                max: usize,
                missing: api::Text,
            ) -> std::result::Result<api::OneLine, Self> {
                api::OneLine::parse(text, max)
                    .map_err(|why| Error::unprocessable(field, why.message(missing)))
            }
        }
    };
}
pub(crate) use domain_error;
