/// A refusal with a stable code that devices and scripts rely on and a message a person can act
/// on, described as `message [code]`. `Code` lists one area's codes: `LoyaltyError` (the points
/// ledger), `VisitPlanError` (visit plans and follow-ups).
public struct CodedError<Code: RawRepresentable & Sendable & Hashable>: Error, Sendable, Hashable, CustomStringConvertible
where Code.RawValue == String {
    public var code: Code
    /// The sentence, typed, for a reader in their language (CRM's `message(in:)`).
    public var refusal: Refusal
    /// The message in English: what logs, `--json` and the wire without a language say.
    public var message: String { refusal.english }

    public init(_ code: Code, _ refusal: Refusal) {
        self.code = code
        self.refusal = refusal
    }

    /// A refusal saying `sentence` with its `{placeholders}` filled from `values`.
    public init(_ code: Code, _ sentence: RefusalSentence, _ values: KeyValuePairs<String, Any> = [:]) {
        self.init(code, Refusal(sentence, values))
    }

    public var description: String { "\(message) [\(code.rawValue)]" }
}
