import SyncCore

/// The refusal sentences are a catalogue: `RefusalSentence.problems` lists any without both
/// languages or with other placeholders in Chinese.
extension RefusalSentence: Catalogue {}

extension Refusal {
    /// The sentence in `language`, its values as typed; entity names are said by their label
    /// in that language (`SchemaLabels`), as the CLI says them elsewhere.
    public func text(_ language: Language) -> String {
        text(chinese: language == .chinese) { SchemaLabels.entity($0, language) }
    }
}

extension ValidationError {
    /// The message in `language` (`message` is the English).
    public func message(in language: Language) -> String { refusal.text(language) }
}

extension CodedError {
    /// The message in `language` (`message` is the English).
    public func message(in language: Language) -> String { refusal.text(language) }
}
