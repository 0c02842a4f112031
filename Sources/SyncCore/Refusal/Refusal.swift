/// A refusal sentence with its values: what a `ValidationError` or a `CodedError` says, kept
/// typed until it reaches a reader, who reads it in their language (`text(chinese:)`; CRM's
/// `text(_ language:)`). `english` is the wire's `message` when no language is asked.
public struct Refusal: Hashable, Sendable, CustomStringConvertible {
    /// The sentence: a key of the catalogue, with its English and Chinese text.
    public var sentence: RefusalSentence
    /// The values of the sentence's `{placeholders}`.
    public var values: [String: Value]

    /// A value inside a refusal.
    public indirect enum Value: Hashable, Sendable {
        /// An id, a name, a number, a field name: the same in every language.
        case verbatim(String)
        /// A refusal this one reports on (a field's own refusal, a status machine's next steps).
        case refusal(Refusal)
        /// Several refusals, said one after the other.
        case refusals([Refusal])
        /// A value its maker already said in both languages (a library's problem it describes).
        case bilingual(english: String, chinese: String)
    }

    /// `sentence` with its `{placeholders}` filled from `values`: a `Refusal`, a list of them
    /// or a `Value` is kept typed, anything else is written as it prints.
    public init(_ sentence: RefusalSentence, _ values: KeyValuePairs<String, Any> = [:]) {
        self.sentence = sentence
        var filled: [String: Value] = [:]
        for (name, value) in values {
            switch value {
            case let value as Value: filled[name] = value
            case let refusal as Refusal: filled[name] = .refusal(refusal)
            case let refusals as [Refusal]: filled[name] = .refusals(refusals)
            default: filled[name] = .verbatim("\(value)")
            }
        }
        self.values = filled
    }

    /// The sentence in English (`chinese == false`) or Simplified Chinese, its values filled in
    /// one pass (a value that holds `{…}` is kept as it is); `entityName` says the values of
    /// the placeholders that name an entity (`entityPlaceholders`) in that language.
    public func text(chinese: Bool, entityName: (String) -> String = { $0 }) -> String {
        let template = chinese ? sentence.texts.chinese : sentence.texts.english
        var filled: [String: String] = [:]
        for (name, value) in values {
            switch value {
            case .verbatim(let text): filled[name] = Refusal.entityPlaceholders.contains(name) ? entityName(text) : text
            case .refusal(let refusal): filled[name] = refusal.text(chinese: chinese, entityName: entityName)
            case .refusals(let refusals):
                filled[name] = refusals.map { $0.text(chinese: chinese, entityName: entityName) }.joined(separator: chinese ? "；" : "; ")
            case .bilingual(let english, let chineseText): filled[name] = chinese ? chineseText : english
            }
        }
        return Placeholders.fill(template, filled)
    }

    /// The placeholders whose value is an entity's name (`account`), which a reader may read
    /// as its label in their language.
    public static let entityPlaceholders: Set<String> = ["entity", "subject", "referenced", "found"]

    /// The sentence in English: the wire's `message` when no language is asked, logs, `--json`.
    public var english: String { text(chinese: false) }

    public var description: String { english }
}
