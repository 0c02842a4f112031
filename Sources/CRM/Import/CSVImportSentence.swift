/// What the CSV import says about one problem: a sentence of `CSVImportMessage` with its
/// values, rendered in the reader's language by `text(_:)` (the English is what `--json`,
/// logs and `message` keep).
public struct CSVImportSentence: Hashable, Sendable {
    public var message: CSVImportMessage
    /// The values of the sentence's `{placeholders}`.
    public var values: [String: Value]

    /// A value inside a sentence.
    public indirect enum Value: Hashable, Sendable {
        /// A line, a column, a name, an id, a number: the same in every language.
        case verbatim(String)
        /// An entity's name, in the reader's language (`SchemaLabels`).
        case entity(String)
        /// A sentence or word of the catalogue, with its own values.
        case sentence(CSVImportSentence)
        /// A refusal a shared library built in English (a value's or a record's), translated
        /// by pattern (`RefusalPhrases`), with its code's gist when no pattern matches.
        case refusal(String, code: String)
        /// What a probable duplicate shares with the record it resembles (`DuplicateKeys`).
        case sharedKey(DuplicateKeys.Kind, String)

        public func text(_ language: Language) -> String {
            switch self {
            case .verbatim(let text): return text
            case .entity(let name): return SchemaLabels.entity(name, language)
            case .sentence(let sentence): return sentence.text(language)
            case .refusal(let english, let code): return RefusalPhrases.refusal(code: code, english, language)
            case .sharedKey(let kind, let key): return DuplicateKeys.reason([(kind, key)], language)
            }
        }
    }

    /// `message` with its `{placeholders}` filled from `values`: a `Value` or a sentence is
    /// kept as it is, anything else is written as it prints.
    public init(_ message: CSVImportMessage, _ values: KeyValuePairs<String, Any> = [:]) {
        self.message = message
        var filled: [String: Value] = [:]
        for (name, value) in values {
            switch value {
            case let value as Value: filled[name] = value
            case let sentence as CSVImportSentence: filled[name] = .sentence(sentence)
            default: filled[name] = .verbatim("\(value)")
            }
        }
        self.values = filled
    }

    /// A sentence a shared library built, passed on as it is (translated by pattern).
    public static func refusal(_ english: String, code: String) -> CSVImportSentence {
        CSVImportSentence(.reason, ["reason": Value.refusal(english, code: code)])
    }

    /// The sentence in `language`.
    public func text(_ language: Language) -> String {
        message.text(language, filling: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text(language)) })
    }
}
