import CRM
import Foundation
import Mustache

/// The admin page speaks the languages of `CRM.Language`. A request's language is, in order: `?lang=` (the switch in the page's header, which also
/// sets the `fieldsync_lang` cookie), the cookie, then the browser's `Accept-Language` (the
/// highest-weighted of `zh…` and `en…`), else English.
extension Language {
    static let cookieName = "fieldsync_lang"

    /// The language of a request: the switch, the cookie, then `Accept-Language`.
    static func of(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(tag: query) { return language }
        if let cookie, let language = Language(tag: cookie) { return language }
        return acceptLanguage.flatMap(negotiate) ?? .english
    }
}

/// The admin page's words in one language: `text(.conflicts)`, `text(.pageInfo, ["total": 3, …])`
/// fills `{total}`; templates read every string as `{{t.KEY}}`.
struct AdminText: Sendable {
    let language: Language

    func callAsFunction(_ key: AdminString, _ arguments: KeyValuePairs<String, Any> = [:]) -> String {
        key.text(language, arguments)
    }

    /// Every string by key, for the templates.
    var table: [String: String] {
        Dictionary(uniqueKeysWithValues: AdminString.allCases.map { ($0.rawValue, $0.text(language)) })
    }

    /// A duration in the largest whole unit: "5 min", "3 d" / "5 分钟", "3 天".
    func age(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        switch seconds {
        case ..<60: return self(.ageSeconds, ["n": seconds])
        case ..<3600: return self(.ageMinutes, ["n": seconds / 60])
        case ..<86_400: return self(.ageHours, ["n": seconds / 3600])
        default: return self(.ageDays, ["n": seconds / 86_400])
        }
    }

    /// The server's own words stored in the conflict log, in this language (`ConflictPhrases`).
    func phrase(_ english: String) -> String {
        ConflictPhrases.text(english, language)
    }
}

/// The server's own words stored in the conflict log (reasons, outcomes, resolutions) in a
/// language: the admin page and `fieldsync admin` show them through here. They come from a
/// fixed set of sentences (ConflictDescriber, DuplicateKeys, the resolver); values and names
/// inside them are left as they are.
public enum ConflictPhrases {
    public static func text(_ english: String, _ language: Language) -> String {
        guard language == .chinese else { return english }
        // An admin's note after " — " is theirs: only the sentence before it is translated.
        if let dash = english.range(of: " — ") {
            return text(String(english[..<dash.lowerBound]), language) + english[dash.lowerBound...]
        }
        return chinese.translation(of: english) ?? english
    }

    static let chinese = PhraseBook([
        ("kept", "保留"),
        ("keep", "保留记录"),
        ("delete", "删除记录"),
        ("restore_target", "恢复被引用的记录"),
        ("choose: (.+)", "选定：$1"),
        ("value: (.+)", "新值：$1"),
        ("deleted", "已删除"),
        ("reference kept", "保留引用"),
        ("both records kept", "两条记录都保留"),
        ("edited (.+)", "修改了 $1"),
        ("merged (.+) into (.+)", "已将 $1 合并到 $2"),
        ("(\\d+) concurrent values of (.+)", "$2 有 $1 个并发值"),
        ("a delete met an edit its writer had not seen \\(the edit wins\\)", "删除遇到了删除者未见过的修改（修改优先）"),
        ("a delete met an edit its writer had not seen \\(the delete wins\\)", "删除遇到了删除者未见过的修改（删除优先）"),
        ("same name and city", "名称和城市相同"),
        ("same phone (.+)", "电话相同 $1"),
        ("same e-mail (.+)", "邮箱相同 $1"),
        ("(.+) names (\\S+) (.+), which was deleted", "$1 指向的$2 $3 已被删除"),
        ("(.+) names (\\S+) (.+), which is not on the server", "$1 指向的$2 $3 不在服务器上"),
    ])
}

/// A page object as the templates see it: its own fields, plus `t` (the words of the request's
/// language), `lang` (for `<html lang>`) and `languages` (the switch).
struct LocalizedPage: MustacheParent {
    struct LanguageLink {
        var code: String
        var name: String
        var href: String
        var selected: Bool
    }

    let page: Any
    let text: AdminText
    let languages: [LanguageLink]

    func child(named name: String) -> Any? {
        switch name {
        case "t": return text.table
        case "lang": return text.language.rawValue
        case "languages": return languages
        default:
            guard let value = Mirror(reflecting: page).children.first(where: { $0.label == name })?.value else { return nil }
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return value }
            return mirror.children.first?.value
        }
    }
}
