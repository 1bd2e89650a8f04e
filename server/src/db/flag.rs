//! A yes/no column read back the same from both databases.

use sqlx::any::{Any, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type, ValueRef};

/// A flag as a row holds it: PostgreSQL answers a `BOOLEAN` (or `x IS NOT NULL`) as a boolean,
/// SQLite as the integer 0 or 1, and the `Any` driver passes each on as it came. Written into a
/// query as a plain `bool`, which both accept.
///
/// A column declared `BOOLEAN` is read as an expression, `(column = TRUE)`: through `Any`, the
/// SQLite driver refuses a result column whose declared type is `BOOLEAN`, and an expression
/// has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().kind() == AnyTypeInfoKind::Bool {
            Ok(Flag(<bool as Decode<Any>>::decode(value)?))
        } else {
            Ok(Flag(<i64 as Decode<Any>>::decode(value)? != 0))
        }
    }
}
