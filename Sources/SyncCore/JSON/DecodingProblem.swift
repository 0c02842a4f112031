/// The facts of a Foundation `DecodingError`, without its English prose: where in the document
/// (`changes[0].dot.r`, empty for the top level) and what was wrong (a missing key, a value of
/// another type, a null, a value its own decoder refused with its reason). The server writes
/// them in its `ServerMessage` sentences, the device in `description`, which the CLI's phrase
/// book translates; both say the same in both languages.
public struct DecodingProblem: Sendable, Hashable, CustomStringConvertible {
    /// What a value should have been.
    public enum Expected: Sendable, Hashable {
        case string, integer, number, bool, array, object
        /// Another type, by its Swift name.
        case other(String)

        init(_ type: Any.Type) {
            switch type {
            case is String.Type, is Substring.Type: self = .string
            case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is UInt32.Type, is UInt.Type: self = .integer
            case is Double.Type, is Float.Type: self = .number
            case is Bool.Type: self = .bool
            case is [Any].Type: self = .array
            default:
                let name = String(describing: type)
                self = name.hasPrefix("Dictionary") ? .object : .other(name)
            }
        }

        /// "a string", "an integer"…, as the English sentences say it.
        public var english: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .number: return "a number"
            case .bool: return "true or false"
            case .array: return "an array"
            case .object: return "an object"
            case .other(let name): return name
            }
        }
    }

    public enum Kind: Sendable, Hashable {
        /// The bytes are not JSON at all (the parser under the decoder refused them).
        case notJSON
        case missingKey(String)
        case wrongType(Expected)
        case null(Expected)
        /// A value its type's decoder refused, with the reason it gave (our own decoders give
        /// sentences the phrase books know, such as "not a replica UUID: …").
        case corrupted(String)
    }

    /// Where: the coding path as `changes[0].dot.r`; empty for the top level.
    public var place: String
    public var kind: Kind

    public init(place: String, kind: Kind) {
        self.place = place
        self.kind = kind
    }

    public init(_ error: DecodingError) {
        func place(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(place: place(context.codingPath), kind: .missingKey(key.stringValue))
        case .typeMismatch(let type, let context):
            self.init(place: place(context.codingPath), kind: .wrongType(Expected(type)))
        case .valueNotFound(let type, let context):
            self.init(place: place(context.codingPath), kind: .null(Expected(type)))
        case .dataCorrupted(let context) where context.codingPath.isEmpty && (context.underlyingError != nil || context.debugDescription == Self.foundationNotJSON):
            self.init(place: "", kind: .notJSON)
        case .dataCorrupted(let context):
            self.init(place: place(context.codingPath), kind: .corrupted(context.debugDescription))
        @unknown default:
            self.init(place: "", kind: .corrupted("\(error)"))
        }
    }

    /// What Foundation's `JSONDecoder` says of bytes that are not JSON (on Linux without an
    /// underlying error to tell it by).
    static let foundationNotJSON = "The given data was not valid JSON."

    /// What is wrong, without the place: "missing key 'id'", "expected a string", …
    public var what: String {
        switch kind {
        case .notJSON: return "not valid JSON"
        case .missingKey(let key): return "missing key '\(key)'"
        case .wrongType(let expected): return "expected \(expected.english)"
        case .null(let expected): return "expected \(expected.english), found null"
        case .corrupted(let reason): return reason
        }
    }

    /// "at records[3].id: expected a string", or the `what` alone at the top level.
    public var description: String { place.isEmpty ? what : "at \(place): \(what)" }
}
