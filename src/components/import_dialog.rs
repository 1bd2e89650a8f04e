//! Import people from a CSV: pick a file, see its first rows with the column each field comes
//! from (editable), import with a progress bar, then read what went in and which rows did not,
//! with those rows downloadable as a CSV to fix and import again.
//!
//! The file is read here (UTF-8, or Shift_JIS as Japanese Excel saves it), cut into parts of
//! `PART_ROWS` rows at row boundaries, and sent one part at a time, so the bar moves and a
//! part's row numbers are the file's (`first_row`).

use crate::components::modal::Modal;
use crate::components::person_form::field_label;
use crate::i18n::Msg;
use crate::state::use_app;
use api::csv_text::{records, sniff_delimiter, write_record};
use api::endpoints;
use api::people::{ColumnMapping, ImportError, ImportReport, OnExisting, PersonField};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Rows per request.
const PART_ROWS: usize = 1000;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 5;

/// A file read and cut into records.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    name: String,
    header: Vec<String>,
    rows: std::sync::Arc<Vec<Vec<String>>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Progress {
    done: usize,
    total: usize,
    report: ImportReport,
    finished: bool,
}

#[component]
pub fn ImportDialog(
    #[prop(into)] on_close: Callback<()>,
    /// Some people went in: the list is stale.
    #[prop(into)]
    on_imported: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let loaded = RwSignal::new(None::<Loaded>);
    let mapping = RwSignal::new(ColumnMapping::default());
    let on_existing = RwSignal::new(OnExisting::Skip);
    let progress = RwSignal::new(None::<Progress>);
    let error = RwSignal::new(None::<String>);

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        error.set(None);
        progress.set(None);
        leptos::task::spawn_local(async move {
            match read_file(&file).await {
                Ok(text) => match records(&text, sniff_delimiter(&text)) {
                    Ok(mut all) if !all.is_empty() => {
                        let header = all.remove(0);
                        all.retain(|row| row.iter().any(|field| !field.trim().is_empty()));
                        mapping.set(ColumnMapping::from_headers(&header));
                        loaded.set(Some(Loaded {
                            name: file.name(),
                            header,
                            rows: std::sync::Arc::new(all),
                        }));
                    }
                    _ => error.set(Some(t(Msg::ImportNotCsv).to_owned())),
                },
                Err(()) => error.set(Some(t(Msg::ImportUnreadable).to_owned())),
            }
        });
    };

    let start = move |_| {
        let Some(file) = loaded.get_untracked() else {
            return;
        };
        if mapping.with_untracked(|m| m.column_of(PersonField::Email).is_none()) {
            error.set(Some(t(Msg::ImportNeedsEmail).to_owned()));
            return;
        }
        error.set(None);
        let total = file.rows.len();
        progress.set(Some(Progress {
            total,
            ..Progress::default()
        }));
        let (mapping, on_existing) = (mapping.get_untracked(), on_existing.get_untracked());
        let header = write_record(&file.header);
        let api = state.api();
        leptos::task::spawn_local(async move {
            for (part, rows) in file.rows.chunks(PART_ROWS).enumerate() {
                let mut body = header.clone();
                for row in rows {
                    body.push_str(&write_record(row));
                }
                // The header is row 1 of the file; this part's header stands just above its
                // first row.
                let first_row = part * PART_ROWS + 1;
                let call = endpoints::people::import(&mapping, on_existing, first_row, body);
                match api.call(call).await {
                    Ok(report) => progress.update(|p| {
                        if let Some(p) = p {
                            p.done += rows.len();
                            add(&mut p.report, report);
                        }
                    }),
                    Err(e) => {
                        error.set(Some(e.message(state.locale.get_untracked())));
                        break;
                    }
                }
            }
            progress.update(|p| {
                if let Some(p) = p {
                    p.finished = true;
                }
            });
            on_imported.run(());
        });
    };

    let running = move || progress.with(|p| p.as_ref().is_some_and(|p| !p.finished));
    view! {
        <Modal title=Signal::derive(move || t(Msg::ImportPeople).to_owned()) on_close=on_close id="cc-import">
            <div class="cc-import">
                <label class="cc-field">
                    <span>{move || t(Msg::ImportChooseFile)}</span>
                    <input type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" on:change=on_file
                        disabled=running/>
                </label>
                <p class="cc-note">{move || t(Msg::ImportHint)}</p>
                {move || error.get().map(|e| view! { <p class="cc-error" role="alert">{e}</p> })}
                {move || loaded.get().map(|file| view! {
                    <Preview file=file mapping=mapping/>
                    <fieldset class="cc-fieldset">
                        <legend>{move || t(Msg::ImportExisting)}</legend>
                        <label><input type="radio" name="cc-on-existing" checked=move || on_existing.get() == OnExisting::Skip
                            on:change=move |_| on_existing.set(OnExisting::Skip)/>{move || t(Msg::ImportSkipExisting)}</label>
                        <label><input type="radio" name="cc-on-existing" checked=move || on_existing.get() == OnExisting::Update
                            on:change=move |_| on_existing.set(OnExisting::Update)/>{move || t(Msg::ImportUpdateExisting)}</label>
                    </fieldset>
                })}
                {move || progress.get().map(|p| view! { <Outcome progress=p/> })}
                <div class="cc-dialog-actions">
                    <Show when=move || loaded.with(Option::is_some) && progress.with(Option::is_none)>
                        <button type="button" class="cc-button cc-button-primary" on:click=start>
                            {move || t(Msg::ImportRows).replace("{n}", &loaded.with(|l| l.as_ref().map_or(0, |l| l.rows.len())).to_string())}
                        </button>
                    </Show>
                    <button type="button" class="cc-button" on:click=move |_| on_close.run(()) disabled=running>
                        {move || t(Msg::Close)}
                    </button>
                </div>
            </div>
        </Modal>
    }
}

/// The first rows, each column headed by the field it fills (a select to change it).
#[component]
fn Preview(file: Loaded, mapping: RwSignal<ColumnMapping>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let columns = file.header.len();
    let choose = move |column: usize, value: String| {
        let field = value.parse::<PersonField>().ok();
        mapping.update(|m| {
            // A field comes from one column: choosing it here takes it from any other.
            for other in m.0.iter_mut() {
                if field.is_some() && *other == field {
                    *other = None;
                }
            }
            if m.0.len() <= column {
                m.0.resize(column + 1, None);
            }
            m.0[column] = field;
        });
    };
    let head = file
        .header
        .iter()
        .enumerate()
        .map(|(column, name)| {
            let name = name.clone();
            let label = name.clone();
            view! {
                <th scope="col">
                    <span class="cc-import-column">{name}</span>
                    <select class="cc-select" aria-label=move || t(Msg::ImportColumnField).replace("{column}", &label)
                        prop:value=move || mapping.with(|m| m.field_of(column).map_or("", PersonField::as_str).to_owned())
                        on:change=move |ev| choose(column, event_target_value(&ev))>
                        <option value="">{move || t(Msg::ImportLeaveOut)}</option>
                        {PersonField::ALL.into_iter().map(|field| view! {
                            <option value=field.as_str()>{move || field_label(field, state.locale.get())}</option>
                        }).collect_view()}
                    </select>
                </th>
            }
        })
        .collect_view();
    let body = file
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| {
            let cells = (0..columns)
                .map(|c| view! { <td class="cc-clip">{row.get(c).cloned().unwrap_or_default()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let name = file.name.clone();
    let rows = file.rows.len();
    view! {
        <p class="cc-status">{move || t(Msg::ImportFileRows).replace("{file}", &name).replace("{n}", &rows.to_string())}</p>
        <div class="cc-wide">
            <table class="cc-table cc-import-preview">
                <caption class="cc-visually-hidden">{move || t(Msg::ImportPreview)}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The bar while it runs; what went in and the rows that did not, once done.
#[component]
fn Outcome(progress: Progress) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let Progress {
        done,
        total,
        report,
        finished,
    } = progress;
    let counts = t(Msg::ImportCounts)
        .replace("{imported}", &report.imported.to_string())
        .replace("{updated}", &report.updated.to_string())
        .replace("{skipped}", &report.skipped.to_string())
        .replace("{errors}", &report.errors_total.to_string());
    let errors = report.errors.clone();
    let has_errors = !errors.is_empty();
    view! {
        <div class="cc-progress">
            <progress max=total.max(1) value=done aria-label=move || t(Msg::ImportProgress)></progress>
            <span role="status">{
                if finished { counts } else { t(Msg::ImportRunning).replace("{done}", &done.to_string()).replace("{total}", &total.to_string()) }
            }</span>
        </div>
        {(finished && has_errors).then(|| {
            let csv = errors_csv(&errors);
            view! {
                <div class="cc-wide cc-import-errors">
                    <table class="cc-table">
                        <caption>{move || t(Msg::ImportErrorRows)}</caption>
                        <thead><tr>
                            <th scope="col">{move || t(Msg::ImportRow)}</th>
                            <th scope="col">{move || t(Msg::ImportField)}</th>
                            <th scope="col">{move || t(Msg::ImportProblem)}</th>
                        </tr></thead>
                        <tbody>
                            {errors.into_iter().map(|e| view! {
                                <tr><td>{e.row}</td><td>{e.field.unwrap_or_default()}</td><td>{e.message}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <a class="cc-button" download="import-errors.csv" href=crate::download::text_url(&csv, "text/csv;charset=utf-8")>{move || t(Msg::ImportDownloadErrors)}</a>
            }
        })}
    }
}

fn add(total: &mut ImportReport, part: ImportReport) {
    total.imported += part.imported;
    total.updated += part.updated;
    total.skipped += part.skipped;
    total.errors_total += part.errors_total;
    total.errors.extend(part.errors);
}

/// The rows left out, as a CSV to fix and import again.
fn errors_csv(errors: &[ImportError]) -> String {
    let mut csv = String::from("\u{feff}");
    csv.push_str(&write_record(&["row", "field", "message"]));
    for e in errors {
        csv.push_str(&write_record(&[
            e.row.to_string(),
            e.field.clone().unwrap_or_default(),
            e.message.clone(),
        ]));
    }
    csv
}

/// The file's text: UTF-8 when it is (a BOM is dropped), Shift_JIS otherwise.
async fn read_file(file: &web_sys::File) -> Result<String, ()> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| ())?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    let strict = web_sys::TextDecoderOptions::new();
    strict.set_fatal(true);
    let utf8 =
        web_sys::TextDecoder::new_with_label_and_options("utf-8", &strict).map_err(|_| ())?;
    if let Ok(text) = utf8.decode_with_buffer_source(&bytes) {
        return Ok(text);
    }
    let sjis = web_sys::TextDecoder::new_with_label("shift_jis").map_err(|_| ())?;
    sjis.decode_with_buffer_source(&bytes).map_err(|_| ())
}
