/// A JSON parser for the sync protocol's own types, several times faster than `JSONDecoder`,
/// whose keyed containers cost more than the SQLite work of storing what they decode.
///
/// `JSONReader` parses RFC 8259 text into a `JSONNode` tree in one pass over the bytes; the
/// `init(json:)` initialisers of the wire types (`WireDecoding.swift`) read the tree with the
/// same rules as their `Codable` conformances: the same keys, optional keys absent or `null`,
/// unknown keys ignored, integers only where the type holds integers. Anything else throws a
/// `JSONReadError` naming what was wrong and where.
///
/// Numbers: the wire types hold only integers, so a fraction or exponent is an error, as is an
/// integer outside Int64. Strings: escapes are decoded (with surrogate pairs), control
/// characters must be escaped, and invalid UTF-8 is an error.
public struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    public static let maxDepth = 64

    /// Parses one JSON text (surrounding white space allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> JSONNode {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        let node = try reader.value()
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.error("unexpected text after the JSON value") }
        return node
    }

    public static func parse(_ text: String) throws(JSONReadError) -> JSONNode {
        var text = text
        do {
            return try text.withUTF8 { buffer in try parse(buffer) }
        } catch let error as JSONReadError {
            throw error
        } catch {
            throw JSONReadError(message: "\(error)", offset: 0)
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONReadError) -> JSONNode {
        do {
            return try bytes.withUnsafeBufferPointer { buffer in try parse(buffer) }
        } catch let error as JSONReadError {
            throw error
        } catch {
            throw JSONReadError(message: "\(error)", offset: 0)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func error(_ message: String) -> JSONReadError {
        JSONReadError(message: message, offset: position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func value() throws(JSONReadError) -> JSONNode {
        guard position < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try integer())
        default: throw error("unexpected character '\(Unicode.Scalar(bytes[position]))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of JSON") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw error("invalid literal") }
        position += count
    }

    private mutating func enter() throws(JSONReadError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("JSON nested deeper than \(Self.maxDepth) levels") }
    }

    private mutating func object() throws(JSONReadError) -> JSONNode {
        try enter()
        defer { depth -= 1 }
        position += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(members: members))
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            position += 1
            skipWhitespace()
            members.append(JSONMember(key: key, value: try value()))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON in an object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(JSONObject(members: members))
            } else {
                throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array() throws(JSONReadError) -> JSONNode {
        try enter()
        defer { depth -= 1 }
        position += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON in an array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            } else {
                throw error("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func integer() throws(JSONReadError) -> Int64 {
        let start = position
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) else {
            throw error("expected a digit")
        }
        if bytes[position] == UInt8(ascii: "0"), position + 1 < bytes.count,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position + 1]) {
            throw error("a number cannot start with 0")
        }
        // Accumulate negatively, so Int64.min fits.
        var value: Int64 = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            let digit = Int64(bytes[position] - UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times.subtractingReportingOverflow(digit)
            guard !overflow1, !overflow2 else {
                position = start
                throw error("integer out of range")
            }
            value = next
            position += 1
        }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            position = start
            throw error("expected an integer, found a decimal number")
        }
        if negative { return value }
        guard value != Int64.min else {
            position = start
            throw error("integer out of range")
        }
        return -value
    }

    private mutating func string() throws(JSONReadError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes. ASCII text needs no UTF-8 validation.
        var ascii = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw JSONReadError(message: "invalid UTF-8 in a string", offset: start)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw error("unescaped control character in a string") }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONReadError(message: "invalid UTF-8 in a string", offset: start)
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in a string")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("unpaired surrogate in a string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    utf8.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
                default:
                    throw error("invalid escape '\\\(Unicode.Scalar(escape))'")
                }
            default:
                guard byte >= 0x20 else { throw error("unescaped control character in a string") }
                utf8.append(byte)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("unexpected end of JSON in a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}

/// A parsed JSON value.
public enum JSONNode: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)
}

/// A JSON object's members in document order. Lookups are linear: the protocol's objects have
/// a handful of keys. With a repeated key the last one counts, as with `JSONDecoder`.
public struct JSONObject: Sendable, Hashable {
    public var members: [JSONMember]

    public init(members: [JSONMember]) {
        self.members = members
    }

    public subscript(key: String) -> JSONNode? {
        members.last { $0.key == key }?.value
    }
}

/// One `"key": value` of an object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONNode

    public init(key: String, value: JSONNode) {
        self.key = key
        self.value = value
    }
}

/// Why a JSON text could not be read: bad syntax (with the byte offset) or a value of the
/// wrong shape for the type being read (with its path).
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int?
    public var path: [String] = []

    public init(message: String, offset: Int? = nil, path: [String] = []) {
        self.message = message
        self.offset = offset
        self.path = path
    }

    public var description: String {
        var text = message
        if !path.isEmpty { text += " at \(path.joined(separator: "."))" }
        if let offset { text += " (byte \(offset))" }
        return text
    }
}
