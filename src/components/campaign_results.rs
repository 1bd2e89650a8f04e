//! A campaign's results: each step's funnel (reached → sent → viewed → clicked → replied, or
//! reached → done for a task) as an SVG bar chart with the same figures in a table beneath it
//! (the chart is a picture of the table, hidden from screen readers), and the replies per day.

use crate::components::error_banner::ErrorBanner;
use crate::i18n::{Locale, Msg};
use crate::live::use_live;
use crate::state::use_app;
use api::sequence::{DayCount, StepResults};
use api::CampaignId;
use leptos::prelude::*;

/// The stages of a step's funnel, each with its count; the first is what the rates are of.
fn stages(step: &StepResults) -> Vec<(Msg, u64)> {
    if step.kind.task_kind().is_none() {
        vec![
            (Msg::FunnelReached, step.reached),
            (Msg::FunnelSent, step.sent),
            (Msg::FunnelViewed, step.viewed),
            (Msg::FunnelClicked, step.clicked),
            (Msg::FunnelReplied, step.replied),
        ]
    } else {
        vec![
            (Msg::FunnelReached, step.reached),
            (Msg::FunnelDone, step.done),
        ]
    }
}

/// "3 (60%)": a count and its share of what the step reached.
fn figure(locale: Locale, count: u64, of: u64) -> String {
    match StepResults::rate(count, of) {
        Some(rate) => format!("{} ({rate}%)", locale.number(count)),
        None => locale.number(count),
    }
}

fn step_title(locale: Locale, step: &StepResults) -> String {
    locale
        .t(Msg::FunnelStep)
        .replace("{n}", &(step.position + 1).to_string())
        .replace("{subject}", &step.subject)
}

#[component]
pub fn CampaignResults(
    #[prop(into)] campaign: Signal<CampaignId>,
    changed: RwSignal<u64>,
) -> impl IntoView {
    let state = use_app();
    let live = use_live();
    let t = move |msg| state.t(msg);
    let report = LocalResource::new(move || {
        let call = api::endpoints::campaigns::report(campaign.get());
        changed.track();
        live.emails.track();
        live.tasks.track();
        let api = state.api();
        async move { api.call(call).await }
    });
    view! {
        <section class="cc-campaign-results" aria-labelledby="cc-results-title">
            <h2 id="cc-results-title">{move || t(Msg::FunnelTitle)}</h2>
            {move || match report.get() {
                None => view! { <p class="cc-status" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e on_retry=move |_| changed.update(|n| *n += 1)/> }.into_any(),
                Some(Ok(report)) => view! {
                    <Funnel steps=report.steps/>
                    <RepliesPerDay days=report.replies_per_day/>
                }.into_any(),
            }}
        </section>
    }
}

/// A rectangle's place and size as inline style: the app's reset (`.cc-root * { all: revert }`,
/// which keeps a host page's styles out of an embedded app) also reverts SVG presentation
/// attributes, and an inline style is not reverted.
fn geometry(x: f64, y: f64, width: f64, height: f64) -> String {
    format!("x:{x}px;y:{y}px;width:{width}px;height:{height}px")
}

const CHART_WIDTH: f64 = 600.0;
const LABEL_WIDTH: f64 = 90.0;
const BAR_AREA: f64 = 400.0;
const BAR_HEIGHT: f64 = 14.0;
const ROW: f64 = 18.0;
const TITLE_ROW: f64 = 22.0;

#[component]
fn Funnel(steps: Vec<StepResults>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    if steps.iter().all(|s| s.reached == 0) {
        return view! { <p class="cc-empty">{move || t(Msg::FunnelEmpty)}</p> }.into_any();
    }
    let widest = steps.iter().map(|s| s.reached).max().unwrap_or(1).max(1) as f64;
    let height: f64 = steps
        .iter()
        .map(|s| TITLE_ROW + ROW * stages(s).len() as f64)
        .sum();
    let chart_steps = steps.clone();
    let chart = move || {
        let locale = state.locale.get();
        let mut y = 0.0;
        chart_steps
            .iter()
            .map(|step| {
                let top = y;
                let rows = stages(step);
                y += TITLE_ROW + ROW * rows.len() as f64;
                let bars = rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, (stage, count))| {
                        let row_y = top + TITLE_ROW + ROW * i as f64;
                        let width = (count as f64 / widest * BAR_AREA).max(if count > 0 { 2.0 } else { 0.0 });
                        view! {
                            <text x="0" y=row_y + BAR_HEIGHT - 3.0 class="cc-chart-label">{locale.t(stage)}</text>
                            <rect style=geometry(LABEL_WIDTH, row_y, width, BAR_HEIGHT) class=format!("cc-bar cc-bar-{i}")/>
                            <text x=LABEL_WIDTH + width + 6.0 y=row_y + BAR_HEIGHT - 3.0 class="cc-chart-value">
                                {if i == 0 { locale.number(count) } else { figure(locale, count, step.reached) }}
                            </text>
                        }
                    })
                    .collect_view();
                view! {
                    <text x="0" y=top + 15.0 class="cc-chart-title">{step_title(locale, step)}</text>
                    {bars}
                }
            })
            .collect_view()
    };
    let table_rows = steps
        .into_iter()
        .map(|step| {
            let of = step.reached;
            let is_email = step.kind.task_kind().is_none();
            let cell = move |count: u64, applies: bool| {
                view! { <td class="cc-num">{move || if applies { figure(state.locale.get(), count, of) } else { "—".to_owned() }}</td> }
            };
            let title = step.clone();
            view! {
                <tr>
                    <th scope="row">{move || step_title(state.locale.get(), &title)}</th>
                    <td class="cc-num">{move || state.locale.get().number(step.reached)}</td>
                    {cell(step.sent, is_email)}
                    {cell(step.viewed, is_email)}
                    {cell(step.clicked, is_email)}
                    {cell(step.replied, is_email)}
                    {cell(step.done, !is_email)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <svg class="cc-funnel-chart" aria-hidden="true" focusable="false"
            viewBox=format!("0 0 {CHART_WIDTH} {height}") preserveAspectRatio="xMinYMin meet">
            {chart}
        </svg>
        <table class="cc-table cc-funnel-table">
            <caption class="cc-visually-hidden">{move || t(Msg::FunnelTitle)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Msg::ColSteps)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FunnelReached)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FunnelSent)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FunnelViewed)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FunnelClicked)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FunnelReplied)}</th>
                    <th scope="col" class="cc-num">{move || t(Msg::FunnelDone)}</th>
                </tr>
            </thead>
            <tbody>{table_rows}</tbody>
        </table>
    }
    .into_any()
}

const DAY_WIDTH: f64 = 20.0;
const DAYS_HEIGHT: f64 = 60.0;

/// Thirty columns, one a day; each says its date and count when pointed at, and the whole is
/// named by its total.
#[component]
fn RepliesPerDay(days: Vec<DayCount>) -> impl IntoView {
    let state = use_app();
    let t = move |msg| state.t(msg);
    let total: u64 = days.iter().map(|d| d.count).sum();
    let highest = days.iter().map(|d| d.count).max().unwrap_or(0).max(1) as f64;
    let width = DAY_WIDTH * days.len() as f64;
    let (first, last) = (
        days.first().map(|d| d.day.to_string()).unwrap_or_default(),
        days.last().map(|d| d.day.to_string()).unwrap_or_default(),
    );
    let columns = days
        .into_iter()
        .enumerate()
        .map(|(i, day)| {
            let h = day.count as f64 / highest * DAYS_HEIGHT;
            view! {
                <rect style=geometry(i as f64 * DAY_WIDTH + 1.0, DAYS_HEIGHT - h, DAY_WIDTH - 2.0, h) class="cc-bar cc-bar-4">
                    <title>{format!("{}: {}", day.day, day.count)}</title>
                </rect>
            }
        })
        .collect_view();
    let summary =
        move || t(Msg::RepliesPerDaySummary).replace("{n}", &state.locale.get().number(total));
    view! {
        <figure class="cc-replies-per-day">
            <figcaption>{move || t(Msg::RepliesPerDay)}</figcaption>
            <svg role="img" aria-label=summary viewBox=format!("0 0 {width} {}", DAYS_HEIGHT + 14.0)
                preserveAspectRatio="xMinYMin meet">
                <line x1="0" y1=DAYS_HEIGHT x2=width y2=DAYS_HEIGHT class="cc-axis"/>
                {columns}
                <text x="0" y=DAYS_HEIGHT + 12.0 class="cc-chart-label">{first}</text>
                <text x=width y=DAYS_HEIGHT + 12.0 style="text-anchor:end" class="cc-chart-label">{last}</text>
            </svg>
            <p class="cc-hint">{summary}</p>
        </figure>
    }
}
