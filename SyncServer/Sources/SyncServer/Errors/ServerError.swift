import CRM
import SyncCore

/// A request-level failure of the sync server: a stable machine-readable code, a message for
/// people, and the HTTP status the routes answer with.
///
/// Per-change refusals are not errors: they travel as `ChangeResult`s inside a successful
/// response. A `ServerError` refuses the whole request, and a request refused this way changed
/// nothing on the server.
public struct ServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable codes of request-level failures.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case malformedJSON = "malformed_json"
        case unknownKey = "unknown_key"
        case duplicateKey = "duplicate_key"
        case nestingTooDeep = "nesting_too_deep"
        case badEncoding = "bad_encoding"
        case unsupportedMediaType = "unsupported_media_type"
        case payloadTooLarge = "payload_too_large"
        case tooManyChanges = "too_many_changes"
        case unsupportedProtocolVersion = "unsupported_protocol_version"
        case invalidRequest = "invalid_request"
        case unauthorized = "unauthorized"
        case deviceRevoked = "device_revoked"
        case deviceWiped = "device_wiped"
        case invalidEnrollmentCode = "invalid_enrollment_code"
        case forbidden = "forbidden"
        case replicaMismatch = "replica_mismatch"
        case replicaAlreadyEnrolled = "replica_already_enrolled"
        case deviceNotRevoked = "device_not_revoked"
        case cursorAhead = "cursor_ahead"
        case userExists = "user_exists"
        case invalidUser = "invalid_user"
        case invalidImport = "invalid_import"
        /// A territory not on the server's list (`fieldsync-server territory add`).
        case unknownTerritory = "unknown_territory"
        /// A territory users work in or accounts belong to cannot be removed.
        case territoryInUse = "territory_in_use"
        /// Another territory already has this title.
        case territoryExists = "territory_exists"
        case notFound = "not_found"
        case conflictNotOpen = "conflict_not_open"
        /// An adjustment would take more loyalty points than no device holds as escrow.
        case loyaltyBalanceExceeded = "loyalty_balance_exceeded"
        case rateLimited = "rate_limited"
        case serverBusy = "server_busy"
        case internalError = "internal_error"

        /// The HTTP status code a route answers this failure with.
        public var httpStatus: Int {
            switch self {
            case .malformedJSON, .unknownKey, .duplicateKey, .nestingTooDeep, .badEncoding, .unsupportedProtocolVersion,
                .invalidRequest, .invalidUser, .invalidImport, .unknownTerritory:
                return 400
            case .unauthorized, .deviceRevoked, .invalidEnrollmentCode:
                return 401
            case .forbidden, .replicaMismatch:
                return 403
            case .notFound:
                return 404
            case .replicaAlreadyEnrolled, .deviceNotRevoked, .cursorAhead, .userExists, .conflictNotOpen, .territoryInUse, .territoryExists, .loyaltyBalanceExceeded:
                return 409
            case .deviceWiped:
                return 410
            case .payloadTooLarge, .tooManyChanges:
                return 413
            case .unsupportedMediaType:
                return 415
            case .rateLimited:
                return 429
            case .internalError:
                return 500
            case .serverBusy:
                return 503
            }
        }
    }

    public var code: Code
    /// The sentence, rendered in the reader's language by `message(in:)`.
    public var sentence: ServerMessage
    /// The values of the sentence's `{placeholders}`.
    public var values: [String: Value]
    /// For `rate_limited` and `server_busy`: the seconds the client should wait (the `Retry-After` header).
    public var retryAfterSeconds: Int?

    /// A value inside a message.
    public indirect enum Value: Hashable, Sendable {
        /// An id, a name, a number: the same in every language.
        case verbatim(String)
        /// A word of the catalogue (a conflict's status), in the message's language.
        case word(ServerMessage)
        /// A sentence still built as English text (a report parameter's or a JSON reader's
        /// complaint), translated by pattern (`RefusalPhrases`).
        case phrase(String, code: String)
        /// The refusal this one reports on (an import's record N).
        case error(ServerError)
        /// A refusal a shared library built (a schema, record or loyalty rule), typed.
        case refusal(Refusal)

        func text(_ language: Language) -> String {
            switch self {
            case .verbatim(let text): return text
            case .word(let word): return word.text(language)
            case .phrase(let english, let code): return RefusalPhrases.refusal(code: code, english, language)
            case .error(let error): return error.message(in: language)
            case .refusal(let refusal): return refusal.text(language)
            }
        }
    }

    /// A refusal saying `sentence` with its `{placeholders}` filled from `values`: a
    /// `ServerError` or a `Value` is kept as it is, anything else is written as it prints.
    public init(_ code: Code, _ sentence: ServerMessage, _ values: KeyValuePairs<String, Any> = [:]) {
        self.code = code
        self.sentence = sentence
        var filled: [String: Value] = [:]
        for (name, value) in values {
            switch value {
            case let value as Value: filled[name] = value
            case let error as ServerError: filled[name] = .error(error)
            default: filled[name] = .verbatim("\(value)")
            }
        }
        self.values = filled
    }

    /// A refusal that passes on a sentence built as English text (a report parameter's
    /// complaint), translated by pattern; `reasonCode` picks its Chinese gist when no pattern
    /// matches. A shared library's typed refusal goes through `init(_:refusal:)`.
    public init(_ code: Code, reason: String, reasonCode: String? = nil) {
        self.init(code, .reason, ["reason": Value.phrase(reason, code: reasonCode ?? code.rawValue)])
    }

    /// A refusal that passes on a typed sentence of a shared library (a schema, record,
    /// territory or loyalty rule), said in the reader's language.
    public init(_ code: Code, refusal: Refusal) {
        self.init(code, .reason, ["reason": Value.refusal(refusal)])
    }

    /// The message in `language`.
    public func message(in language: Language) -> String {
        sentence.text(language, filling: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text(language)) })
    }

    /// The message in English, as logs and `description` say it.
    public var message: String { message(in: .english) }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The JSON body of the error response, its message in `language`.
    public func body(in language: Language = .english) -> ErrorBody {
        ErrorBody(code: code.rawValue, message: message(in: language))
    }
}

extension ServerError {
    /// What a revoked device is told, whether it syncs or replays its consumed enrollment code.
    public static let revokedDevice = ServerError(.deviceRevoked, .deviceRevoked)

    /// What a wiped device is told; the client deletes its local store on this answer.
    public static let wipedDevice = ServerError(.deviceWiped, .deviceWiped)
}
