import Foundation
import SyncCore

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

/// A catalogue of fixed strings in every `Language`: an enum whose cases are the keys and whose
/// `texts` is a switch over every case, so a key without both texts does not compile. `{name}`
/// in a text marks a value filled in by `text(_:_:)`. The admin page (`AdminString`) and the
/// command line (`CLIString`) are catalogues; sentences built elsewhere and translated by
/// pattern are in a `PhraseBook`.
public protocol Catalogue: CaseIterable, Sendable {
    /// The English and the Simplified Chinese text.
    var texts: (english: String, chinese: String) { get }
}

extension Catalogue {
    /// The text in `language`, with each `{name}` of `arguments` filled in.
    public func text(_ language: Language, _ arguments: KeyValuePairs<String, Any> = [:]) -> String {
        text(language, filling: arguments.map { ($0.key, "\($0.value)") })
    }

    /// The text in `language`, with each `{name}` of `arguments` filled in (names and values
    /// known only at run time), in one pass: a value that holds `{…}` is kept as it is.
    public func text(_ language: Language, filling arguments: [(name: String, value: String)]) -> String {
        let text = language == .english ? texts.english : texts.chinese
        guard !arguments.isEmpty else { return text }
        return Placeholders.fill(text, Dictionary(arguments, uniquingKeysWith: { first, _ in first }))
    }

    /// What is wrong with the catalogue, for its completeness test: entries empty in a
    /// language, Chinese texts with no Chinese in them (where the English has words, not only
    /// placeholders and marks), and entries whose two texts do not have the same
    /// `{placeholders}`.
    public static var problems: [String] {
        allCases.compactMap { key in
            let (english, chinese) = key.texts
            if english.isEmpty || chinese.isEmpty { return "\(key) is empty in a language" }
            let holes = { (text: String) in Set(text.matches(of: /\{\w+\}/).map { String($0.output) }) }
            let hasWords = english.replacing(/\{\w+\}/, with: "").contains(where: \.isLetter)
            if hasWords && !chinese.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { return "\(key) has no Chinese: \(chinese)" }
            if holes(english) != holes(chinese) { return "\(key) has other placeholders in Chinese: \(english) / \(chinese)" }
            return nil
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
