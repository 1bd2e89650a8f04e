//! A CSV of people in, as it arrives: the body is decoded (UTF-8 with or without a BOM, or
//! Shift_JIS as Japanese Excel saves it), cut into records, and written 500 rows per
//! transaction, so memory holds one batch whatever the file's size, and a crash leaves whole
//! rows only: every committed batch, none of the one in flight.

use super::{insert, overwrite};
use crate::db::Db;
use api::csv_text::{sniff_delimiter, RecordReader};
use api::people::{
    ColumnMapping, ImportError, ImportReport, OnExisting, PersonField, PersonFields,
};
use api::{Lang, PersonId, Text, UserId};
use bytes::Bytes;
use encoding_rs::{Decoder, Encoding, SHIFT_JIS, UTF_8};
use futures_util::{Stream, StreamExt};
use std::collections::HashMap;

/// The most data rows one import takes; the rest are reported, not imported.
pub const MAX_ROWS: u64 = 100_000;
/// Rows per transaction.
const BATCH: usize = 500;
/// How long an import leaves SQLite's write lock free after each batch (see `Batch::flush`).
const BETWEEN_BATCHES: std::time::Duration = std::time::Duration::from_millis(20);
/// The longest row, in bytes.
const MAX_RECORD: usize = 64 * 1024;
/// Reported rows beyond this are counted, not listed: the answer stays small.
const MAX_LISTED_ERRORS: usize = 10_000;

/// How the file's text is encoded: known from the request, or found from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    ShiftJis,
}

impl TextEncoding {
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Some(TextEncoding::Utf8),
            "shiftjis" | "sjis" | "cp932" | "windows31j" => Some(TextEncoding::ShiftJis),
            _ => None,
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::ShiftJis => SHIFT_JIS,
        }
    }

    /// A file's encoding from its first bytes: UTF-8 when they are UTF-8 (a sequence cut at
    /// the end of the sample is not held against it), Shift_JIS otherwise.
    fn sniff(sample: &[u8]) -> Self {
        match std::str::from_utf8(sample) {
            Ok(_) => TextEncoding::Utf8,
            Err(error) if error.error_len().is_none() => TextEncoding::Utf8,
            Err(_) => TextEncoding::ShiftJis,
        }
    }
}

pub struct ImportOptions {
    /// Which field each column fills; by default, what the header row names.
    pub mapping: Option<ColumnMapping>,
    pub on_existing: OnExisting,
    pub encoding: Option<TextEncoding>,
    /// The row number the file's first line has (1 by default): a file sent in parts numbers
    /// each part's rows as the whole file does.
    pub first_row: u64,
    /// The language the row errors are written in.
    pub lang: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The file cannot be taken in at all; nothing was imported.
    #[error("{}", .0.en)]
    Malformed(Text),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// The body stopped arriving; the batches before it stay imported.
    #[error("the upload broke off: {0}")]
    Body(String),
}

/// Reads the CSV of `body` into the rep's people.
pub async fn import<S, E>(
    db: &Db,
    owner: UserId,
    mut body: S,
    options: ImportOptions,
) -> Result<ImportReport, ImportFailure>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    // Enough of the start to tell its encoding and its separator.
    let mut start = Vec::new();
    let mut ended = false;
    while start.len() < 16 * 1024 {
        match body.next().await {
            Some(chunk) => {
                start.extend_from_slice(&chunk.map_err(|e| ImportFailure::Body(e.to_string()))?)
            }
            None => {
                ended = true;
                break;
            }
        }
    }
    let has_bom = start.starts_with(b"\xEF\xBB\xBF");
    let encoding = match options.encoding {
        Some(encoding) => encoding,
        None if has_bom => TextEncoding::Utf8,
        None => TextEncoding::sniff(&start),
    };
    let mut run = Run {
        decoder: encoding.encoding().new_decoder_with_bom_removal(),
        text: String::new(),
        records: None,
        batch: Batch::new(db, owner, &options),
        header_seen: false,
        next_row: options.first_row.max(1),
        mapping: options.mapping.clone(),
    };
    run.feed(&start, ended).await?;
    // Past the row limit or a broken row the rest is not read: the answer goes back at once and
    // the connection closes, however much more the sender had.
    while !ended && !run.batch.stopped {
        match body.next().await {
            Some(chunk) => {
                let chunk = chunk.map_err(|e| ImportFailure::Body(e.to_string()))?;
                run.feed(&chunk, false).await?;
            }
            None => {
                ended = true;
                run.feed(&[], true).await?;
            }
        }
    }
    if !run.header_seen {
        return Err(ImportFailure::Malformed(Text::fixed(
            "The file is empty: it has no header row.",
            "ファイルが空です。見出し行がありません。",
        )));
    }
    run.batch.flush().await?;
    Ok(run.batch.report)
}

/// One import as it goes.
struct Run<'a> {
    decoder: Decoder,
    /// Decoded text not yet read into records.
    text: String,
    records: Option<RecordReader>,
    batch: Batch<'a>,
    header_seen: bool,
    next_row: u64,
    mapping: Option<ColumnMapping>,
}

impl Run<'_> {
    async fn feed(&mut self, bytes: &[u8], last: bool) -> Result<(), ImportFailure> {
        // Past the row limit or a broken row, nothing more is read into rows.
        if self.batch.stopped {
            return Ok(());
        }
        self.text.clear();
        self.text.reserve(
            self.decoder
                .max_utf8_buffer_length(bytes.len())
                .unwrap_or(bytes.len() * 3),
        );
        let _ = self.decoder.decode_to_string(bytes, &mut self.text, last);
        let reader = self
            .records
            .get_or_insert_with(|| RecordReader::new(sniff_delimiter(&self.text), MAX_RECORD));
        let mut completed = Vec::new();
        let read = reader.push(self.text.as_bytes(), |record| completed.push(record));
        let read = read.and_then(|_| {
            if last {
                reader.finish(|record| completed.push(record))
            } else {
                Ok(())
            }
        });
        for record in completed {
            self.record(record).await?;
        }
        if read.is_err() {
            let message = Text::new(
                format!(
                    "Row {} is longer than {} KB: a quote left open, or not a CSV file. Rows before it were imported.",
                    self.next_row,
                    MAX_RECORD / 1024
                ),
                format!(
                    "{} 行目が {} KB を超えています（引用符の閉じ忘れか、CSV ではないファイルです）。それより前の行は取り込みました。",
                    self.next_row,
                    MAX_RECORD / 1024
                ),
            );
            if !self.header_seen {
                return Err(ImportFailure::Malformed(message));
            }
            self.batch.error(self.next_row, None, message);
            self.batch.stopped = true;
        }
        Ok(())
    }

    async fn record(&mut self, record: Vec<String>) -> Result<(), ImportFailure> {
        let row = self.next_row;
        self.next_row += 1;
        if !self.header_seen {
            self.header_seen = true;
            return self.header(record);
        }
        if record.iter().all(|field| field.trim().is_empty()) {
            return Ok(());
        }
        self.batch.row(row, record).await
    }

    fn header(&mut self, header: Vec<String>) -> Result<(), ImportFailure> {
        if header.iter().any(|h| h.contains(['\0', '\u{fffd}'])) {
            return Err(ImportFailure::Malformed(Text::fixed(
                "This is not a CSV text file (it holds bytes no text has). Nothing was imported.",
                "CSV のテキストファイルではありません（テキストにない値を含みます）。何も取り込んでいません。",
            )));
        }
        let mapping = self
            .mapping
            .take()
            .unwrap_or_else(|| ColumnMapping::from_headers(&header));
        if mapping.column_of(PersonField::Email).is_none() {
            let names = header
                .iter()
                .take(12)
                .map(|h| h.trim())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ImportFailure::Malformed(Text::new(
                format!("No column holds email addresses (the header row reads: {names}). Name one \"Email\" or \"メールアドレス\", or choose it in the mapping. Nothing was imported."),
                format!("メールアドレスの列がありません（見出し行: {names}）。列名を「メールアドレス」か「Email」にするか、対応付けで選んでください。何も取り込んでいません。"),
            )));
        }
        self.batch.mapping = mapping;
        Ok(())
    }
}

/// A person the import finds already there.
#[derive(sqlx::FromRow)]
struct Existing {
    email_key: String,
    id: PersonId,
    first_name: String,
    last_name: String,
    email: String,
    company: String,
    title: String,
    phone: String,
    linkedin_url: String,
}

impl Existing {
    fn fields(&self) -> PersonFields {
        PersonFields {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
            phone: self.phone.clone(),
            linkedin_url: self.linkedin_url.clone(),
        }
    }
}

/// Rows waiting for their transaction, and what the import did so far.
struct Batch<'a> {
    db: &'a Db,
    owner: UserId,
    on_existing: OnExisting,
    lang: Lang,
    mapping: ColumnMapping,
    rows: Vec<(u64, PersonFields)>,
    data_rows: u64,
    /// Past the row limit or a broken row: the rest is not read.
    stopped: bool,
    report: ImportReport,
}

impl<'a> Batch<'a> {
    fn new(db: &'a Db, owner: UserId, options: &ImportOptions) -> Self {
        Self {
            db,
            owner,
            on_existing: options.on_existing,
            lang: options.lang,
            mapping: ColumnMapping::default(),
            rows: Vec::with_capacity(BATCH),
            data_rows: 0,
            stopped: false,
            report: ImportReport::default(),
        }
    }

    fn error(&mut self, row: u64, field: Option<PersonField>, message: Text) {
        self.report.errors_total += 1;
        if self.report.errors.len() < MAX_LISTED_ERRORS {
            self.report.errors.push(ImportError {
                row,
                field: field.map(|f| f.as_str().to_owned()),
                message: message.get(self.lang).to_owned(),
            });
        }
    }

    async fn row(&mut self, row: u64, record: Vec<String>) -> Result<(), ImportFailure> {
        if self.stopped {
            return Ok(());
        }
        self.data_rows += 1;
        if self.data_rows > MAX_ROWS {
            self.error(
                row,
                None,
                Text::new(
                    format!("The file has more than {MAX_ROWS} rows; this row and those after it were not imported."),
                    format!("{MAX_ROWS} 行を超えています。この行以降は取り込んでいません。"),
                ),
            );
            self.stopped = true;
            return Ok(());
        }
        let mut fields = PersonFields::default();
        for (column, value) in record.into_iter().enumerate() {
            if let Some(field) = self.mapping.field_of(column) {
                // A spreadsheet cell may hold line breaks; a person's fields are one line.
                let one_line = if value.contains(['\r', '\n', '\t']) {
                    value.split_whitespace().collect::<Vec<_>>().join(" ")
                } else {
                    value
                };
                fields.set(field, one_line);
            }
        }
        self.rows.push((row, fields));
        if self.rows.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the waiting rows in one transaction.
    async fn flush(&mut self) -> Result<(), ImportFailure> {
        let rows = std::mem::take(&mut self.rows);
        let mut valid = Vec::with_capacity(rows.len());
        for (row, fields) in rows {
            match fields.parse() {
                Ok(person) => valid.push((row, person)),
                Err(error) => self.error(row, Some(error.field), error.message),
            }
        }
        if valid.is_empty() {
            return Ok(());
        }
        let mut tx = crate::db::begin_write(self.db).await?;
        let keys =
            serde_json::Value::from_iter(valid.iter().map(|(_, p)| p.email_key())).to_string();
        let mut existing: HashMap<String, (PersonId, PersonFields)> = sqlx::query_as::<_, Existing>(
            "SELECT email_key, id, first_name, last_name, email, company, title, phone, linkedin_url
             FROM people WHERE owner_id = $1 AND deleted_at IS NULL
               AND email_key IN (SELECT value FROM json_each($2))",
        )
        .bind(self.owner)
        .bind(keys)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|e| (e.email_key.clone(), (e.id, e.fields())))
        .collect();
        let (mut imported, mut updated, mut skipped) = (0, 0, 0);
        for (row, person) in valid {
            let key = person.email_key();
            match (existing.get_mut(&key), self.on_existing) {
                (Some(_), OnExisting::Skip) => skipped += 1,
                (Some((id, fields)), OnExisting::Update) => {
                    // Only the fields the file has columns for change.
                    for field in PersonField::ALL {
                        if self.mapping.column_of(field).is_some() {
                            fields.set(field, person.fields().get(field).to_owned());
                        }
                    }
                    match fields.clone().parse() {
                        Ok(merged) => {
                            overwrite(&mut tx, self.owner, *id, &merged).await?;
                            updated += 1;
                        }
                        Err(error) => self.error(row, Some(error.field), error.message),
                    }
                }
                (None, _) => {
                    let id = insert(&mut tx, self.owner, &person).await?;
                    existing.insert(key, (id, person.fields().clone()));
                    imported += 1;
                }
            }
        }
        tx.commit().await?;
        // Counted once committed: the answer never claims rows a failed commit lost.
        self.report.imported += imported;
        self.report.updated += updated;
        self.report.skipped += skipped;
        // SQLite's other writers (the sender, a rep saving a draft) wait for the write lock by
        // polling it; without a pause the next batch takes it again at once and they time out.
        if crate::db::Backend::of(self.db) == crate::db::Backend::Sqlite {
            tokio::time::sleep(BETWEEN_BATCHES).await;
        }
        Ok(())
    }
}
