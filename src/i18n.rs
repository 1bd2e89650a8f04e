//! Every visible string, in English and Japanese. The `messages!` table takes both languages for
//! each key, so a string missing in either language does not compile.

use chrono::{DateTime, Datelike, Timelike, Utc};

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

    /// A timestamp in the rep's time zone: "Nov 27, 2026 3:05 PM" / "2026/11/27 15:05".
    /// Written out rather than by chrono's strftime, whose pattern parser would be a sizeable
    /// part of the first download for these two fixed patterns.
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let local = crate::zone::to_local(at);
        let (year, month, day) = (local.year(), local.month(), local.day());
        let (hour, minute) = (local.hour(), local.minute());
        match self {
            Locale::En => {
                let (hour12, half) = match hour {
                    0 => (12, "AM"),
                    1..=11 => (hour, "AM"),
                    12 => (12, "PM"),
                    _ => (hour - 12, "PM"),
                };
                let month = MONTHS[month as usize - 1];
                format!("{month} {day}, {year} {hour12}:{minute:02} {half}")
            }
            Locale::Ja => format!("{year}/{month:02}/{day:02} {hour:02}:{minute:02}"),
        }
    }

    /// How long ago (or how far ahead) `at` is from `now`: "3 hours ago" / "3 時間前",
    /// "in 2 days" / "2 日後", "just now" / "たった今". The largest whole unit, rounded down.
    pub fn relative(self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let seconds = (now - at).num_seconds();
        let past = seconds >= 0;
        let s = seconds.unsigned_abs();
        if s < 45 {
            return match self {
                Locale::En => "just now".into(),
                Locale::Ja => "たった今".into(),
            };
        }
        let (n, en_unit, ja_unit) = match s {
            s if s < 3_600 => ((s / 60).max(1), "minute", "分"),
            s if s < 86_400 => (s / 3_600, "hour", "時間"),
            s if s < 30 * 86_400 => (s / 86_400, "day", "日"),
            s if s < 365 * 86_400 => (s / (30 * 86_400), "month", "か月"),
            s => (s / (365 * 86_400), "year", "年"),
        };
        match (self, past) {
            (Locale::En, true) => format!("{n} {en_unit}{} ago", if n == 1 { "" } else { "s" }),
            (Locale::En, false) => format!("in {n} {en_unit}{}", if n == 1 { "" } else { "s" }),
            (Locale::Ja, true) => format!("{n} {ja_unit}前"),
            (Locale::Ja, false) => format!("{n} {ja_unit}後"),
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
    NavPeople { en: "People", ja: "連絡先" }
    NavCampaigns { en: "Campaigns", ja: "キャンペーン" }
    CampaignsTitle { en: "Campaigns", ja: "キャンペーン" }
    NoCampaignsYet { en: "No campaigns yet. Name one to write its steps.", ja: "キャンペーンはまだありません。名前を付けて作成し、ステップを設定してください。" }
    CreateCampaign { en: "Create campaign", ja: "キャンペーンを作成" }
    AllCampaigns { en: "All campaigns", ja: "キャンペーン一覧" }
    PauseCampaign { en: "Pause campaign", ja: "キャンペーンを一時停止" }
    ResumeCampaign { en: "Resume campaign", ja: "キャンペーンを再開" }
    DeleteCampaign { en: "Delete campaign", ja: "キャンペーンを削除" }
    CampaignPausedBadge { en: "Paused", ja: "一時停止中" }
    CampaignPausedNote { en: "Paused: no step is created and none of its emails is sent until you resume it.", ja: "一時停止中です。再開するまで、ステップは作成されず、メールも送信されません。" }
    DeleteCampaignHint { en: "A campaign can be deleted once nobody is active or paused in it; its emails and tasks stay.", ja: "進行中・一時停止中の人がいなくなると削除できます。メールとタスクは残ります。" }
    FunnelTitle { en: "Results by step", ja: "ステップ別の成果" }
    FunnelStep { en: "Step {n}: {subject}", ja: "ステップ {n}: {subject}" }
    FunnelReached { en: "Reached", ja: "到達" }
    FunnelSent { en: "Sent", ja: "送信" }
    FunnelViewed { en: "Viewed", ja: "閲覧" }
    FunnelClicked { en: "Clicked", ja: "クリック" }
    FunnelReplied { en: "Replied", ja: "返信" }
    FunnelDone { en: "Done", ja: "完了" }
    FunnelEmpty { en: "No step has reached anyone yet.", ja: "まだ誰にもステップが届いていません。" }
    RepliesPerDay { en: "Replies per day, last 30 days", ja: "日別の返信数（過去 30 日）" }
    RepliesPerDaySummary { en: "{n} replies in the last 30 days", ja: "過去 30 日の返信 {n} 件" }
    NavTemplates { en: "Templates", ja: "テンプレート" }
    TemplatesTitle { en: "Templates", ja: "テンプレート" }
    NoTemplatesYet { en: "No templates yet. Write one here to insert it in compose and in a campaign's steps.", ja: "テンプレートはまだありません。ここで作成すると、メール作成やキャンペーンのステップに挿入できます。" }
    TemplateName { en: "Template name", ja: "テンプレート名" }
    NewTemplate { en: "New template", ja: "新しいテンプレート" }
    EditTemplate { en: "Edit template", ja: "テンプレートを編集" }
    SaveTemplate { en: "Save template", ja: "テンプレートを保存" }
    CreateTemplate { en: "Create template", ja: "テンプレートを作成" }
    DeleteTemplate { en: "Delete template", ja: "テンプレートを削除" }
    ColTemplate { en: "Template", ja: "テンプレート" }
    ColSentCount { en: "Sent", ja: "送信数" }
    ColViewRate { en: "View rate", ja: "閲覧率" }
    ColClickRate { en: "Click rate", ja: "クリック率" }
    ColReplyRate { en: "Reply rate", ja: "返信率" }
    TemplateHint { en: "Merge fields such as {{first_name}} and {{company}} are filled in for each person.", ja: "{{first_name}} や {{company}} などの差し込み項目は、相手ごとに置き換わります。" }
    InsertTemplate { en: "Insert template", ja: "テンプレートを挿入" }
    ChooseTemplate { en: "Choose a template…", ja: "テンプレートを選択…" }
    NoTemplatesToInsert { en: "No templates yet (write them under Templates)", ja: "テンプレートはまだありません（「テンプレート」で作成）" }
    ColSteps { en: "Steps", ja: "ステップ" }
    ColState { en: "State", ja: "状態" }
    ColStepsDone { en: "Steps done", ja: "完了ステップ" }
    ColNextDue { en: "Next step due", ja: "次のステップの期日" }
    EnrolmentAll { en: "All", ja: "すべて" }
    EnrolmentActive { en: "Active", ja: "進行中" }
    EnrolmentPaused { en: "Paused", ja: "一時停止" }
    EnrolmentFinished { en: "Finished", ja: "終了" }
    FinishedCompleted { en: "Completed", ja: "全ステップ完了" }
    FinishedReplied { en: "Replied", ja: "返信あり" }
    FinishedBounced { en: "Bounced", ja: "バウンス" }
    FinishedSpam { en: "Reported as spam", ja: "迷惑メール報告" }
    FinishedOptedOut { en: "Opted out", ja: "配信停止" }
    FinishedRemoved { en: "Removed", ja: "除外" }
    CampaignPeople { en: "People in this campaign", ja: "このキャンペーンの対象者" }
    NoOneEnrolled { en: "No one here. Add people from Search or People.", ja: "対象者はいません。検索または連絡先から追加してください。" }
    PausePerson { en: "Pause", ja: "一時停止" }
    ResumePerson { en: "Resume", ja: "再開" }
    RemovePerson { en: "Remove", ja: "除外" }
    StepsTitle { en: "Steps", ja: "ステップ" }
    NoSteps { en: "No steps yet: add the first below.", ja: "ステップはまだありません。下のフォームで最初のステップを追加してください。" }
    StepAutomaticEmail { en: "Automatic email", ja: "自動メール" }
    StepManualEmail { en: "Manual email", ja: "手動メール" }
    StepCall { en: "Call", ja: "電話" }
    StepLinkedin { en: "LinkedIn", ja: "LinkedIn" }
    StepCustom { en: "Task", ja: "タスク" }
    StepWhenEnrolled { en: "When enrolled", ja: "登録時" }
    StepSameDay { en: "The same day", ja: "同日" }
    StepSameBusinessDay { en: "The same business day", ja: "同じ営業日" }
    StepDaysLater { en: "{n} days later", ja: "{n} 日後" }
    StepBusinessDaysLater { en: "{n} business days later", ja: "{n} 営業日後" }
    StepAtTime { en: "{when} at {time}", ja: "{when} {time}" }
    StepReached { en: "{n} reached", ja: "{n} 人に到達" }
    MoveUp { en: "Move up", ja: "上へ" }
    MoveDown { en: "Move down", ja: "下へ" }
    RemoveStep { en: "Remove", ja: "削除" }
    AddStep { en: "Add step", ja: "ステップを追加" }
    EditStep { en: "Edit step", ja: "ステップを編集" }
    SaveStep { en: "Save step", ja: "ステップを保存" }
    StepKindLabel { en: "Kind", ja: "種類" }
    StepWaitDays { en: "Wait (days after the step before is done)", ja: "待機日数（前のステップ完了後）" }
    StepAtTimeLabel { en: "At (your time; empty: right away)", ja: "時刻（あなたのタイムゾーン。空欄はすぐ）" }
    StepBusinessDays { en: "Business days only", ja: "営業日のみ" }
    StepFormHint { en: "The first step starts when a person is added; each later one waits its days after the one before is done. Merge fields: {{first_name}}, {{last_name}}, {{company}}, {{title}}.", ja: "最初のステップは追加した時点で始まり、以降のステップは前のステップ完了から指定日数後に始まります。差し込み項目: {{first_name}}、{{last_name}}、{{company}}、{{title}}。" }
    Tracking { en: "Tracking", ja: "トラッキング" }
    TrackOpens { en: "Count opens", ja: "開封を計測する" }
    TrackLinks { en: "Count link clicks", ja: "リンクのクリックを計測する" }
    MakeTrackingDefault { en: "Make this my default", ja: "これを既定にする" }
    TrackingDefaultSaved { en: "Saved as your default.", ja: "既定として保存しました。" }
    TrackingOffCost { en: "Without it, this email shows no views (or no clicks): search and “Most engaged” will not count them.", ja: "オフにすると、このメールの開封（またはクリック）は記録されず、検索や「最もエンゲージしている人」にも数えられません。" }
    BeforeYouSend { en: "Before you send: mailbox providers may file this as spam.", ja: "送信前の確認: このままでは迷惑メールと判定されるおそれがあります。" }
    ColTitle { en: "Title", ja: "役職" }
    ColName { en: "Name", ja: "名前" }
    ColPhone { en: "Phone", ja: "電話番号" }
    ColDate { en: "Date", ja: "日時" }
    NothingYet { en: "Nothing has happened with this person yet.", ja: "この人とのやり取りはまだありません。" }
    NoEmailsYet { en: "No emails to this person yet.", ja: "この人へのメールはまだありません。" }
    NoPeople { en: "No people match.", ja: "該当する連絡先はありません。" }
    PeopleCount { en: "{n} people", ja: "{n} 人" }
    SearchPeople { en: "Search people", ja: "連絡先を検索" }
    SortByName { en: "Name", ja: "名前" }
    SortByCompany { en: "Company", ja: "会社名" }
    SortByEmail { en: "Email", ja: "メールアドレス" }
    SortByAdded { en: "Newest added", ja: "追加日（新しい順）" }
    SelectAllPeople { en: "Select all people shown", ja: "表示中の連絡先をすべて選択" }
    DoNotContact { en: "Do not contact", ja: "連絡不可" }
    DoNotContactLabel { en: "Do not contact (nothing is sent to them until you clear this)", ja: "連絡不可（解除するまでメールを送りません）" }
    MarkedDoNotContact { en: "Marked do not contact.", ja: "連絡不可にしました。" }
    ContactAllowed { en: "They can be contacted again.", ja: "連絡できる状態に戻しました。" }
    ContactState { en: "Contact", ja: "連絡の可否" }
    OptedOutOn { en: "Unsubscribed on {date}. Only they can undo this; nothing more is sent to them.", ja: "{date} に配信停止しました。本人しか取り消せません。これ以上メールは送りません。" }
    AddPerson { en: "Add person", ja: "連絡先を追加" }
    SavePerson { en: "Add", ja: "追加" }
    PersonAdded { en: "{name} added.", ja: "{name} さんを追加しました。" }
    PersonSaved { en: "Saved.", ja: "保存しました。" }
    PersonDeleted { en: "This person is deleted: they left your lists and search. Their emails stay.", ja: "この連絡先を削除しました。一覧と検索から外れます。メールは残ります。" }
    DeletePerson { en: "Delete person", ja: "連絡先を削除" }
    DeleteSelectedPeople { en: "Delete", ja: "削除" }
    PeopleDeleted { en: "{n} deleted.", ja: "{n} 件を削除しました。" }
    PeopleRestored { en: "{n} restored.", ja: "{n} 件を元に戻しました。" }
    FollowUpWith { en: "Follow up with {name}", ja: "{name} さんにフォローアップ" }
    NewEmailToPerson { en: "New email", ja: "メールを作成" }
    NewTaskForPerson { en: "New task", ja: "タスクを作成" }
    PersonDetails { en: "Details", ja: "詳細" }
    PersonCampaigns { en: "Campaigns", ja: "キャンペーン" }
    PersonEmails { en: "Emails {n}", ja: "メール {n}" }
    PersonTimeline { en: "Timeline", ja: "タイムライン" }
    TimelineSent { en: "Sent", ja: "送信" }
    TimelineView { en: "Viewed", ja: "開封" }
    TimelineClick { en: "Clicked", ja: "クリック" }
    TimelineReply { en: "Replied", ja: "返信" }
    TimelineBounce { en: "Bounced", ja: "バウンス" }
    TimelineSpam { en: "Marked as spam", ja: "迷惑メール報告" }
    TimelineTaskDue { en: "Task due", ja: "タスク期限" }
    TimelineTaskDone { en: "Task done", ja: "タスク完了" }
    TimelineOptedOut { en: "Unsubscribed", ja: "配信停止" }
    ImportPeople { en: "Import CSV", ja: "CSV を取り込む" }
    ImportChooseFile { en: "CSV file (UTF-8 or Shift_JIS, comma or tab separated)", ja: "CSV ファイル（UTF-8 または Shift_JIS、カンマ区切りまたはタブ区切り）" }
    ImportHint { en: "The first row names the columns, in English or Japanese (Email, First name, 姓, 名, 会社名…). Up to 100,000 rows.", ja: "1 行目は列名です。英語でも日本語でも構いません（メールアドレス、姓、名、会社名、Email…）。最大 100,000 行です。" }
    ImportNotCsv { en: "This file has no rows to read as a CSV.", ja: "このファイルには CSV として読める行がありません。" }
    ImportUnreadable { en: "This file could not be read.", ja: "このファイルを読み込めませんでした。" }
    ImportNeedsEmail { en: "Choose the column that holds email addresses.", ja: "メールアドレスの列を選んでください。" }
    ImportFileRows { en: "{file}: {n} rows", ja: "{file}: {n} 行" }
    ImportPreview { en: "The first rows, and the field each column fills", ja: "最初の数行と、各列の取り込み先" }
    ImportColumnField { en: "Field for column “{column}”", ja: "列「{column}」の取り込み先" }
    ImportLeaveOut { en: "Leave out", ja: "取り込まない" }
    ImportExisting { en: "People already in your list (same email)", ja: "すでに登録済みの人（同じメールアドレス）" }
    ImportSkipExisting { en: "Leave them as they are", ja: "そのままにする" }
    ImportUpdateExisting { en: "Update them from the file", ja: "ファイルの内容で更新する" }
    ImportRows { en: "Import {n} rows", ja: "{n} 行を取り込む" }
    ImportProgress { en: "Import progress", ja: "取り込みの進み具合" }
    ImportRunning { en: "Imported {done} of {total} rows…", ja: "{total} 行中 {done} 行を取り込みました…" }
    ImportCounts { en: "Done: {imported} added, {updated} updated, {skipped} already there, {errors} rows not imported.", ja: "完了: 追加 {imported} 件、更新 {updated} 件、登録済み {skipped} 件、取り込めなかった行 {errors} 件。" }
    ImportErrorRows { en: "Rows not imported", ja: "取り込めなかった行" }
    ImportRow { en: "Row", ja: "行" }
    ImportField { en: "Field", ja: "項目" }
    ImportProblem { en: "Problem", ja: "理由" }
    ImportDownloadErrors { en: "Download these rows as CSV", ja: "これらの行を CSV でダウンロード" }
    Language { en: "Language", ja: "言語" }
    SignOut { en: "Sign out", ja: "ログアウト" }
    RemoteContentHeld { en: "Images and other content from the web are not shown, so the sender cannot tell you opened this.", ja: "送信者に開封を知られないよう、Web 上の画像などは表示していません。" }
    ShowRemoteContent { en: "Show images", ja: "画像を表示" }
    SignOutEverywhere { en: "Sign out everywhere", ja: "すべての端末からログアウト" }
    SignIn { en: "Sign in", ja: "ログイン" }
    SigningIn { en: "Signing in…", ja: "ログイン中…" }
    SignInTitle { en: "Sign in to Command Center", ja: "コマンドセンターにログイン" }
    Email { en: "Email", ja: "メールアドレス" }
    Password { en: "Password", ja: "パスワード" }
    DemoHint { en: "Demo: aiko@example.com or ben@example.com (reps), manager@example.com, admin@example.com; password “demo”.", ja: "デモ: aiko@example.com・ben@example.com（担当者）、manager@example.com、admin@example.com、パスワード「demo」" }
    Loading { en: "Loading…", ja: "読み込み中…" }
    Retry { en: "Try again", ja: "再試行" }
    PieceUnavailable { en: "This part of Command Center could not be downloaded. Check your connection and try again.", ja: "コマンドセンターのこの部分をダウンロードできませんでした。接続を確認して再試行してください。" }
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
    FolderArchived { en: "Archived", ja: "アーカイブ済み" }
    FolderScheduled { en: "Scheduled", ja: "予約済み" }
    FolderDrafts { en: "Drafts", ja: "下書き" }
    FolderInProgress { en: "In progress", ja: "処理中" }
    FolderFailed { en: "Failed", ja: "送信失敗" }
    FolderBounced { en: "Bounced", ja: "バウンス" }
    FolderSpam { en: "Spam", ja: "迷惑メール報告" }
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
    ActionSendNow { en: "Send now", ja: "今すぐ送信" }
    ActionReschedule { en: "Reschedule", ja: "日時を変更" }
    ActionUnschedule { en: "Unschedule", ja: "予約を解除" }
    ActionArchive { en: "Archive", ja: "アーカイブ" }
    ActionUnarchive { en: "Unarchive", ja: "アーカイブ解除" }
    ActionRetry { en: "Retry send", ja: "再送信" }
    ActionMarkSuccess { en: "Mark as success", ja: "成功にする" }
    ActionSkipStep { en: "Skip this step", ja: "このステップをスキップ" }
    ActionDelete { en: "Delete", ja: "削除" }
    ActionEdit { en: "Edit", ja: "編集" }
    ColLastActivity { en: "Latest activity", ja: "最新アクティビティ" }
    Columns { en: "Columns", ja: "表示する列" }
    MostEngaged { en: "Most engaged this week", ja: "今週の反応が多いメール" }
    MostEngagedEmpty { en: "No views, clicks or replies this week yet.", ja: "今週はまだ開封・クリック・返信がありません。" }
    EngagementSummary { en: "{views} views · {clicks} clicks · {replies} replies", ja: "開封 {views} · クリック {clicks} · 返信 {replies}" }
    ColActions { en: "Actions", ja: "操作" }
    MoreActions { en: "More", ja: "その他" }
    MoreActionsFor { en: "More actions for {name}", ja: "{name} のその他の操作" }
    SnoozeFor { en: "Snooze: {when}", ja: "スヌーズ: {when}" }
    ColSelect { en: "Select", ja: "選択" }
    SelectRow { en: "Select email to {name}", ja: "{name} 宛てのメールを選択" }
    SelectAll { en: "Select all loaded emails", ja: "読み込み済みのメールをすべて選択" }
    SelectedCount { en: "{n} selected", ja: "{n} 件選択中" }
    ClearSelection { en: "Clear selection", ja: "選択を解除" }
    BulkProgress { en: "Working… {done} of {total}", ja: "処理中… {total} 件中 {done} 件" }
    BulkDone { en: "{ok} done, {failed} not done", ja: "{ok} 件完了、{failed} 件未完了" }
    BulkFailedItem { en: "Email #{id}: {reason}", ja: "メール #{id}: {reason}" }
    ActionDone { en: "Done: {action}", ja: "完了: {action}" }
    ConfirmDelete { en: "Delete this email? This cannot be undone.", ja: "このメールを削除しますか？元に戻せません。" }
    QuickFilter { en: "Filter loaded emails", ja: "読み込み済みのメールを絞り込み" }
    QuickFilterPlaceholder { en: "Filter by person, company, subject…", ja: "宛先・会社・件名で絞り込み…" }
    SortedAscending { en: "sorted ascending", ja: "昇順" }
    SortedDescending { en: "sorted descending", ja: "降順" }
    Compose { en: "New email", ja: "新規メール" }
    ComposeTitle { en: "New email", ja: "新規メール" }
    EditTitle { en: "Edit email", ja: "メールを編集" }
    FollowUpTitle { en: "Follow-up email", ja: "フォローアップメール" }
    FollowUp { en: "Send a follow-up", ja: "フォローアップを送る" }
    Recipient { en: "To", ja: "宛先" }
    RecipientSearch { en: "Search your people", ja: "連絡先を検索" }
    Suggestions { en: "Suggestions", ja: "候補" }
    Subject { en: "Subject", ja: "件名" }
    Body { en: "Message", ja: "本文" }
    SendAt { en: "Send at (your time)", ja: "送信日時（現地時間）" }
    Schedule { en: "Schedule", ja: "予約送信" }
    SaveDraft { en: "Save as draft", ja: "下書き保存" }
    SaveChanges { en: "Save changes", ja: "変更を保存" }
    Cancel { en: "Cancel", ja: "キャンセル" }
    Close { en: "Close", ja: "閉じる" }
    Preview { en: "Preview for {name}", ja: "{name} 様へのプレビュー" }
    UnfilledFields { en: "Empty for this recipient: {fields}", ja: "この宛先では空になる項目: {fields}" }
    ReplaceDraftPrompt { en: "You already have a draft. Replace it with this one?", ja: "下書きはすでにあります。この内容で置き換えますか？" }
    ReplaceDraft { en: "Replace my draft", ja: "下書きを置き換える" }
    DraftRestored { en: "Your unsent text was restored.", ja: "未送信の入力内容を復元しました。" }
    ChooseRecipient { en: "Choose a recipient.", ja: "宛先を選んでください。" }
    ChooseSendAt { en: "Choose when to send it.", ja: "送信日時を選んでください。" }
    DetailTitle { en: "Email details", ja: "メールの詳細" }
    From { en: "From", ja: "差出人" }
    Channel { en: "Delivery channel", ja: "配信チャネル" }
    Status { en: "Status", ja: "ステータス" }
    Timeline { en: "Engagement", ja: "エンゲージメント" }
    NoEngagement { en: "No views, clicks or replies yet.", ja: "開封・クリック・返信はまだありません。" }
    EventView { en: "Viewed", ja: "開封" }
    EventClick { en: "Clicked {url}", ja: "クリック: {url}" }
    EventReply { en: "Replied", ja: "返信" }
    EventBounce { en: "Bounced", ja: "バウンス" }
    EventSpam { en: "Reported as spam", ja: "迷惑メール報告" }
    OpenEmail { en: "Open email: {subject}", ja: "メールを開く: {subject}" }
    MarkedSuccess { en: "Success", ja: "成功" }
    LiveUpdates { en: "Live updates on", ja: "リアルタイム更新中" }
    EmailBody { en: "Email body", ja: "メール本文" }
    TasksTitle { en: "Tasks", ja: "タスク" }
    TaskViews { en: "Task views", ja: "タスクの表示" }
    ViewOverdue { en: "Overdue", ja: "期限切れ" }
    ViewToday { en: "Today", ja: "今日" }
    ViewTomorrow { en: "Tomorrow", ja: "明日" }
    ViewNext7 { en: "Next 7 days", ja: "今後7日間" }
    ViewRange { en: "Date range", ja: "期間指定" }
    ViewNoDate { en: "No due date", ja: "期限なし" }
    ViewDone { en: "Done", ja: "完了" }
    RangeFrom { en: "From", ja: "開始日" }
    RangeTo { en: "To", ja: "終了日" }
    OverdueBanner { en: "{n} overdue tasks are waiting.", ja: "期限切れのタスクが {n} 件あります。" }
    ShowOverdue { en: "Show overdue", ja: "期限切れを表示" }
    NewTask { en: "New task", ja: "新規タスク" }
    EditTask { en: "Edit task", ja: "タスクを編集" }
    WorkThrough { en: "Work through my tasks", ja: "タスクを順に処理" }
    Shortcuts { en: "Keyboard shortcuts", ja: "キーボードショートカット" }
    TaskTitle { en: "Title", ja: "タイトル" }
    TaskType { en: "Type", ja: "種類" }
    TaskDue { en: "Due", ja: "期限" }
    TaskPriority { en: "Priority", ja: "優先度" }
    TaskPerson { en: "Person", ja: "相手" }
    TaskNotes { en: "Notes", ja: "メモ" }
    TaskEmail { en: "Email", ja: "メール" }
    TypeAll { en: "All types", ja: "すべての種類" }
    TypeEmail { en: "Email", ja: "メール" }
    TypeCall { en: "Call", ja: "電話" }
    TypeLinkedin { en: "LinkedIn", ja: "LinkedIn" }
    TypeCustom { en: "Custom", ja: "その他" }
    PersonAll { en: "All people", ja: "すべての相手" }
    CampaignAll { en: "All campaigns", ja: "すべてのキャンペーン" }
    PriorityAll { en: "All priorities", ja: "すべての優先度" }
    PriorityNormal { en: "Normal", ja: "通常" }
    PriorityHigh { en: "High", ja: "高" }
    SortBy { en: "Sort by", ja: "並べ替え" }
    SortDue { en: "Due date", ja: "期限順" }
    SortPriority { en: "Priority", ja: "優先度順" }
    FilterTasks { en: "Filter tasks", ja: "タスクを絞り込み" }
    FilterTasksPlaceholder { en: "Filter by title, person, company…", ja: "タイトル・相手・会社で絞り込み…" }
    TaskComplete { en: "Complete", ja: "完了" }
    TaskSkip { en: "Skip", ja: "スキップ" }
    TaskSnooze { en: "Snooze", ja: "スヌーズ" }
    TaskReopen { en: "Reopen", ja: "再開" }
    SnoozeHour { en: "1 hour", ja: "1時間後" }
    SnoozeTomorrow { en: "Tomorrow 9:00", ja: "明日 9:00" }
    SnoozeNextWeek { en: "Next week", ja: "来週" }
    SnoozeCustom { en: "Pick a time…", ja: "日時を指定…" }
    SnoozeTo { en: "Snooze until", ja: "スヌーズ先の日時" }
    Apply { en: "Apply", ja: "適用" }
    Save { en: "Save", ja: "保存" }
    Undo { en: "Undo", ja: "元に戻す" }
    UndoCompleted { en: "{n} completed.", ja: "{n} 件を完了しました。" }
    UndoSkipped { en: "{n} skipped.", ja: "{n} 件をスキップしました。" }
    UndoDeleted { en: "{n} deleted.", ja: "{n} 件を削除しました。" }
    NoTasks { en: "Nothing here. Nice work.", ja: "タスクはありません。" }
    NoDue { en: "No due date", ja: "期限なし" }
    CallNumber { en: "Call {phone}", ja: "{phone} に電話" }
    OpenLinkedin { en: "Open LinkedIn profile", ja: "LinkedIn プロフィールを開く" }
    ComposeEmail { en: "Write the email", ja: "メールを作成" }
    OpenLinkedEmail { en: "Open the email", ja: "元のメールを開く" }
    WorkProgress { en: "Task {n} of {total}", ja: "{total} 件中 {n} 件目" }
    WorkDone { en: "All tasks in this view are handled.", ja: "この表示のタスクはすべて処理しました。" }
    Next { en: "Next", ja: "次へ" }
    Previous { en: "Previous", ja: "前へ" }
    KeyComplete { en: "Complete the task", ja: "タスクを完了" }
    KeySkip { en: "Skip the task", ja: "タスクをスキップ" }
    KeySnooze { en: "Snooze to tomorrow 9:00", ja: "明日 9:00 にスヌーズ" }
    KeyNext { en: "Next / previous task", ja: "次 / 前のタスク" }
    KeyNew { en: "New task", ja: "新規タスク" }
    KeyWork { en: "Work through the tasks in view", ja: "表示中のタスクを順に処理" }
    KeyFilter { en: "Filter the list", ja: "一覧を絞り込み" }
    KeyHelp { en: "Show these shortcuts", ja: "このショートカット一覧を表示" }
    KeyClose { en: "Close a dialog", ja: "ダイアログを閉じる" }
    InWorkMode { en: "In “work through” mode", ja: "「順に処理」モード中" }
    InList { en: "In the task list", ja: "タスク一覧で" }
    CreateTask { en: "Create a task", ja: "タスクを作成" }
    TaskFromEmail { en: "Follow up: {subject}", ja: "フォローアップ: {subject}" }
    ChooseTitle { en: "Give the task a title.", ja: "タイトルを入力してください。" }
    SearchTitle { en: "Advanced search", ja: "詳細検索" }
    SavedSearches { en: "Saved searches", ja: "保存した検索" }
    NoSavedSearches { en: "No saved searches yet.", ja: "保存した検索はまだありません。" }
    AllOf { en: "Match all of", ja: "すべてに一致" }
    AnyOf { en: "…and at least one of", ja: "…かつ、いずれかに一致" }
    AddCondition { en: "Add condition", ja: "条件を追加" }
    RemoveCondition { en: "Remove condition", ja: "条件を削除" }
    ConditionType { en: "Condition type", ja: "条件の種類" }
    TextMatch { en: "Match", ja: "一致のしかた" }
    CondCampaign { en: "Campaign", ja: "キャンペーン" }
    ConditionInAll { en: "condition {n} (all)", ja: "条件{n}（すべて）" }
    ConditionInAny { en: "condition {n} (any)", ja: "条件{n}（いずれか）" }
    CondEngagement { en: "Engagement", ja: "エンゲージメント" }
    CondStatus { en: "Email status", ja: "メールのステータス" }
    CondDate { en: "Email date", ja: "メールの日付" }
    CondPerson { en: "Person field", ja: "人物の項目" }
    TextAsWritten { en: "Sent before Command Center kept what was sent: this is the text as written, with a merge field it cannot fill.", ja: "送信内容を保存する前に送られたメールです。差し込み項目を埋められないため、作成時の文面を表示しています。" }
    WillGet { en: "What {name} will get", ja: "{name} さんに届く内容" }
    PreviewBody { en: "Preview of the body", ja: "本文のプレビュー" }
    PreviewUnfilled { en: "Empty for this person, so it will not be sent as it is: {fields}", ja: "この宛先では空になるため、このままでは送信できません: {fields}" }
    BulkActionSome { en: "{action} {n} of {total}", ja: "{action}（{total} 件中 {n} 件）" }
    Unsubscribed { en: "Unsubscribed", ja: "配信停止" }
    EmailConditions { en: "On the email", ja: "メールの条件" }
    PersonConditions { en: "On the person", ja: "人の条件" }
    CondPersonReplied { en: "Person's replies", ja: "人の返信歴" }
    CondPersonCampaign { en: "Person's campaigns", ja: "人のキャンペーン" }
    CondPersonSequence { en: "Person's place in a campaign", ja: "キャンペーンでの進み具合" }
    SequenceIs { en: "is", ja: "である" }
    SequenceIsNot { en: "is not", ja: "ではない" }
    SequenceStageLabel { en: "Where they stand", ja: "進み具合" }
    SequenceStepNumber { en: "Step number", ja: "ステップ番号" }
    StageRunning { en: "running (active or paused) in", ja: "進行中（一時停止を含む）" }
    StageAtStep { en: "at step", ja: "次がステップ" }
    StageFinished { en: "finished (any reason)", ja: "終了（理由を問わない）" }
    AnyCampaign { en: "any campaign", ja: "いずれかのキャンペーン" }
    PersonHasReplied { en: "has replied to an email", ja: "返信したことがある" }
    PersonNeverReplied { en: "never replied to any email", ja: "どのメールにも返信していない" }
    AnyCampaignHint { en: "None checked: any campaign.", ja: "未選択のときは、いずれかのキャンペーン。" }
    HasOrNot { en: "Has or has not", ja: "あり・なし" }
    QueryMeans { en: "This search finds:", ja: "この検索の対象:" }
    ResultsAs { en: "Show results as", ja: "結果の表示" }
    ViewPeople { en: "People", ja: "人" }
    ViewEmails { en: "Emails", ja: "メール" }
    EmailResultsCount { en: "{n} emails", ja: "{n} 件のメール" }
    ColMatching { en: "Matching emails", ja: "該当メール" }
    ColStatus { en: "Status", ja: "ステータス" }
    SelectEmail { en: "Select the email to {name}", ja: "{name} 宛てのメールを選択" }
    PeopleBehind { en: "{n} people behind the selected emails", ja: "選択したメールの宛先 {n} 人" }
    NoEmailResults { en: "No email matches.", ja: "該当するメールはありません。" }
    MeaningChanged { en: "This search was made with an earlier version, which added up engagement over all of a person's emails. Each condition now holds on one email, so what it finds may differ.", ja: "この検索は以前のバージョンで作られました。以前は人ごとに全メールのエンゲージメントを合計していましたが、現在は各条件を 1 通のメールごとに判定するため、結果が変わることがあります。" }
    MeaningWas { en: "It used to find:", ja: "以前の対象:" }
    MeaningNow { en: "It now finds:", ja: "現在の対象:" }
    DeletedCampaign { en: "a deleted campaign", ja: "削除されたキャンペーン" }
    InCampaign { en: "is in", ja: "含まれる" }
    NotInCampaign { en: "is not in", ja: "含まれない" }
    Has { en: "has", ja: "あり" }
    HasNot { en: "has not", ja: "なし" }
    Viewed { en: "viewed", ja: "開封" }
    Clicked { en: "clicked", ja: "クリック" }
    Replied { en: "replied", ja: "返信" }
    AtLeast { en: "at least (times)", ja: "回数（以上）" }
    AnyTime { en: "any time", ja: "全期間" }
    LastDays { en: "in the last {n} days", ja: "過去 {n} 日間" }
    DateCreated { en: "created", ja: "作成日" }
    DateScheduled { en: "scheduled", ja: "予約日" }
    DateDelivered { en: "delivered", ja: "配信日" }
    DateFailed { en: "failed", ja: "失敗日" }
    FieldName { en: "name", ja: "氏名" }
    FieldEmail { en: "email", ja: "メールアドレス" }
    FieldCompany { en: "company", ja: "会社" }
    FieldTitle { en: "title", ja: "役職" }
    OpContains { en: "contains", ja: "を含む" }
    OpNotContains { en: "does not contain", ja: "を含まない" }
    OpEquals { en: "is", ja: "と一致" }
    Value { en: "Value", ja: "値" }
    RunSearch { en: "Search", ja: "検索" }
    SaveSearchAs { en: "Save search as", ja: "名前を付けて保存" }
    SearchName { en: "Search name", ja: "検索名" }
    Rename { en: "Rename", ja: "名前を変更" }
    ResultsCount { en: "{n} people", ja: "{n} 人" }
    NewBadge { en: "New", ja: "新着" }
    NoResults { en: "Nobody matches.", ja: "該当する人はいません。" }
    ColCompany { en: "Company", ja: "会社" }
    ColReplies { en: "Replies", ja: "返信" }
    FilterResults { en: "Filter results", ja: "結果を絞り込み" }
    SelectPerson { en: "Select {name}", ja: "{name} を選択" }
    CreateTasksForSelected { en: "Create a task for each", ja: "選択した人ごとにタスクを作成" }
    TasksCreated { en: "{n} tasks created.", ja: "{n} 件のタスクを作成しました。" }
    SelectAndSend { en: "Select and Send", ja: "選択して送信" }
    GroupEmail { en: "Group email", ja: "グループメール" }
    SelectAndSendTitle { en: "Select and Send to {n} people", ja: "{n} 人に選択して送信" }
    GroupEmailTitle { en: "Group email to {n} people", ja: "{n} 人にグループメール" }
    SelectAndSendHint { en: "Each person gets their own copy: preview anyone's, and edit a copy for one person without changing the others.", ja: "一人ひとりに個別のメールが届きます。誰の分でもプレビューでき、特定の人の分だけを編集できます。" }
    GroupEmailHint { en: "One text for everyone; copies cannot be edited one by one.", ja: "全員に同じ本文を送ります。個別の編集はできません。" }
    MergeFieldsHint { en: "Merge fields:", ja: "差し込み項目:" }
    PartOfCampaign { en: "Part of campaign", ja: "キャンペーン" }
    NotPartOfCampaign { en: "No campaign", ja: "キャンペーンなし" }
    EmptyFieldFor { en: "{field} would be empty for: {names}", ja: "{field} が空になる人: {names}" }
    LeaveThemOut { en: "Leave these {n} out", ja: "この {n} 人を除外" }
    FixEmptyFields { en: "Some merge fields would be empty: edit those people's copies or leave them out.", ja: "空になる差し込み項目があります。該当する人の分を編集するか、除外してください。" }
    NobodyToSend { en: "Nobody is left to send to.", ja: "送信先がいません。" }
    Recipients { en: "Recipients", ja: "宛先" }
    CopyColumn { en: "Their copy", ja: "本文" }
    CopyShared { en: "Shared text", ja: "共通の本文" }
    CopyEdited { en: "Edited for them", ja: "個別に編集済み" }
    CopyHasEmptyFields { en: "Empty merge field", ja: "差し込み項目が空" }
    PreviewFor { en: "Preview for {name}", ja: "{name} 様の分をプレビュー" }
    RemoveRecipient { en: "Remove {name}", ja: "{name} を除外" }
    PreviewShort { en: "Preview", ja: "プレビュー" }
    RemoveShort { en: "Remove", ja: "除外" }
    EditThisCopy { en: "Edit this person's copy", ja: "この人の分を編集" }
    UseSharedText { en: "Use the shared text again", ja: "共通の本文に戻す" }
    OwnSubject { en: "Subject for {name}", ja: "{name} 様への件名" }
    OwnBody { en: "Message for {name}", ja: "{name} 様への本文" }
    SendNowTo { en: "Send now to {n}", ja: "{n} 人に今すぐ送信" }
    ScheduleFor { en: "Schedule for {n}", ja: "{n} 人に予約送信" }
    BatchSent { en: "{n} emails are on their way.", ja: "{n} 件のメールを送信しています。" }
    BatchScheduled { en: "{n} emails are scheduled.", ja: "{n} 件のメールを予約しました。" }
    OverSendLimit { en: "Select and Send takes up to 200 people; {n} are selected. Use Group email (up to 1,000) or select fewer.", ja: "「選択して送信」は 200 人までです（選択中: {n} 人）。グループメール（1,000 人まで）を使うか、選択を減らしてください。" }
    OverGroupLimit { en: "A group email takes up to 1,000 people; {n} are selected. Select fewer.", ja: "グループメールは 1,000 人までです（選択中: {n} 人）。選択を減らしてください。" }
    SelectAllResults { en: "Select all shown", ja: "表示中をすべて選択" }
    Campaigns { en: "Campaigns", ja: "キャンペーン" }
    NoCampaigns { en: "No campaigns yet.", ja: "キャンペーンはまだありません。" }
    CampaignCounts { en: "{people} people · {emails} emails", ja: "{people} 人・{emails} 通" }
    AddToCampaign { en: "Add to campaign", ja: "キャンペーンに追加" }
    AddingPeople { en: "Adding people to the campaign", ja: "キャンペーンに追加しています" }
    AddPersonToCampaign { en: "Add a person", ja: "連絡先を追加" }
    NewCampaignNamed { en: "New campaign “{name}”", ja: "新しいキャンペーン「{name}」" }
    CampaignPickHint { en: "Type a campaign’s name…", ja: "キャンペーン名を入力…" }
    NewCampaignName { en: "New campaign name", ja: "新しいキャンペーン名" }
    AddedToCampaign { en: "{n} people added to {campaign}.", ja: "{n} 人を {campaign} に追加しました。" }
    AlreadyInCampaign { en: "{n} were in it already.", ja: "{n} 人はすでに追加済みです。" }
    NotAddedBecause { en: "{name} was not added: {reason}.", ja: "{name} さんは追加していません（{reason}）。" }
    ChooseCampaign { en: "Choose a campaign, or name a new one.", ja: "キャンペーンを選ぶか、新しい名前を入力してください。" }
    Window { en: "When", ja: "期間" }
    BetweenDates { en: "between…", ja: "期間を指定…" }
    WindowFrom { en: "from", ja: "開始" }
    WindowTo { en: "until", ja: "終了" }
    NavAdmin { en: "Admin", ja: "管理" }
    NavTeam { en: "Team", ja: "チーム" }
    AdminTitle { en: "Users and teams", ja: "ユーザーとチーム" }
    AdminSections { en: "Administration", ja: "管理メニュー" }
    TabUsers { en: "Users", ja: "ユーザー" }
    TabTeams { en: "Teams", ja: "チーム" }
    TabAudit { en: "Audit log", ja: "監査ログ" }
    ColEmail { en: "Email", ja: "メール" }
    ColRole { en: "Role", ja: "役割" }
    ColTeam { en: "Team", ja: "チーム" }
    ColMembers { en: "Members", ja: "メンバー" }
    ColManagers { en: "Managers", ja: "マネージャー" }
    RoleRep { en: "Rep", ja: "担当者" }
    RoleManager { en: "Manager", ja: "マネージャー" }
    RoleAdmin { en: "Admin", ja: "管理者" }
    StatusInvited { en: "Invited", ja: "招待中" }
    StatusActive { en: "Active", ja: "有効" }
    StatusDeactivated { en: "Deactivated", ja: "無効" }
    NoTeam { en: "No team", ja: "チームなし" }
    NewUser { en: "Add a user", ja: "ユーザーを追加" }
    EditUser { en: "Edit user", ja: "ユーザーを編集" }
    CreateUser { en: "Add and send invitation", ja: "追加して招待を送る" }
    SaveUser { en: "Save user", ja: "ユーザーを保存" }
    TimeZone { en: "Time zone", ja: "タイムゾーン" }
    LanguageField { en: "Language", ja: "言語" }
    Deactivate { en: "Deactivate", ja: "無効にする" }
    Reactivate { en: "Reactivate", ja: "有効にする" }
    ResetPassword { en: "Reset password", ja: "パスワードをリセット" }
    ResendInvitation { en: "New invitation link", ja: "招待リンクを再発行" }
    HandOverTo { en: "Hand work over to", ja: "業務の引き継ぎ先" }
    HandOver { en: "Hand over", ja: "引き継ぐ" }
    HandedOverSummary { en: "Handed over: {people} people ({merged} merged), {emails} emails, {tasks} tasks, {campaigns} campaigns, {templates} templates.", ja: "引き継ぎました: 連絡先 {people} 人（統合 {merged} 人）、メール {emails} 通、タスク {tasks} 件、キャンペーン {campaigns} 件、テンプレート {templates} 件。" }
    InvitationLink { en: "Link to set the password (valid 7 days, once)", ja: "パスワード設定用リンク（7 日間有効、1 回限り）" }
    InvitationEmailed { en: "The link was emailed to {email}.", ja: "リンクを {email} にメールで送りました。" }
    InvitationNotEmailed { en: "The email could not be sent: pass the link on yourself.", ja: "メールを送れませんでした。リンクを直接お伝えください。" }
    CopyLink { en: "Copy link", ja: "リンクをコピー" }
    Copied { en: "Copied", ja: "コピーしました" }
    DeactivatedHint { en: "A deactivated user cannot sign in; their scheduled emails wait until they are reactivated or their work is handed over.", ja: "無効なユーザーはサインインできません。予約メールは、有効に戻すか業務を引き継ぐまで保留されます。" }
    ViewAs { en: "View as", ja: "表示するユーザー" }
    ExportPeople { en: "Export CSV", ja: "CSV に書き出す" }
    PeopleExported { en: "Saved {file}.", ja: "{file} を保存しました。" }
    ViewAsMyself { en: "Myself", ja: "自分" }
    ViewingNotice { en: "You are viewing {name}'s emails, tasks and search results. Read-only: the actions are theirs.", ja: "{name} さんのメール・タスク・検索結果を表示しています。閲覧のみで、操作はできません。" }
    BackToMine { en: "Back to my own", ja: "自分の表示に戻る" }
    TeamName { en: "Team name", ja: "チーム名" }
    NewTeam { en: "New team", ja: "新しいチーム" }
    CreateTeam { en: "Create team", ja: "チームを作成" }
    SaveName { en: "Save name", ja: "名前を保存" }
    NoTeamsYet { en: "No teams yet.", ja: "チームはまだありません。" }
    ColWhen { en: "When", ja: "日時" }
    ColAction { en: "Action", ja: "操作" }
    ColActor { en: "Who", ja: "実行者" }
    ColSubjectUser { en: "About", ja: "対象" }
    ColAddress { en: "From", ja: "接続元" }
    ColDetail { en: "Detail", ja: "詳細" }
    AuditRepeats { en: "({n} times, the last shown)", ja: "（{n} 回、最後の時刻を表示）" }
    AllActions { en: "All actions", ja: "すべての操作" }
    FilterByAction { en: "Show", ja: "表示" }
    ShowOlder { en: "Show older", ja: "さらに古いものを表示" }
    NoAuditEvents { en: "Nothing recorded.", ja: "記録はありません。" }
    AuditSignedIn { en: "Signed in", ja: "サインイン" }
    AuditSignInFailed { en: "Sign-in failed", ja: "サインイン失敗" }
    AuditUserCreated { en: "User created", ja: "ユーザー作成" }
    AuditUserChanged { en: "User changed", ja: "ユーザー変更" }
    AuditUserDeactivated { en: "User deactivated", ja: "ユーザー無効化" }
    AuditUserReactivated { en: "User reactivated", ja: "ユーザー再有効化" }
    AuditPasswordReset { en: "Password reset", ja: "パスワードリセット" }
    AuditPasswordSet { en: "Password set by link", ja: "リンクでパスワード設定" }
    AuditPasswordChanged { en: "Password changed", ja: "パスワード変更" }
    AuditProfileChanged { en: "Profile changed", ja: "プロフィール変更" }
    AuditHandedOver { en: "Work handed over", ja: "業務の引き継ぎ" }
    AuditTeamChanged { en: "Team changed", ja: "チーム変更" }
    AuditViewedAs { en: "Viewed as", ja: "代理表示" }
    AuditExported { en: "Exported", ja: "エクスポート" }
    SettingsTitle { en: "Your account", ja: "アカウント" }
    AccountLink { en: "Your account: {name}", ja: "アカウント: {name}" }
    ProfileTitle { en: "Profile", ja: "プロフィール" }
    SaveProfile { en: "Save profile", ja: "プロフィールを保存" }
    ProfileSaved { en: "Profile saved.", ja: "プロフィールを保存しました。" }
    ChangePasswordTitle { en: "Change password", ja: "パスワードの変更" }
    CurrentPassword { en: "Current password", ja: "現在のパスワード" }
    NewPassword { en: "New password (at least 10 characters)", ja: "新しいパスワード（10 文字以上）" }
    ConfirmPassword { en: "New password again", ja: "新しいパスワード（確認）" }
    PasswordsDiffer { en: "The two new passwords differ.", ja: "新しいパスワードが一致しません。" }
    ChangePassword { en: "Change password", ja: "パスワードを変更" }
    PasswordChanged { en: "Password changed; your other sessions were signed out.", ja: "パスワードを変更しました。ほかのセッションはサインアウトしました。" }
    MailboxTitle { en: "Your mailbox for replies", ja: "返信を受け取るメールボックス" }
    MailboxIntro { en: "When replies and bounces reach your own mailbox (you send through your company's mail server), Command Center can read it: it acts only on mail about your emails, keeps nothing else, and never moves or deletes a message. Gmail and Microsoft 365 need an app password.", ja: "返信や不達通知があなた自身のメールボックスに届く場合（会社のメールサーバーから送信している場合）、Command Center がそれを読み取れます。あなたのメールに関するものだけを扱い、それ以外は保存せず、メッセージを移動・削除することはありません。Gmail と Microsoft 365 ではアプリ パスワードが必要です。" }
    MailboxHost { en: "IMAP server", ja: "IMAP サーバー" }
    MailboxPort { en: "Port", ja: "ポート" }
    MailboxPortInvalid { en: "Enter a port from 1 to 65535 (993 for TLS).", ja: "1〜65535 のポート番号を入力してください（TLS は 993）。" }
    MailboxTls { en: "Encrypted connection (TLS)", ja: "暗号化接続（TLS）" }
    MailboxUser { en: "User name", ja: "ユーザー名" }
    MailboxPassword { en: "Password (app password)", ja: "パスワード（アプリ パスワード）" }
    MailboxPasswordKept { en: "Kept: leave empty to keep it", ja: "保存済み（変更しない場合は空欄）" }
    MailboxFolder { en: "Folder", ja: "フォルダー" }
    SaveMailbox { en: "Check and save mailbox", ja: "確認してメールボックスを保存" }
    MailboxChecking { en: "Signing in to the mailbox…", ja: "メールボックスにサインインしています…" }
    MailboxSaved { en: "Signed in to your mailbox: it is read from now on.", ja: "メールボックスにサインインできました。これから読み取ります。" }
    RemoveMailbox { en: "Stop reading this mailbox", ja: "このメールボックスの読み取りをやめる" }
    MailboxRemoved { en: "Your mailbox is no longer read, and its password is forgotten.", ja: "メールボックスの読み取りをやめ、パスワードを削除しました。" }
    MailboxReading { en: "Reading {user}.", ja: "{user} を読み取っています。" }
    MailboxLastRead { en: "Last read", ja: "最終読み取り:" }
    MailboxNotReadYet { en: "Not read yet.", ja: "まだ読み取っていません。" }
    MailboxError { en: "Could not read it: {error}", ja: "読み取れませんでした: {error}" }
    MailboxNone { en: "No mailbox is set: replies reach Command Center through the server's own mailbox or webhook.", ja: "メールボックスは未設定です。返信はサーバーのメールボックスまたは Webhook で届きます。" }
    InviteTitle { en: "Set your password", ja: "パスワードの設定" }
    InviteWelcome { en: "Welcome, {name} ({email}). Choose a password to sign in.", ja: "{name} さん（{email}）、ようこそ。サインインに使うパスワードを決めてください。" }
    SetPasswordAndSignIn { en: "Set password and sign in", ja: "パスワードを設定してサインイン" }
    InviteInvalid { en: "This link is not valid any more. Ask your admin for a new one.", ja: "このリンクは使えません。管理者に新しいリンクを依頼してください。" }
    GoToSignIn { en: "Go to sign-in", ja: "サインイン画面へ" }
    SignInWithSso { en: "Sign in with single sign-on", ja: "シングルサインオンでサインイン" }
    SsoRefused { en: "Single sign-on did not sign you in (the link was used or expired, or there is no account for you). Try again or ask your admin.", ja: "シングルサインオンでサインインできませんでした（リンクの使用済み・期限切れ、またはアカウントがありません）。もう一度試すか、管理者にお問い合わせください。" }
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

    /// The `{name}` placeholders of a text, sorted: what the code fills in.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_message_has_the_same_placeholders_in_both_languages() {
        assert_eq!(placeholders("{b} and {a}"), ["a", "b"]);
        for msg in Msg::ALL {
            assert_eq!(
                placeholders(msg.en()),
                placeholders(msg.ja()),
                "{msg:?}: a value filled into one language is missing from the other"
            );
        }
    }

    #[test]
    fn timestamps_are_written_in_each_languages_way() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().to_utc();
        for (zone, instant, locale, written) in [
            (
                "UTC",
                "2026-11-27T15:05:00Z",
                Locale::En,
                "Nov 27, 2026 3:05 PM",
            ),
            (
                "UTC",
                "2026-11-27T15:05:00Z",
                Locale::Ja,
                "2026/11/27 15:05",
            ),
            (
                "UTC",
                "2026-01-02T00:30:00Z",
                Locale::En,
                "Jan 2, 2026 12:30 AM",
            ),
            (
                "UTC",
                "2026-01-02T00:30:00Z",
                Locale::Ja,
                "2026/01/02 00:30",
            ),
            (
                "UTC",
                "2026-07-04T12:00:00Z",
                Locale::En,
                "Jul 4, 2026 12:00 PM",
            ),
            (
                "Asia/Tokyo",
                "2026-11-27T15:05:00Z",
                Locale::Ja,
                "2026/11/28 00:05",
            ),
        ] {
            crate::zone::set_zone(Some(zone));
            assert_eq!(locale.date_time(at(instant)), written, "{zone} {instant}");
        }
        crate::zone::set_zone(None);
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(Locale::En.number(0), "0");
        assert_eq!(Locale::En.number(1234), "1,234");
        assert_eq!(Locale::Ja.number(1_234_567), "1,234,567");
    }

    #[test]
    fn relative_times_read_naturally_in_both_languages() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let ago = |secs: i64| now - chrono::Duration::seconds(secs);
        assert_eq!(Locale::En.relative(ago(10), now), "just now");
        assert_eq!(Locale::Ja.relative(ago(10), now), "たった今");
        assert_eq!(Locale::En.relative(ago(3 * 3600 + 59), now), "3 hours ago");
        assert_eq!(Locale::Ja.relative(ago(3 * 3600), now), "3 時間前");
        assert_eq!(Locale::En.relative(ago(60), now), "1 minute ago");
        assert_eq!(Locale::En.relative(ago(-2 * 86_400), now), "in 2 days");
        assert_eq!(Locale::Ja.relative(ago(-2 * 86_400), now), "2 日後");
        assert_eq!(Locale::En.relative(ago(400 * 86_400), now), "1 year ago");
    }

    #[test]
    fn browser_tags_pick_the_locale() {
        assert_eq!(Locale::from_tag("ja-JP"), Locale::Ja);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("fr"), Locale::En);
    }
}
