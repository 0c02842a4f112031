import CRM
import SyncCore

/// The sentences the libraries build for a rep (refusals, an account's statement, its points),
/// in the reader's language. They are made once, in English (scripts and `--json` keep them);
/// the CLI prints them through `text(_:_:)`. Values inside them (names, ids, amounts, the
/// field names commands take) are kept as written.
public enum CLIPhrases {
    /// `english` in `language`: by its pattern when the book has one, else as it is.
    public static func text(_ english: String, _ language: Language) -> String {
        guard language == .chinese else { return english }
        return chinese.translation(of: english) ?? english
    }

    /// A refusal's message in `language`. One the book has no pattern for keeps its English
    /// words after the Chinese gist of its stable code (`refusalGists`), so a reader always
    /// learns what kind of refusal it is.
    public static func refusal(code: String, _ message: String, _ language: Language) -> String {
        guard language == .chinese else { return message }
        if let translated = chinese.translation(of: message) { return translated }
        guard let gist = refusalGists[code] else { return message }
        return "\(gist)（\(message)）"
    }

    /// The Chinese gist of every stable refusal code a device meets.
    public static let refusalGists: [String: String] = {
        var gists: [String: String] = [
            "record_not_found": "找不到记录", "record_exists": "记录已存在", "unknown_reference": "引用的记录不在本设备上",
            "record_deleted": "记录已被删除", "nothing_applied": "没有应用任何修改", "store_corrupted": "设备数据库已损坏",
            "ambiguous_id": "id 前缀不唯一", "ambiguous_name": "名称不唯一", "no_changes": "没有修改", "merge_failed": "无法合并",
            "not_enrolled": "设备未注册", "network_error": "无法连接服务器", "bad_response": "服务器的回应无法读取",
            "device_wiped": "设备已被擦除", "device_revoked": "设备已被吊销",
        ]
        for code in ValidationError.Code.allCases { gists[code.rawValue] = validationGist(code) }
        for code in LoyaltyErrorCode.allCases { gists[code.rawValue] = loyaltyGist(code) }
        for code in VisitPlanErrorCode.allCases { gists[code.rawValue] = visitPlanGist(code) }
        return gists
    }()

    static func validationGist(_ code: ValidationError.Code) -> String {
        switch code {
        case .unknownEntity: return "未知对象"
        case .unknownField: return "未知字段"
        case .typeMismatch: return "值的类型不对"
        case .kindMismatch: return "字段种类不符"
        case .valueTooLong: return "值太长"
        case .invalidValue: return "值无效"
        case .missingRequiredField: return "缺少必填字段"
        case .readOnlyEntity: return "只读对象"
        case .invalidRecordID: return "记录 id 无效"
        case .tooManyOperations: return "操作太多"
        case .malformedChange: return "变更格式错误"
        case .invalidTransition: return "不允许的状态变化"
        case .controlCharacter: return "含有控制字符"
        case .unknownTerritory: return "未知区域"
        case .workflowOwnedField: return "该字段由业务流程设置"
        }
    }

    static func loyaltyGist(_ code: LoyaltyErrorCode) -> String {
        switch code {
        case .escrowExceeded: return "超出本设备可离线兑换的积分"
        case .serverOnly: return "只有服务器可以写入"
        case .deviceMismatch: return "设备不符"
        case .entryImmutable: return "积分记录不可修改"
        case .invalidPoints: return "积分数无效"
        case .alreadyEarned: return "该订单已获得过积分"
        case .counterDecrement: return "不能减少积分计数"
        case .balanceExceeded: return "超出积分余额"
        }
    }

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

    /// Entity names, so that a pattern's `@N` can name an entity in Chinese.
    private static let entityEntries: [(String, String)] = SchemaLabels.chineseEntities.map { ($0.key, $0.value) }

    public static let chinese = PhraseBook(entityEntries + [
        // Records found, not found, ambiguous.
        ("no (\\w+) with id (\\S+)", "没有 id 为 $2 的@1"),
        ("no (\\w+) has the id or (\\w+) '(.*)'", "没有 id 或 $2 为 '$3' 的@1"),
        ("more than (\\d+) (\\w+) records match '(.*)': (.+); type more of the name, or an id", "超过 $1 条@2记录符合 '$3'：$4；请输入更完整的名称或 id"),
        ("(\\d+) (\\w+) records match '(.*)': (.+); type more of the name, or an id", "$1 条@2记录符合 '$3'：$4；请输入更完整的名称或 id"),
        ("more than one (\\w+) id starts with '(.*)'; type more of it", "不止一个@1的 id 以 '$2' 开头；请多输入几位"),
        ("'(.*)' is not a record id: ids are lowercase UUIDs such as (\\S+), or a unique prefix of one", "'$1' 不是记录 id：id 是小写的 UUID（例如 $2）或其唯一前缀"),
        ("(\\w+) (\\S+) was deleted", "@1 $2 已被删除"),
        ("the edit changes nothing", "这次修改没有改变任何内容"),
        ("the edit changed no record", "这次修改没有改变任何记录"),
        ("a (\\w+) with id (\\S+) already exists", "id 为 $2 的@1已存在"),
        ("field '(.*)' names (\\w+) (\\S+), which is not on this device", "字段 '$1' 指向的@2 $3 不在本设备上"),
        // Entities and fields.
        ("unknown entity '(.*)'; did you mean '(.*)'\\? \\(known: (.+)\\)", "未知对象 '$1'；您是不是要输入 '$2'？（已知：$3）"),
        ("unknown entity '(.*)' \\(known: (.+)\\)", "未知对象 '$1'（已知：$2）"),
        ("(\\w+) has no field '(.*)'; did you mean '(.*)'\\? \\(fields: (.+)\\)", "@1没有字段 '$2'；您是不是要输入 '$3'？（字段：$4）"),
        ("(\\w+) has no field '(.*)' \\(fields: (.+)\\)", "@1没有字段 '$2'（字段：$3）"),
        ("(\\w+) has no field '(.*)'", "@1没有字段 '$2'"),
        ("field '([^']*)': (.+)", "字段 '$1'：@2"),
        ("field '(.*)' is required and cannot be empty", "字段 '$1' 是必填项，不能为空"),
        ("field '(.*)' is required and cannot be cleared", "字段 '$1' 是必填项，不能清空"),
        ("a new (\\w+) needs (.+)", "新建@1需要 $2"),
        ("a (\\w+) needs (.+)", "@1需要 $2"),
        ("field '(.*)' takes one of (.+), got '(.*)'", "字段 '$1' 只能取 $2 之一，收到的是 '$3'"),
        ("field '(.*)' takes a decimal number such as 1200.50, got '(.*)'", "字段 '$1' 需要小数，例如 1200.50，收到的是 '$2'"),
        ("field '(.*)' takes an integer, got '(.*)'", "字段 '$1' 需要整数，收到的是 '$2'"),
        ("field '(.*)' takes an integer from (\\S+) to (\\S+), got (\\S+)", "字段 '$1' 需要 $2 到 $3 之间的整数，收到的是 $4"),
        ("field '(.*)' takes true or false, got '(.*)'", "字段 '$1' 只能是 true 或 false，收到的是 '$2'"),
        ("field '(.*)' takes a date YYYY-MM-DD, got (.+)", "字段 '$1' 需要 YYYY-MM-DD 格式的日期，收到的是 $2"),
        ("'(.*)' is not a day YYYY-MM-DD", "'$1' 不是 YYYY-MM-DD 格式的日期"),
        ("'(.*)' is not a day: use YYYY-MM-DD, today, tomorrow, or \\+Nd such as \\+7d", "'$1' 不是日期：请用 YYYY-MM-DD、today、tomorrow 或 +Nd（例如 +7d）"),
        ("unknown territory '(.*)'; did you mean '(.*)'\\? \\(territories: (.+)\\)", "未知区域 '$1'；您是不是要输入 '$2'？（区域：$3）"),
        ("unknown territory '(.*)' \\(territories: (.+)\\)", "未知区域 '$1'（区域：$2）"),
        ("cannot move (\\w+) from (\\S+) to (\\S+); (.+)", "@1不能从 $2 变为 $3；@4"),
        ("from (\\S+) it may go to (.+)", "从 $1 可以变为 $2"),
        ("(\\S+) is final", "$1 是最终状态"),
        ("(\\w+) is reference data owned by the server and cannot be edited on a device", "@1是服务器管理的参考数据，不能在设备上修改"),
        ("import refused, nothing written: (.+)", "导入被拒绝，未写入任何内容：@1"),
        ("moving an opportunity to lost needs a reason: add --reason TEXT", "把商机改为输单需要原因：请加上 --reason TEXT"),
        // Sync.
        ("this device is not enrolled: run `fieldsync enroll --server URL --code CODE` first", "本设备尚未注册：请先运行 `fieldsync enroll --server URL --code CODE`"),
        ("could not reach the server: (.+)", "无法连接服务器：$1"),
        ("the server answered HTTP (\\d+)", "服务器返回 HTTP $1"),
        ("the server sent a corrupt gzip body", "服务器发送的 gzip 内容已损坏"),
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
