import Foundation

/// The languages FieldSync speaks to people: English and Simplified Chinese.
///
/// One enum for every surface: the CLI picks it from the POSIX locale variables
/// (`environment(_:)`), the admin page from its switch, cookie or `Accept-Language`
/// (`negotiate(_:)`), and reports render in it (`ReportTable.localized(_:)`).
public enum Language: String, CaseIterable, Sendable, Codable {
    case english = "en"
    case chinese = "zh-Hans"

    /// The language a tag or locale name asks for: `en`, `en-GB`, `zh`, `zh-CN`, `zh-Hans`,
    /// `zh_CN.UTF-8`, `zh_TW@stroke`… (letter case ignored); nil for any other language.
    public init?(tag: String) {
        var tag = tag.trimmingCharacters(in: .whitespaces).lowercased()
        if let cut = tag.firstIndex(where: { $0 == "." || $0 == "@" }) { tag = String(tag[..<cut]) }
        tag = tag.replacingOccurrences(of: "_", with: "-")
        if tag == "en" || tag.hasPrefix("en-") {
            self = .english
        } else if tag == "zh" || tag.hasPrefix("zh-") {
            self = .chinese
        } else {
            return nil
        }
    }

    /// The language of a command-line program, as POSIX orders the locale variables: the first
    /// of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty decides; `C`, `POSIX` or
    /// a language FieldSync does not speak mean English.
    public static func environment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return Language(tag: value) ?? .english
        }
        return .english
    }

    /// The highest-weighted language of an `Accept-Language` header that FieldSync speaks
    /// (RFC 9110 §12.5.4; `q=0` means "not this one"; ties go to the first listed).
    public static func negotiate(_ header: String) -> Language? {
        var best: (language: Language, weight: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, let language = Language(tag: tag) else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            if weight > 0, weight > (best?.weight ?? 0) { best = (language, weight) }
        }
        return best?.language
    }

    /// How a language switch names the language, in that language.
    public var ownName: String {
        switch self {
        case .english: return "English"
        case .chinese: return "中文"
        }
    }
}

/// Sentences of a fixed set, translated by pattern: each entry is an English sentence as a
/// regular expression that must match the whole text, and its translation. In a translation,
/// `$1`, `$2`… stand for the captured parts as written (names, values, numbers); `@1`, `@2`…
/// for the captured part translated by the same book — an entry whose `@` part has no
/// translation does not match, so a value is never half-translated.
public struct PhraseBook: Sendable {
    nonisolated(unsafe) private let entries: [(pattern: Regex<AnyRegexOutput>, template: String)]

    /// `entries` pairs a pattern with its translation; a bad pattern is a programming error.
    public init(_ entries: [(String, String)]) {
        self.entries = entries.map { (try! Regex($0.0), $0.1) }
    }

    /// The translation of the first entry that matches all of `text`, nil when none does.
    public func translation(of text: String) -> String? {
        entries: for (pattern, template) in entries {
            guard let match = text.wholeMatch(of: pattern) else { continue }
            var result = template
            // From the last capture down, so that `$1` never eats the start of `$12`.
            for index in stride(from: match.output.count - 1, through: 1, by: -1) {
                let captured = match.output[index].substring.map(String.init) ?? ""
                if result.contains("@\(index)") {
                    guard let translated = translation(of: captured) else { continue entries }
                    result = result.replacingOccurrences(of: "@\(index)", with: translated)
                }
                result = result.replacingOccurrences(of: "$\(index)", with: captured)
            }
            return result
        }
        return nil
    }

    /// The translations, for completeness tests.
    public var templates: [String] { entries.map(\.template) }
}
