import Foundation
import SyncCore

/// Refusals that arrive as text, in a reader's language. The shared libraries' refusals are
/// typed sentences (`RefusalSentence`) said in the reader's language where they are shown;
/// what is left here is text already written: a rejection a device stored from a push
/// answer in another language, an older server's English, and the sentences still built as
/// English text (report parameters, a JSON reader's complaints). The catalogue's sentences
/// are read back from their English, by pattern; values inside them are kept as written.
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

    /// The patterns and their translations, for books that add their own (`CLIPhrases`): every
    /// sentence of the catalogue read back from its English (`catalogueEntries`), then the
    /// sentences still built as English text (report parameters, a JSON reader's complaints).
    public static let entries: [(String, String)] = entityEntries + catalogueEntries + [
        // Report parameters (the reports API).
        ("unknown report parameter '(.*)' \\(known: (.+)\\)", "未知的报表参数 '$1'（已知：$2）"),
        ("the (\\w+) report does not take '(.*)' \\(it takes: (.+)\\)", "$1 报表不接受参数 '$2'（可用：$3）"),
        ("rule: revenue or customers, got '(.*)'", "rule 必须是 revenue 或 customers，收到的是 '$1'"),
        ("cutoffs: two percentages A,B with 0 < A < B ≤ 100, such as 80,95, got '(.*)'", "cutoffs 需要两个百分比 A,B，且 0 < A < B ≤ 100，例如 80,95，收到的是 '$1'"),
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

    /// The refusal sentences read back from their English, for text that arrives already
    /// written (an older server's answer, a rejection a device stored in English): each
    /// `{placeholder}` matches the value as written, or, for a sentence inside a sentence
    /// (`{reason}`, `{next}`) and an entity's name, its translation. Sentences with more words
    /// come first, so the most specific one matches.
    static let catalogueEntries: [(String, String)] = RefusalSentence.allCases
        .sorted { $0.texts.english.replacing(/\{\w+\}/, with: "").count > $1.texts.english.replacing(/\{\w+\}/, with: "").count }
        .compactMap { sentence in
            let (english, chinese) = sentence.texts
            guard english.replacing(/\{\w+\}/, with: "").contains(where: \.isLetter) else { return nil }
            var pattern = "", groups: [String: Int] = [:]
            var rest = Substring(english)
            while let hole = rest.firstMatch(of: /\{(\w+)\}/) {
                pattern += NSRegularExpression.escapedPattern(for: String(rest[..<hole.range.lowerBound]))
                let name = String(hole.output.1)
                if let group = groups[name] {
                    pattern += "\\\(group)"
                } else {
                    groups[name] = groups.count + 1
                    // A value in quotes holds no quote: `field 'a': field 'a' is required…`
                    // is one sentence inside another, not one field named `a': field 'a`.
                    pattern += pattern.hasSuffix("'") ? "([^']*)" : "(.+?)"
                }
                rest = rest[hole.range.upperBound...]
            }
            pattern += NSRegularExpression.escapedPattern(for: String(rest))
            let translation = chinese.replacing(/\{(\w+)\}/) { hole in
                let name = String(hole.output.1)
                guard let group = groups[name] else { return String(hole.output.0) }
                return nestedSentences.contains(name) || Refusal.entityPlaceholders.contains(name) ? "@\(group)" : "$\(group)"
            }
            return (pattern, translation)
        }

    /// Entity names, so that a sentence's `{entity}` reads as the entity's label.
    private static let entityEntries: [(String, String)] = SchemaLabels.chineseEntities.map { ($0.key, $0.value) }

    /// The placeholders that hold a sentence of their own.
    private static let nestedSentences: Set<String> = ["reason", "next"]

    public static let chinese = PhraseBook(entries)
}
