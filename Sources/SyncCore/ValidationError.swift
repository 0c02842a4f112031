/// Why a change or a value does not fit the schema. Codes are stable and machine readable;
/// the server returns them per change and the CLI prints the message, both in the reader's
/// language (the sentence is a typed `Refusal`).
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case unknownEntity = "unknown_entity"
        case unknownField = "unknown_field"
        case typeMismatch = "type_mismatch"
        case kindMismatch = "kind_mismatch"
        case valueTooLong = "value_too_long"
        case invalidValue = "invalid_value"
        case missingRequiredField = "missing_required_field"
        case readOnlyEntity = "read_only_entity"
        case invalidRecordID = "invalid_record_id"
        case tooManyOperations = "too_many_operations"
        case malformedChange = "malformed_change"
        case invalidTransition = "invalid_transition"
        case controlCharacter = "control_character"
        /// A territory not on the server's list (`fieldsync-server territory list`).
        case unknownTerritory = "unknown_territory"
        /// A field a workflow owns (a ticket's SLA times, a deal's close day, the tier a
        /// classification sets) written by hand by someone who may not correct it
        /// (`EntitySchema.workflowOwnedFields`).
        case workflowOwnedField = "workflow_owned_field"
    }

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

    public var description: String { "\(code.rawValue): \(message)" }
}
