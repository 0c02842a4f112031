import SyncCore

/// The refusals the shared libraries build in English (schema, territory, loyalty and
/// record refusals, a JSON reader's complaints, the server's per-change rejections), in a
/// reader's language: the device's CLI (`CLIPhrases`) and the sync server (its API errors'
/// `{reason}` and the rejections in a push answer) translate them here, by pattern. Values
/// inside them (names, ids, field names) are kept as written.
public enum RefusalPhrases {
    /// A refusal's message in `language`. One the book has no pattern for keeps its English
    /// words after the Chinese gist of its stable code (`gists`), so a reader always learns
    /// what kind of refusal it is; one no pattern matches that holds Chinese already (a server
    /// that answered in the reader's language) is kept as it is.
    public static func refusal(
        code: String, _ message: String, _ language: Language, book: PhraseBook = chinese, gists: [String: String] = gists
    ) -> String {
        guard language == .chinese else { return message }
        if let translated = book.translation(of: message) { return translated }
        guard !isChinese(message), let gist = gists[code] else { return message }
        return "\(gist)（\(message)）"
    }

    /// Whether `text` holds Chinese characters (CJK Unified Ideographs).
    public static func isChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    /// The Chinese gist of the stable codes of the shared libraries' refusals.
    public static let gists: [String: String] = {
        var gists: [String: String] = [:]
        for code in ValidationError.Code.allCases { gists[code.rawValue] = validationGist(code) }
        for code in LoyaltyErrorCode.allCases { gists[code.rawValue] = loyaltyGist(code) }
        return gists
    }()

    public static func validationGist(_ code: ValidationError.Code) -> String {
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

    public static func loyaltyGist(_ code: LoyaltyErrorCode) -> String {
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

    /// Entity names, so that a pattern's `@N` can name an entity in Chinese.
    private static let entityEntries: [(String, String)] = SchemaLabels.chineseEntities.map { ($0.key, $0.value) }

    /// The patterns and their translations, for books that add their own (`CLIPhrases`).
    public static let entries: [(String, String)] = entityEntries + [
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
        ("(\\w+) field '(.*)' holds a territory's key: '(.*)', not '(.*)'", "@1的字段 '$2' 应填区域的代码：'$3'，而不是 '$4'"),
        ("cannot move (\\w+) from (\\S+) to (\\S+); (.+)", "@1不能从 $2 变为 $3；@4"),
        ("from (\\S+) it may go to (.+)", "从 $1 可以变为 $2"),
        ("(\\S+) is final", "$1 是最终状态"),
        ("(\\w+) is reference data owned by the server and cannot be edited on a device", "@1是服务器管理的参考数据，不能在设备上修改"),
        ("import refused, nothing written: (.+)", "导入被拒绝，未写入任何内容：@1"),
        // The sync server's per-change rejections.
        ("the change is stamped (\\S+) s ahead of the server clock \\(at most (\\d+) s allowed\\), so nothing of it was stored; the device corrects its clock from this answer, stamps the change again and pushes it again",
         "该变更的时间戳比服务器时钟快 $1 秒（最多允许 $2 秒），因此服务器没有存储它；设备会根据这次回应校正时钟，重新标记时间后再次推送"),
        ("the change's dot names replica (\\S+), not the sending device (\\S+)", "该变更的 dot 指向副本 $1，而不是发送它的设备 $2"),
        ("dot counter (\\S+) is out of range", "dot 计数 $1 超出范围"),
        ("the change's context already covers its own dot (.+)", "该变更的上下文已经包含它自己的 dot $1"),
        ("the change's HLC (.+) is before 1970", "该变更的 HLC $1 早于 1970 年"),
        ("(\\S+) depends on writes the server does not have yet \\((.+)\\); retry after they are accepted", "$1 依赖服务器尚未收到的写入（$2）；请在这些写入被接受后重试"),
        ("change for (.+) does not fit record (.+)", "针对 $1 的变更与记录 $2 不符"),
        ("field '(.*)' holds state of another kind on the server", "字段 '$1' 在服务器上是另一种类型的状态"),
        ("(.+) is outside your territories; the change stays on this device", "$1 不在您的区域内；该变更保留在本设备上"),
        ("(.+) cannot move to another account; create it again under the other account", "$1 不能转到另一个客户名下；请在另一个客户下重新创建"),
        ("(.+) must belong to an account \\(or name a territory\\) you work in", "$1 必须属于您负责的客户（或指定您负责的区域）"),
        ("(.+) would move outside your territories \\((.*)\\)", "$1 会被移出您的区域（$2）"),
        ("(.+) names in '(.*)' a record outside your territories; a reference must stay inside them", "$1 的 '$2' 指向了您区域以外的记录；引用必须留在您的区域内"),
        // Report parameters and loyalty adjustments (the admin and reports APIs).
        ("unknown report parameter '(.*)' \\(known: (.+)\\)", "未知的报表参数 '$1'（已知：$2）"),
        ("the (\\w+) report does not take '(.*)' \\(it takes: (.+)\\)", "$1 报表不接受参数 '$2'（可用：$3）"),
        ("rule: revenue or customers, got '(.*)'", "rule 必须是 revenue 或 customers，收到的是 '$1'"),
        ("cutoffs: two percentages A,B with 0 < A < B ≤ 100, such as 80,95, got '(.*)'", "cutoffs 需要两个百分比 A,B，且 0 < A < B ≤ 100，例如 80,95，收到的是 '$1'"),
        ("an adjustment needs a non-zero number of points", "积分调整的数量不能为零"),
        ("the account has (\\d+) points no device holds as escrow; an adjustment of (-?\\d+) would take more", "该客户有 $1 积分未分配给任何设备；调整 $2 积分会超出这个数"),
        // A JSON reader's complaints about a value.
        ("expected an object", "需要对象"),
        ("expected an array", "需要数组"),
        ("expected a string", "需要字符串"),
        ("expected an integer", "需要整数"),
        ("expected true or false", "需要 true 或 false"),
        ("integer out of range", "整数超出范围"),
        ("missing key '(.*)'", "缺少键 '$1'"),
        ("not a replica UUID: (.*)", "不是副本 UUID：$1"),
        ("invalid UTF-8 in a string", "字符串中有无效的 UTF-8"),
        ("the JSON text is empty", "JSON 文本为空"),
        ("unknown operation '(.*)' \\(expected set, counter, add, remove or delete\\)", "未知操作 '$1'（应为 set、counter、add、remove 或 delete）"),
        ("a field value must be null, a bool, an integer or a string \\(decimals travel as strings\\)", "字段值必须是 null、布尔值、整数或字符串（小数以字符串传输）"),
    ]

    public static let chinese = PhraseBook(entries)
}
