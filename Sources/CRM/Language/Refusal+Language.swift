import SyncCore

/// The refusal sentences are a catalogue: `RefusalSentence.problems` lists any without both
/// languages or with other placeholders in Chinese.
extension RefusalSentence: Catalogue {}

extension Refusal {
    /// The sentence in `language`, its values as typed.
    public func text(_ language: Language) -> String { text(chinese: language == .chinese) }
}

extension ValidationError {
    /// The message in `language` (`message` is the English).
    public func message(in language: Language) -> String { refusal.text(language) }
}

extension CodedError {
    /// The message in `language` (`message` is the English).
    public func message(in language: Language) -> String { refusal.text(language) }
}
