//! CSV import: 100,000 rows sent to `POST /people/import` as a stream made as it is read (so
//! the figure is the server's, not a file held by the client). Reports rows per second and how
//! far the process's peak memory rose while importing.

use serde_json::{json, Value};
use std::time::Instant;

/// The process's peak resident memory so far (VmHWM), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The file, 1,000 rows per piece, made as the upload asks for it.
fn rows(total: usize) -> impl futures_util::Stream<Item = Result<String, std::io::Error>> {
    let header = "Last Name,First Name,Email,Company,Title,Phone\r\n".to_owned();
    futures_util::stream::iter((0..total.div_ceil(1000)).map(move |piece| {
        let mut text = if piece == 0 { header.clone() } else { String::new() };
        for i in piece * 1000..((piece + 1) * 1000).min(total) {
            text.push_str(&format!(
                "Last{i},First{i},import{i}@bench.example,\"Company {}, Inc.\",Title {},+81 3 {:04} {:04}\r\n",
                i % 4999,
                i % 47,
                i % 10_000,
                (i * 7) % 10_000
            ));
        }
        Ok(text)
    }))
}

pub async fn run(root: &std::path::Path, total: usize) -> anyhow::Result<Value> {
    let fresh = crate::serve::fresh_demo(root, "import", |_| {}).await?;
    let base = fresh.base();
    let client = reqwest::Client::new();
    let token = crate::serve::sign_in(&client, &base, "aiko@example.com").await?;

    let before = peak_kib();
    let started = Instant::now();
    let response = client
        .post(format!("{base}/people/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(reqwest::Body::wrap_stream(rows(total)))
        .send()
        .await?;
    let status = response.status();
    let report: Value = response.json().await?;
    let seconds = started.elapsed().as_secs_f64();
    let grew_kib = peak_kib().saturating_sub(before);
    fresh.served.abort();
    let _ = std::fs::remove_dir_all(&fresh.dir);
    anyhow::ensure!(
        status.is_success(),
        "the import answered {status}: {report}"
    );
    Ok(json!({
        "rows": total,
        "imported": report["imported"],
        "errors": report["errors_total"],
        "seconds": seconds,
        "rows_per_s": total as f64 / seconds,
        "peak_memory_growth_mb": grew_kib as f64 / 1024.0,
    }))
}
