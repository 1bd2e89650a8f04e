//! The rep's people as a CSV file: the import's columns (so a file exported here imports again
//! as it is), plus whether each person opted out or is marked do-not-contact.
//!
//! UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8 (Japanese Excel would
//! take it for Shift_JIS otherwise). A field that a spreadsheet would run as a formula (`=`,
//! `+`, `-`, `@` first, or their full-width forms `＝＋－＠`, which Japanese Excel reads as the
//! same) is written with a leading apostrophe, and a field holding `;` is quoted so that a
//! `;`-separated locale does not split a formula out of it: the names and companies come from
//! imports and forms, and a rep opening the file must not run what someone typed there.

use super::{select_people, PersonRow};
use crate::db::Db;
use api::csv_text::write_record;
use api::{Person, PersonId, UserId};

pub const COLUMNS: [&str; 9] = [
    "first_name",
    "last_name",
    "email",
    "company",
    "title",
    "phone",
    "linkedin_url",
    "opted_out",
    "do_not_contact",
];

/// Rows read per query: memory holds one page of rows besides the text.
const PAGE: i64 = 5_000;

/// Every person of `owner` (deleted ones aside), in the order they were added, and how many.
pub async fn csv(db: &Db, owner: UserId) -> Result<(String, u64), sqlx::Error> {
    let mut text = String::from("\u{feff}");
    text.push_str(&write_record(&COLUMNS));
    let mut after = PersonId(0);
    let mut count = 0_u64;
    loop {
        let rows: Vec<PersonRow> = sqlx::query_as(select_people!(
            "WHERE owner_id = $1 AND deleted_at IS NULL AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(owner)
        .bind(after)
        .bind(PAGE)
        .fetch_all(db)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let full = rows.len() as i64 == PAGE;
        for person in rows.into_iter().map(Person::from) {
            text.push_str(&record(&person));
            count += 1;
        }
        if !full {
            break;
        }
    }
    Ok((text, count))
}

fn record(person: &Person) -> String {
    let flag = |on: bool| if on { "yes" } else { "no" };
    write_record(&[
        defused(&person.first_name),
        defused(&person.last_name),
        defused(&person.email),
        defused(&person.company),
        defused(&person.title),
        defused(&person.phone),
        defused(&person.linkedin_url),
        flag(person.opted_out).to_owned(),
        flag(person.do_not_contact).to_owned(),
    ])
}

/// The text, made inert for a spreadsheet when it would start a formula.
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::defused;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(
            defused("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defused("+81 3 1234"), "'+81 3 1234");
        assert_eq!(defused("@sum"), "'@sum");
        assert_eq!(defused("Acme = best"), "Acme = best");
        assert_eq!(defused("青木"), "青木");
        assert_eq!(
            defused("＝HYPERLINK(\"http://x\")"),
            "'＝HYPERLINK(\"http://x\")"
        );
        assert_eq!(defused("＠sum"), "'＠sum");
    }
}
