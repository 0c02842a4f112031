/// The expected shape of a request body, for the checks `JSONDecoder` does not make.
///
/// Only objects are described: which keys they may hold. Types and required keys are left to
/// the `Decodable` types, which report them with the JSON path.
indirect enum JSONShape: Sendable {
    /// Anything (scalars, or values the decoder checks alone).
    case any
    /// An object with exactly these optional keys.
    case object([String: JSONShape])
    /// An object with free keys (a version vector, a record's fields), each value of this shape.
    case map(JSONShape)
    /// An array whose elements have this shape.
    case array(JSONShape)
}

/// A strict reading of untrusted JSON before it is decoded: syntax (RFC 8259), nesting depth,
/// duplicate keys, and keys the endpoint does not know. One linear pass over the bytes with an
/// explicit depth bound, so no input can exhaust the stack or hide a second value under a key
/// the decoder would silently overwrite.
///
/// Why unknown keys are refused: a misspelt optional key ("curser") would otherwise be ignored
/// and the request would do something else than its sender meant. New optional keys come with
/// a new protocol version, which the server checks first.
struct StrictJSON {
    /// How deep objects and arrays may nest. The deepest valid request nests 5 levels.
    static let maxDepth = 32

    private let bytes: [UInt8]
    private var index = 0
    private let maxDepth: Int

    /// Checks `bytes` against `shape`; throws a `ServerError` naming the JSON path.
    static func check(_ bytes: [UInt8], shape: JSONShape, maxDepth: Int = StrictJSON.maxDepth) throws(ServerError) {
        var reader = StrictJSON(bytes: bytes, maxDepth: maxDepth)
        reader.skipWhitespace()
        try reader.value(shape: shape, path: "", depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else {
            throw reader.syntaxError("unexpected data after the JSON value")
        }
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func syntaxError(_ what: String) -> ServerError {
        ServerError(.malformedJSON, "\(what) at byte \(index)")
    }

    private static func place(_ path: String) -> String { path.isEmpty ? "the top level" : path }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(ServerError) {
        guard current == byte else {
            throw syntaxError("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func value(shape: JSONShape, path: String, depth: Int) throws(ServerError) {
        // An object, a map and an array take nothing else but null (an absent optional), so the
        // check and the decoders agree on what a list or an object is (`"changes": {}` is not a
        // list of changes).
        func refuse(_ expected: String) -> ServerError {
            ServerError(.malformedJSON, "at \(Self.place(path)): expected \(expected)")
        }
        switch (shape, current) {
        case (_, UInt8(ascii: "n")?), (.any, _): break
        case (.object, UInt8(ascii: "{")?), (.map, UInt8(ascii: "{")?), (.array, UInt8(ascii: "[")?): break
        case (.object, _), (.map, _): throw refuse("an object")
        case (.array, _): throw refuse("an array")
        }
        switch current {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else {
                throw ServerError(.nestingTooDeep, "the JSON nests deeper than \(maxDepth) levels at \(Self.place(path))")
            }
            try object(shape: shape, path: path, depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < maxDepth else {
                throw ServerError(.nestingTooDeep, "the JSON nests deeper than \(maxDepth) levels at \(Self.place(path))")
            }
            try array(shape: shape, path: path, depth: depth + 1)
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
        case .some(let byte) where byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")):
            try number(path: path)
        default:
            throw syntaxError(current == nil ? "unexpected end of the JSON" : "unexpected character")
        }
    }

    private mutating func object(shape: JSONShape, path: String, depth: Int) throws(ServerError) {
        index += 1
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw syntaxError("expected a key") }
            let key = try string()
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard seen.insert(key).inserted else {
                throw ServerError(.duplicateKey, "the key '\(key)' appears twice in the object at \(Self.place(path))")
            }
            let valueShape: JSONShape
            switch shape {
            case .object(let keys):
                guard let known = keys[key] else {
                    let expected = keys.keys.sorted().joined(separator: ", ")
                    throw ServerError(.unknownKey, "unknown key '\(key)' in the object at \(Self.place(path)) (allowed: \(expected))")
                }
                valueShape = known
            case .map(let element):
                valueShape = element
            case .any, .array:
                valueShape = .any
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try value(shape: valueShape, path: keyPath, depth: depth)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return
        }
    }

    private mutating func array(shape: JSONShape, path: String, depth: Int) throws(ServerError) {
        index += 1
        let elementShape: JSONShape
        if case .array(let element) = shape { elementShape = element } else { elementShape = .any }
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            skipWhitespace()
            try value(shape: elementShape, path: "\(path)[\(position)]", depth: depth)
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    private mutating func literal(_ text: String) throws(ServerError) {
        let expected = Array(text.utf8)
        guard index + expected.count <= bytes.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw syntaxError(index + expected.count > bytes.count ? "unexpected end of the JSON" : "unexpected character")
        }
        index += expected.count
    }

    private mutating func digits() -> Int {
        let start = index
        while let byte = current, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    /// Every number of the protocol is an integer (decimals travel as strings), so a fraction
    /// or an exponent is refused even where it would be whole: `1e3` and `1629.0` are not
    /// integers on this wire, and no reader may round them into one.
    private mutating func number(path: String) throws(ServerError) {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw syntaxError("malformed number") }
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw syntaxError("malformed number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw syntaxError("malformed number") }
        }
        let text = bytes[start..<index]
        if text.contains(UInt8(ascii: ".")) || text.contains(UInt8(ascii: "e")) || text.contains(UInt8(ascii: "E")) {
            throw ServerError(
                .malformedJSON,
                "at \(Self.place(path)): \(String(decoding: text, as: UTF8.self)) is not an integer (numbers are integers written without a fraction or an exponent; decimals travel as strings)"
            )
        }
    }

    /// Reads a string and returns its decoded text (keys are compared decoded, so "\u0063ursor"
    /// is "cursor").
    private mutating func string() throws(ServerError) -> String {
        index += 1
        let start = index
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = current else { throw syntaxError("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                // Most strings have no escape: one String straight from the bytes.
                if runStart == start {
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    return text
                }
                flush(index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(index)
                index += 1
                guard let escape = current else { throw syntaxError("unterminated string") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hexQuad()
                    if (0xD800...0xDBFF).contains(code), current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw syntaxError("invalid surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    // A lone surrogate decodes to U+FFFD, as JSONDecoder would refuse it anyway.
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw syntaxError("invalid escape")
                }
                runStart = index
            case 0x00...0x1F:
                throw syntaxError("control character in a string")
            default:
                index += 1
            }
        }
    }

    private mutating func hexQuad() throws(ServerError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw syntaxError("unterminated string") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntaxError("invalid \\u escape")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }
}

/// The shapes of the request bodies the server reads, kept next to the Codable types they
/// describe. `OpenAPIDocumentTests` checks that they list the same keys as openapi.yaml.
enum RequestShapes {
    static let dot = JSONShape.object(["r": .any, "c": .any])
    static let hlc = JSONShape.object(["ms": .any, "n": .any])
    static let operation = JSONShape.object(["field": .any, "op": .any, "value": .any, "inc": .any, "dec": .any])
    static let change = JSONShape.object([
        "entity": .any, "id": .any, "dot": dot, "hlc": hlc, "ctx": .map(.any), "ops": .array(operation),
    ])
    static let bootstrap = JSONShape.object([
        "highWater": .any, "afterEntity": .any, "afterID": .any, "phase": .any, "priority": .array(.any), "day": .any,
    ])
    static let syncRequest = JSONShape.object([
        "protocol": .any, "replica": .any, "clientTime": .any, "cursor": .any, "changes": .array(change),
        "bootstrap": bootstrap, "limit": .any,
    ])
    static let enrollRequest = JSONShape.object(["code": .any, "replica": .any, "deviceName": .any])
    static let reassignDeviceRequest = JSONShape.object(["user": .any])
    static let createUserRequest = JSONShape.object(["name": .any, "role": .any, "territories": .array(.any), "team": .array(.any)])
    static let updateUserRequest = JSONShape.object(["territories": .array(.any), "team": .array(.any)])
    static let conflictResolution = JSONShape.object([
        "action": .any, "sibling": dot, "value": .any, "text": .any, "survivor": .any, "fields": .any, "note": .any,
    ])
    static let conflictDismissal = JSONShape.object(["reason": .any])
    static let duplicateMergeRequest = JSONShape.object(["entity": .any, "survivor": .any, "duplicate": .any, "fields": .any, "note": .any])
}
