import CRM
import SyncCore

/// Text that reaches a rep already written in English, in the reader's language: an account's
/// statement and its points (made once, in English, for scripts and `--json`), a rejection the
/// device stored from a push answer and a sync client's failure (`refusal`, read back from
/// the refusal catalogue by `RefusalPhrases`). Refusals the libraries raise are typed
/// (`RefusalSentence`) and said in the reader's language directly. Values inside them (names,
/// ids, amounts, the field names commands take) are kept as written.
public enum CLIPhrases {
    /// `english` in `language`: by its pattern when the book has one, else as it is.
    public static func text(_ english: String, _ language: Language) -> String {
        guard language == .chinese else { return english }
        return chinese.translation(of: english) ?? english
    }

    /// A refusal that arrived as text, in `language` (`RefusalPhrases.refusal`, with the CLI's
    /// own sentences and codes too).
    public static func refusal(code: String, _ message: String, _ language: Language) -> String {
        RefusalPhrases.refusal(code: code, message, language, book: chinese, gists: refusalGists)
    }

    /// The Chinese gist of every stable refusal code a device meets.
    public static let refusalGists: [String: String] = {
        var gists = RefusalPhrases.gists.merging([
            "record_not_found": "找不到记录", "record_exists": "记录已存在", "unknown_reference": "引用的记录不在本设备上",
            "record_deleted": "记录已被删除", "nothing_applied": "没有应用任何修改", "store_corrupted": "设备数据库已损坏",
            "ambiguous_id": "id 前缀不唯一", "ambiguous_name": "名称不唯一", "no_changes": "没有修改", "merge_failed": "无法合并",
            "not_enrolled": "设备未注册", "network_error": "无法连接服务器", "bad_response": "服务器的回应无法读取",
            "device_wiped": "设备已被擦除", "device_revoked": "设备已被吊销",
        ]) { _, cli in cli }
        for code in VisitPlanErrorCode.allCases { gists[code.rawValue] = visitPlanGist(code) }
        return gists
    }()

    static func visitPlanGist(_ code: VisitPlanErrorCode) -> String {
        switch code {
        case .notCheckedIn: return "尚未签到"
        case .alreadyCheckedIn: return "已经签到过"
        case .alreadyCheckedOut: return "已经签退过"
        case .checkOutBeforeCheckIn: return "签退时间早于签到时间"
        case .invalidLocation: return "位置无效"
        case .invalidRouteOrder: return "路线顺序无效"
        case .noOpenFollowUp: return "没有待办的跟进"
        }
    }

    public static let chinese = PhraseBook(RefusalPhrases.entries + [
        // Sync.
        ("this device is not enrolled: run `fieldsync enroll --server URL --code CODE` first", "本设备尚未注册：请先运行 `fieldsync enroll --server URL --code CODE`"),
        ("could not reach the server: (.+)", "无法连接服务器：@1"),
        // Why, from the URLError's code (`SyncClientError.unreachable`).
        ("the connection was refused", "连接被拒绝"),
        ("the request timed out", "请求超时"),
        ("the server's name was not found", "找不到服务器的域名"),
        ("there is no network connection", "没有网络连接"),
        ("the connection was lost", "连接中断"),
        ("the secure connection failed", "安全连接失败"),
        ("the connection failed", "连接失败"),
        ("the connection failed \\(URLError (-?\\d+)\\)", "连接失败（URLError $1）"),
        ("the server answered HTTP (\\d+)", "服务器返回 HTTP $1"),
        ("the server sent a corrupt gzip body", "服务器发送的 gzip 内容已损坏"),
        ("the server's answer could not be read: (.+)", "服务器的回应无法读取：@1"),
        // A file or an answer JSONDecoder refused: where and what (`DecodingProblem`).
        ("not a fieldsync-fixture/1 file: (.+)", "不是 fieldsync-fixture/1 文件：@1"),
        ("format is '(.*)', this build reads '(.*)'", "格式是 '$1'，这个版本读取的是 '$2'"),
        ("at (\\S+): (.+)", "$1处：@2"),
        ("not valid JSON", "不是有效的 JSON"),
        ("missing key '(.*)'", "缺少键 '$1'"),
        ("expected a number", "需要数字"),
        ("(expected .+), found null", "@1，收到的是 null"),
        // An account's statement (`show account`) and its points.
        ("none", "无"),
        ("((?:[A-Z]{3} -?[0-9][0-9,.]*(?:, )?)+)", "$1"),
        ("orders: (\\d+), revenue (.+) \\(confirmed and delivered\\)", "订单：$1 个，收入 @2（已确认和已交付）"),
        ("quotes: (\\d+) open", "报价单：未结 $1 个"),
        ("contracts: (\\d+) active, (\\d+) due for renewal", "合同：生效中 $1 个，待续约 $2 个"),
        ("receivables: (.+) outstanding, (.+) overdue", "应收账款：未收 @1，逾期 @2"),
        ("credit: (.+) paid beyond its invoices \\(to refund or carry over\\)", "多付款：$1（超出发票金额，待退款或结转）"),
        ("(-?\\d+) points, level \\w+ \\((.+)\\) \\(lifetime (\\d+); (\\d+) more for \\w+ \\((.+)\\)\\); this device may redeem (\\d+) offline",
         "$1 积分，$2（累计 $3；再得 $4 分升为$5）；本设备可离线兑换 $6 分"),
        ("(-?\\d+) points, level \\w+ \\((.+)\\) \\(lifetime (\\d+)\\); this device may redeem (\\d+) offline", "$1 积分，$2（累计 $3）；本设备可离线兑换 $4 分"),
    ])
}
