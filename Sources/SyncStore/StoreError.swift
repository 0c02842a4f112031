import SyncCore

/// Why the device store refused an operation. Codes are stable; the CLI prints the message.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ validation: ValidationError) {
        self.init(code: validation.code.rawValue, message: validation.message)
    }

    public var description: String { message }

    public static func recordNotFound(_ entity: String, _ id: String) -> StoreError {
        StoreError(code: "record_not_found", message: "no \(entity) with id \(id)")
    }

    public static func recordExists(_ entity: String, _ id: String) -> StoreError {
        StoreError(code: "record_exists", message: "a \(entity) with id \(id) already exists")
    }

    public static func unknownReference(field: String, entity: String, id: String) -> StoreError {
        StoreError(code: "unknown_reference", message: "field '\(field)' names \(entity) \(id), which is not on this device")
    }
}
