//! CSV as spreadsheets write it (RFC 4180: quoted fields may hold commas, quotes and newlines),
//! comma- or tab-separated. The server reads an import a piece at a time with `RecordReader`;
//! the SPA previews a file and cuts it into parts with the same reader, so both agree on where
//! a row ends.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The separator a file's first line uses: a tab when it has more tabs than commas (Excel's
/// "Unicode text" export, and what people paste), a comma otherwise.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    let tabs = first_line.matches('\t').count();
    let commas = first_line.matches(',').count();
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// Records from text that arrives in pieces: `push` a piece, take the records it completed,
/// `finish` at the end. A record is kept in memory only until it is taken.
pub struct RecordReader {
    reader: Reader,
    /// The fields of the record being read, back to back, and where each ends; a record that
    /// goes on into the next piece keeps its part here.
    field_bytes: Vec<u8>,
    field_ends: Vec<usize>,
    written: usize,
    ended: usize,
    /// The longest record allowed, in bytes: a file with an unclosed quote would otherwise be
    /// one record to the end.
    max_record: usize,
}

/// A record too long to be a row of people (an unclosed quote, or not a CSV at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordTooLong;

impl RecordReader {
    pub fn new(delimiter: u8, max_record: usize) -> Self {
        Self {
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            field_bytes: vec![0; 1024],
            field_ends: vec![0; 32],
            written: 0,
            ended: 0,
            max_record,
        }
    }

    /// Reads `input` through, calling `on_record` with each record it completes.
    pub fn push(
        &mut self,
        input: &[u8],
        on_record: impl FnMut(Vec<String>),
    ) -> Result<(), RecordTooLong> {
        if input.is_empty() {
            return Ok(());
        }
        self.read(input, on_record)
    }

    /// The end of the text: the last record, when it has no line ending.
    pub fn finish(&mut self, on_record: impl FnMut(Vec<String>)) -> Result<(), RecordTooLong> {
        self.read(&[], on_record)
    }

    /// csv-core reads an empty input as the end of the text.
    fn read(
        &mut self,
        mut input: &[u8],
        mut on_record: impl FnMut(Vec<String>),
    ) -> Result<(), RecordTooLong> {
        loop {
            let (result, read, wrote, ended) = self.reader.read_record(
                input,
                &mut self.field_bytes[self.written..],
                &mut self.field_ends[self.ended..],
            );
            input = &input[read..];
            self.written += wrote;
            self.ended += ended;
            match result {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return Ok(()),
                ReadRecordResult::OutputFull => {
                    if self.field_bytes.len() >= self.max_record {
                        return Err(RecordTooLong);
                    }
                    let grown = self.field_bytes.len() * 2;
                    self.field_bytes.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.field_ends.len() >= 4096 {
                        return Err(RecordTooLong);
                    }
                    let grown = self.field_ends.len() * 2;
                    self.field_ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    let mut start = 0;
                    let fields = self.field_ends[..self.ended]
                        .iter()
                        .map(|&end| {
                            let field = String::from_utf8_lossy(&self.field_bytes[start..end]);
                            start = end;
                            field.into_owned()
                        })
                        .collect();
                    (self.written, self.ended) = (0, 0);
                    on_record(fields);
                }
            }
        }
    }
}

/// Every record of a whole text.
pub fn records(text: &str, delimiter: u8) -> Result<Vec<Vec<String>>, RecordTooLong> {
    let mut all = Vec::new();
    let mut reader = RecordReader::new(delimiter, 1 << 20);
    reader.push(text.as_bytes(), |record| all.push(record))?;
    reader.finish(|record| all.push(record))?;
    Ok(all)
}

/// One record as a CSV line (with its line ending), each field quoted where it must be.
pub fn write_record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|field| {
            let field = field.as_ref();
            // `;` too: where the list separator is `;` (much of Europe) a spreadsheet splits an
            // unquoted field there, and what follows would start a cell of its own.
            if field.contains([',', ';', '"', '\n', '\r', '\t']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_with_a_semicolon_is_quoted_for_semicolon_locales() {
        assert_eq!(
            write_record(&["Acme;=HYPERLINK(\"http://x\")", "plain"]),
            "\"Acme;=HYPERLINK(\"\"http://x\"\")\",plain\r\n"
        );
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_newlines_across_pieces() {
        let text = "name,note\r\n\"Yamada, Taro\",\"said \"\"hi\"\"\nthen left\"\r\nlast,row";
        let mut records = Vec::new();
        let mut reader = RecordReader::new(b',', 1 << 16);
        // One byte at a time: a record split anywhere reads the same.
        for byte in text.as_bytes().chunks(1) {
            reader.push(byte, |r| records.push(r)).unwrap();
        }
        reader.finish(|r| records.push(r)).unwrap();
        assert_eq!(
            records,
            vec![
                vec!["name".to_owned(), "note".to_owned()],
                vec![
                    "Yamada, Taro".to_owned(),
                    "said \"hi\"\nthen left".to_owned()
                ],
                vec!["last".to_owned(), "row".to_owned()],
            ]
        );
    }

    #[test]
    fn tabs_are_sniffed_and_written_records_read_back() {
        assert_eq!(sniff_delimiter("姓\t名\tメールアドレス\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b\tc,d"), b',');
        let fields = ["plain", "with, comma", "with \"quote\"", "two\nlines"];
        let line = write_record(&fields);
        assert_eq!(
            records(&line, b',').unwrap(),
            vec![fields.map(String::from).to_vec()]
        );
    }

    #[test]
    fn an_unclosed_quote_is_too_long_rather_than_the_whole_file() {
        let text = format!("a,\"{}", "x".repeat(5000));
        let mut reader = RecordReader::new(b',', 2048);
        assert_eq!(reader.push(text.as_bytes(), |_| {}), Err(RecordTooLong));
    }
}
