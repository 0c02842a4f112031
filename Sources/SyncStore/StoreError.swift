import SyncCore

/// Why the device store refused an operation. Codes are stable; the CLI prints the message in
/// the reader's language (the sentence is a typed `Refusal`).
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    /// The sentence, typed, for a reader in their language.
    public var refusal: Refusal
    /// The message in English: what logs and scripts read.
    public var message: String { refusal.english }

    public init(code: String, _ refusal: Refusal) {
        self.code = code
        self.refusal = refusal
    }

    /// A refusal saying `sentence` with its `{placeholders}` filled from `values`.
    public init(code: String, _ sentence: RefusalSentence, _ values: KeyValuePairs<String, Any> = [:]) {
        self.init(code: code, Refusal(sentence, values))
    }

    public init(_ validation: ValidationError) {
        self.init(code: validation.code.rawValue, validation.refusal)
    }

    public var description: String { message }

    public static func recordNotFound(_ entity: String, _ id: String) -> StoreError {
        StoreError(code: "record_not_found", .recordNotFound, ["entity": entity, "id": id])
    }

    public static func recordExists(_ entity: String, _ id: String) -> StoreError {
        StoreError(code: "record_exists", .recordExists, ["entity": entity, "id": id])
    }

    public static func unknownReference(field: String, entity: String, id: String) -> StoreError {
        StoreError(code: "unknown_reference", .referenceNotOnDevice, ["field": field, "entity": entity, "id": id])
    }
}
