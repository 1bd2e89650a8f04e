//! CSV import: UTF-8 with a BOM or Shift_JIS as Japanese Excel saves it, Japanese or English
//! headers, quoted fields, a tab-separated file, a mapping that overrides the header, bad rows
//! reported by their row number while the others go in, existing people skipped or updated, a
//! malformed file refused whole, and 100,000 rows through a real server process whose memory
//! does not grow with the file.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use reqwest::StatusCode;
use serde_json::Value;

async fn import(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/people/import{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn import_ok(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> Value {
    let response = import(app, token, query, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn person_with(app: &TestApp, token: &str, email: &str) -> Option<Value> {
    let page = app.get_json(&format!("/people?q={email}"), token).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"].as_str().unwrap().eq_ignore_ascii_case(email))
        .cloned()
}

#[tokio::test]
async fn a_japanese_excel_file_in_shift_jis_imports_with_its_headers_and_quoted_fields() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let text = "姓,名,メールアドレス,会社名,役職,電話番号,メモ\r\n\
                山田,太郎,taro.yamada@example.co.jp,\"株式会社さくら, 東京支社\",部長,03-1111-2222,\"二行の\r\nメモ\"\r\n\
                佐藤,花子,hanako@example.co.jp,ヤマト商事,課長,,\r\n";
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let report = import_ok(&app, &token, "", sjis.into_owned()).await;
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["errors"], serde_json::json!([]));
    let taro = person_with(&app, &token, "taro.yamada@example.co.jp")
        .await
        .unwrap();
    assert_eq!(taro["last_name"], "山田");
    assert_eq!(taro["first_name"], "太郎");
    assert_eq!(taro["company"], "株式会社さくら, 東京支社");
    assert_eq!(taro["title"], "部長");
    assert_eq!(taro["phone"], "03-1111-2222");
}

#[tokio::test]
async fn bad_rows_are_reported_by_row_number_and_the_others_go_in() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    // UTF-8 with a BOM, English headers in another order, a quoted field with a newline: the
    // row numbers are records, as a spreadsheet numbers them (the header is row 1).
    let text = "\u{feff}Email,First Name,Last Name,Company\n\
                ok1@example.com,Ann,One,\"Acme\nEast\"\n\
                not-an-address,Bad,Row,Acme\n\
                ok2@example.com,Ben,Two,Globex\n\
                ,No,Email,Acme\n\
                OK1@example.com,Ann,Again,Acme\n";
    let report = import_ok(&app, &token, "", text.as_bytes().to_vec()).await;
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["skipped"], 1, "{report}");
    let errors: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, vec![(3, "email"), (5, "email")]);
    let ann = person_with(&app, &token, "ok1@example.com").await.unwrap();
    // A cell's line break becomes a space: a person's fields are one line.
    assert_eq!(ann["company"], "Acme East");
    assert_eq!(
        ann["last_name"], "One",
        "the later duplicate row was skipped"
    );

    // Asked to, an import updates the people it finds.
    let update = "email,company\nok2@example.com,Initech\n";
    let report = import_ok(
        &app,
        &token,
        "?on_existing=update",
        update.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(
        (report["imported"].as_i64(), report["updated"].as_i64()),
        (Some(0), Some(1))
    );
    let ben = person_with(&app, &token, "ok2@example.com").await.unwrap();
    assert_eq!(ben["company"], "Initech");
    assert_eq!(
        ben["first_name"], "Ben",
        "a field the file has no column for stays"
    );
}

#[tokio::test]
async fn a_tab_separated_file_with_a_mapping_that_overrides_its_header() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    // The header names nothing we know: the mapping says which column is which.
    let text = "col a\tcol b\tcol c\nMika\tmika@example.jp\tTokyo Tech\n";
    let report = import_ok(
        &app,
        &token,
        "?mapping=first_name:0,email:1,company:2",
        text.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(report["imported"], 1, "{report}");
    let mika = person_with(&app, &token, "mika@example.jp").await.unwrap();
    assert_eq!(mika["company"], "Tokyo Tech");
    let bad = import(&app, &token, "?mapping=email", text.as_bytes().to_vec()).await;
    let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["field"], "mapping");
}

#[tokio::test]
async fn a_malformed_file_is_refused_whole_with_a_reason() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let before = app.get_json("/people?limit=1", &token).await["total"].clone();
    let no_email = "name,company\nAnn,Acme\n";
    let problem = assert_problem(
        import(&app, &token, "", no_email.as_bytes().to_vec()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("email"),
        "{problem}"
    );
    // A PNG's first bytes: not text at all.
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa".to_vec();
    assert_problem(
        import(&app, &token, "", png).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_problem(
        import(&app, &token, "", Vec::new()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        app.get_json("/people?limit=1", &token).await["total"],
        before
    );
}

#[tokio::test]
async fn an_import_goes_to_the_importing_rep_only() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let other = app.login(OTHER_REP).await;
    import_ok(&app, &token, "", b"email\nonly.mine@example.com\n".to_vec()).await;
    assert!(person_with(&app, &token, "only.mine@example.com")
        .await
        .is_some());
    assert!(person_with(&app, &other, "only.mine@example.com")
        .await
        .is_none());
}

/// A CSV of `rows` people, each row carrying a long note the import leaves out, so that the
/// file is much larger than what the server may hold at once.
pub fn big_csv(rows: usize, prefix: &str, note_chars: usize) -> Vec<u8> {
    let note = "n".repeat(note_chars);
    let mut csv = String::with_capacity(rows * 330);
    csv.push_str("First Name,Last Name,Email,Company,Title,Notes\r\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "First{i},Last{i},{prefix}{i}@example.com,\"Company {}, Inc.\",Title {},{note}\r\n",
            i % 997,
            i % 31
        ));
    }
    csv.into_bytes()
}

#[tokio::test]
async fn a_hundred_thousand_rows_import_while_the_servers_memory_stays_bounded() {
    let data = tempfile::tempdir().unwrap();
    let port = crate::helpers::free_port();
    let server = crate::helpers::ServerProcess::start(data.path(), port, &[]).await;
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    let token = crate::helpers::sign_in(&client, &base, DEMO_REP).await;
    let send = |file: Vec<u8>| {
        client
            .post(format!("{base}/people/import"))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(file)
            .send()
    };
    // A small import first: the server's pools and caches are in use before measuring.
    let warm = send(big_csv(1000, "warm", 10)).await.unwrap();
    assert_eq!(warm.status(), StatusCode::OK);
    // Each row carries a long note the import leaves out: the file is ~110 MB.
    let file = big_csv(100_000, "bulk", 1000);
    let file_kib = file.len() as u64 / 1024;
    let before = server.peak_memory_kib();
    let response = send(file).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["imported"], 100_000, "{report}");
    assert_eq!(report["errors_total"], 0, "{report}");
    let grew = server.peak_memory_kib().saturating_sub(before);
    // Holding the file, or its rows, would take more than the file's size; a batch at a time
    // takes a part of it (15-30 MB measured here).
    println!("peak memory grew by {grew} KiB importing a {file_kib} KiB file");
    assert!(
        grew < file_kib / 2,
        "the server's peak memory grew by {grew} KiB for a {file_kib} KiB file"
    );
    let page: Value = client
        .get(format!("{base}/people?q=bulk99999@"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
}

/// A client that would send rows for ever gets its answer once the row limit is reached: the
/// server stops reading there (a chunked upload over a plain socket, written until the server
/// closes it or a minute passes; a server that kept reading would never answer).
#[tokio::test]
async fn an_endless_import_is_answered_at_the_row_limit_without_reading_the_rest() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    let (mut reader, mut writer) = socket.into_split();
    let head = format!(
        "POST /api/v1/people/import HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let sending = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let mut rows = String::from("First Name,Last Name,Email\r\n");
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut sent_rows = 0u64;
        while tokio::time::Instant::now() < deadline {
            for _ in 0..1000 {
                rows.push_str(&format!(
                    "F{sent_rows},L,endless{sent_rows}@example.com\r\n"
                ));
                sent_rows += 1;
            }
            let chunk = format!("{:x}\r\n{rows}\r\n", rows.len());
            writer.write_all(chunk.as_bytes()).await?;
            rows.clear();
        }
        Ok::<u64, std::io::Error>(sent_rows)
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(90), async {
        let mut buffer = [0u8; 8192];
        loop {
            let n = reader.read(&mut buffer).await?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..n]);
            if complete_response(&answer) {
                break;
            }
        }
        Ok::<(), std::io::Error>(())
    })
    .await;
    assert!(read.is_ok(), "no answer within 90 s: the server read on");
    let sent = sending.await.unwrap();
    assert!(
        sent.is_err(),
        "the client could send for a whole minute: the server read on"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let report: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(report["imported"], 100_000, "{report}");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("more than 100000 rows"),
        "{report}"
    );
}

/// Whether `bytes` hold a whole HTTP response with a `content-length` body.
fn complete_response(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .is_some_and(|length| body.len() >= length)
}
