//! Every visible string, in English and Japanese. The `messages!` table takes both languages for
//! each key, so a string missing in either language does not compile.

use chrono::{DateTime, Local, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    En,
    Ja,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ja, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ja => "ja",
        }
    }

    /// `ja`, `ja-JP`, ... are Japanese; anything else is English.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("ja") {
            Locale::Ja
        } else {
            Locale::En
        }
    }

    /// The language's own name, for the switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ja => "日本語",
        }
    }

    pub fn t(self, msg: Msg) -> &'static str {
        match self {
            Locale::En => msg.en(),
            Locale::Ja => msg.ja(),
        }
    }

    /// A timestamp in the viewer's local time zone.
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&Local);
        match self {
            Locale::En => local.format("%b %-d, %Y %-I:%M %p").to_string(),
            Locale::Ja => local.format("%Y/%m/%d %H:%M").to_string(),
        }
    }

    /// A count in the locale's digit grouping (both use commas).
    pub fn number(self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

macro_rules! messages {
    ($($key:ident { en: $en:literal, ja: $ja:literal })*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];
            pub fn en(self) -> &'static str { match self { $(Msg::$key => $en),* } }
            pub fn ja(self) -> &'static str { match self { $(Msg::$key => $ja),* } }
        }
    };
}

messages! {
    AppName { en: "Command Center", ja: "コマンドセンター" }
    MainNavigation { en: "Main", ja: "メイン" }
    NavEmails { en: "Emails", ja: "メール" }
    NavTasks { en: "Tasks", ja: "タスク" }
    NavSearch { en: "Search", ja: "検索" }
    Language { en: "Language", ja: "言語" }
    SignOut { en: "Sign out", ja: "ログアウト" }
    SignIn { en: "Sign in", ja: "ログイン" }
    SigningIn { en: "Signing in…", ja: "ログイン中…" }
    SignInTitle { en: "Sign in to Command Center", ja: "コマンドセンターにログイン" }
    Email { en: "Email", ja: "メールアドレス" }
    Password { en: "Password", ja: "パスワード" }
    DemoHint { en: "Demo: aiko@example.com or ben@example.com, password “demo”.", ja: "デモ: aiko@example.com または ben@example.com、パスワード「demo」" }
    Loading { en: "Loading…", ja: "読み込み中…" }
    Retry { en: "Try again", ja: "再試行" }
    Refresh { en: "Refresh", ja: "更新" }
    LoadMore { en: "Load more", ja: "さらに読み込む" }
    ErrorNetwork { en: "Cannot reach the server. Check your connection and try again.", ja: "サーバーに接続できません。接続を確認して再試行してください。" }
    ErrorSession { en: "Your session has ended. Please sign in again.", ja: "セッションが終了しました。もう一度ログインしてください。" }
    ErrorUnexpected { en: "The server sent a response this app does not understand.", ja: "サーバーから想定外の応答がありました。" }
    ErrorRequest { en: "The server could not accept that request.", ja: "リクエストを処理できませんでした。入力内容を確認してください。" }
    ErrorNotFound { en: "That item no longer exists.", ja: "対象が見つかりません。" }
    ErrorServer { en: "Something went wrong on the server; please try again.", ja: "サーバーでエラーが発生しました。もう一度お試しください。" }
    ErrorCredentials { en: "That email and password do not match an account.", ja: "メールアドレスまたはパスワードが正しくありません。" }
    EmailFolders { en: "Email folders", ja: "メールフォルダー" }
    TabSent { en: "Sent", ja: "送信済み" }
    TabPending { en: "Pending", ja: "保留中" }
    TabUndelivered { en: "Undelivered", ja: "未配信" }
    FolderDelivered { en: "Delivered", ja: "配信済み" }
    FolderArchived { en: "Archived", ja: "アーカイブ" }
    FolderScheduled { en: "Scheduled", ja: "予約済み" }
    FolderDrafts { en: "Drafts", ja: "下書き" }
    FolderInProgress { en: "In progress", ja: "処理中" }
    FolderFailed { en: "Failed", ja: "失敗" }
    FolderBounced { en: "Bounced", ja: "バウンス" }
    FolderSpam { en: "Spam", ja: "迷惑メール" }
    ColPerson { en: "Person", ja: "宛先" }
    ColSubject { en: "Subject", ja: "件名" }
    ColCampaign { en: "Campaign", ja: "キャンペーン" }
    ColSent { en: "Sent", ja: "送信日時" }
    ColScheduled { en: "Scheduled for", ja: "送信予定日時" }
    ColFailed { en: "Failed", ja: "失敗日時" }
    ColEdited { en: "Last edited", ja: "最終更新" }
    ColViews { en: "Views", ja: "開封" }
    ColClicks { en: "Clicks", ja: "クリック" }
    ColReplied { en: "Replied", ja: "返信" }
    ColReason { en: "Reason", ja: "理由" }
    Yes { en: "Yes", ja: "あり" }
    No { en: "No", ja: "なし" }
    NoCampaign { en: "—", ja: "—" }
    EmptyFolder { en: "No emails in this folder.", ja: "このフォルダーにメールはありません。" }
    ShowingOf { en: "Showing {shown} of {total}", ja: "{total} 件中 {shown} 件を表示" }
    MscOnlyNote { en: "Bounces and spam reports are detected only for emails sent through Command Center's delivery server. Emails sent from your own Gmail or Exchange account never appear here, even if they bounced.", ja: "バウンスと迷惑メール報告は、コマンドセンターの配信サーバーから送信したメールでのみ検出できます。ご自身の Gmail や Exchange から送信したメールは、バウンスしてもここには表示されません。" }
    TasksTitle { en: "Tasks", ja: "タスク" }
    TasksComing { en: "The task list is coming in the next release.", ja: "タスク一覧は次のリリースで提供予定です。" }
    SearchTitle { en: "Advanced search", ja: "詳細検索" }
    SearchComing { en: "Advanced search and dynamic lists are coming in a later release.", ja: "詳細検索と動的リストは今後のリリースで提供予定です。" }
    NotFoundTitle { en: "Page not found", ja: "ページが見つかりません" }
    BackToEmails { en: "Go to your emails", ja: "メール一覧へ" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[test]
    fn every_message_has_text_in_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.en().trim().is_empty(), "{msg:?} en");
            assert!(!msg.ja().trim().is_empty(), "{msg:?} ja");
        }
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(Locale::En.number(0), "0");
        assert_eq!(Locale::En.number(1234), "1,234");
        assert_eq!(Locale::Ja.number(1_234_567), "1,234,567");
    }

    #[test]
    fn browser_tags_pick_the_locale() {
        assert_eq!(Locale::from_tag("ja-JP"), Locale::Ja);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("fr"), Locale::En);
    }
}
