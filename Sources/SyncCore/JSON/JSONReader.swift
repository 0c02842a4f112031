/// The one JSON parser of the sync protocol: it reads the requests that come from the network,
/// the answers a device receives and the server's stored changes and states, several times
/// faster than `JSONDecoder`, whose keyed containers cost more than the SQLite work of storing
/// what they decode.
///
/// `JSONReader` parses RFC 8259 text in one pass over the bytes into a `JSONDocument`: its
/// values in document order on one flat tape, each string left in the text as a byte range
/// (validated, decoded only when read), so a parse allocates the tape and not a node per
/// value. `JSONNode` is a position on that tape. The `init(json:)` initialisers of the wire
/// types (`WireDecoding.swift`) read the nodes, through `JSONView`s that count no references:
/// the same
/// keys as their `Codable` conformances, optional keys absent or `null`, integers only where
/// the type holds integers. Anything else throws a `JSONReadError` naming what was wrong and
/// where (the byte offset of a syntax error, the JSON path of anything else).
///
/// Untrusted input is read with the `JSONShape` its endpoint expects (`parse(_:shape:)`), and
/// the same pass makes the checks `Codable` would not: keys the shape does not list, a key
/// twice in one object, objects where lists belong, and nesting deeper than
/// `strictMaxDepth`. Why unknown keys are refused: a misspelt optional key ("curser") would
/// otherwise be ignored and the request would do something else than its sender meant. New
/// optional keys come with a new protocol version.
///
/// Numbers: every number of the protocol is an integer (decimals travel as strings), so a
/// fraction or an exponent is an error even where it would be whole (`1e3`, `1629.0`), as is
/// an integer outside Int64. Strings: escapes are decoded (with surrogate pairs), control
/// characters must be escaped, and invalid UTF-8 is an error.
public struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private var tape: [JSONDocument.Entry] = []
    /// Reading untrusted input against a shape: duplicate keys refused, `strictMaxDepth`.
    private let strict: Bool
    private let maxDepth: Int

    /// Nesting deeper than this is refused in trusted text (answers, stored state), so no
    /// input can exhaust the stack.
    public static let maxDepth = 64
    /// Nesting deeper than this is refused in a request. The deepest valid request nests 5
    /// levels.
    public static let strictMaxDepth = 32

    /// Parses one JSON text (surrounding white space allowed). With a `shape`, the text is
    /// untrusted: it must have that shape, no object may hold a key twice, and nesting stops at
    /// `strictMaxDepth`.
    public static func parse(_ text: String, shape: JSONShape? = nil) throws(JSONReadError) -> JSONNode {
        try parse(Array(text.utf8), shape: shape)
    }

    /// Parses a copy of `bytes`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, shape: JSONShape? = nil) throws(JSONReadError) -> JSONNode {
        try parse(Array(bytes), shape: shape)
    }

    /// Parses `bytes`, which the document keeps (its strings are read from them).
    public static func parse(_ bytes: [UInt8], shape: JSONShape? = nil) throws(JSONReadError) -> JSONNode {
        let tape = try bytes.withUnsafeBufferPointer { buffer throws(JSONReadError) in try entries(buffer, shape: shape) }
        return JSONNode(document: JSONDocument(bytes: bytes, tape: tape), index: 0)
    }

    private static func entries(_ bytes: UnsafeBufferPointer<UInt8>, shape: JSONShape?) throws(JSONReadError) -> [JSONDocument.Entry] {
        var reader = JSONReader(bytes: bytes, strict: shape != nil)
        // About one value per 8 bytes of the protocol's text.
        reader.tape.reserveCapacity(bytes.count / 8 + 1)
        reader.skipWhitespace()
        guard reader.position < bytes.count else {
            throw JSONReadError(.syntax, message: "the JSON text is empty", offset: 0)
        }
        try reader.value(shape: shape ?? .any)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.syntaxError("unexpected data after the JSON value") }
        return reader.tape
    }

    fileprivate init(bytes: UnsafeBufferPointer<UInt8>, strict: Bool) {
        self.bytes = bytes
        self.strict = strict
        self.maxDepth = strict ? Self.strictMaxDepth : Self.maxDepth
    }

    private func syntaxError(_ message: String) -> JSONReadError {
        JSONReadError(.syntax, message: position < bytes.count ? message : "unexpected end of the JSON", offset: position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Appends the value at `position` (and, for a container, its contents) to the tape.
    private mutating func value(shape: JSONShape) throws(JSONReadError) {
        guard position < bytes.count else { throw syntaxError("unexpected end of the JSON") }
        let byte = bytes[position]
        // An object, a map and an array take nothing else but null (an absent optional), so
        // `"changes": {}` is not a list of changes.
        switch shape {
        case .any: break
        case .object, .map:
            guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "n") else {
                throw JSONReadError(.value, message: "expected an object", offset: position)
            }
        case .array:
            guard byte == UInt8(ascii: "[") || byte == UInt8(ascii: "n") else {
                throw JSONReadError(.value, message: "expected an array", offset: position)
            }
        }
        switch byte {
        case UInt8(ascii: "{"): try object(shape: shape)
        case UInt8(ascii: "["): try array(shape: shape)
        case UInt8(ascii: "\""): tape.append(try string())
        case UInt8(ascii: "t"): try literal("true"); tape.append(JSONDocument.Entry(kind: .bool, a: 1))
        case UInt8(ascii: "f"): try literal("false"); tape.append(JSONDocument.Entry(kind: .bool, a: 0))
        case UInt8(ascii: "n"): try literal("null"); tape.append(JSONDocument.Entry(kind: .null))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): tape.append(JSONDocument.Entry(kind: .int, a: Int(try integer())))
        default: throw syntaxError("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else {
            position = bytes.count
            throw syntaxError("unexpected end of the JSON")
        }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw syntaxError("unexpected character") }
        position += count
    }

    private mutating func enter() throws(JSONReadError) {
        guard depth < maxDepth else {
            throw JSONReadError(.nestingTooDeep(maxDepth), message: "the JSON nests deeper than \(maxDepth) levels", offset: position)
        }
        depth += 1
    }

    private mutating func object(shape: JSONShape) throws(JSONReadError) {
        try enter()
        defer { depth -= 1 }
        position += 1
        let start = tape.count
        tape.append(JSONDocument.Entry(kind: .object))
        var count = 0
        // Keys seen, in strict mode (small objects are scanned, large ones hashed).
        var keys: [String] = []
        var seen: Set<String>?
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            tape[start].b = tape.count
            return
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw syntaxError("expected a key") }
            let keyOffset = position
            let keyEntry = try string()
            tape.append(keyEntry)
            var valueShape = JSONShape.any
            var key: String?
            if strict {
                let name = JSONDocument.Contents.string(keyEntry, in: bytes)
                key = name
                if keys.count < 8 {
                    if keys.contains(name) { throw JSONReadError(.duplicateKey(name), message: "duplicate key", offset: keyOffset) }
                    keys.append(name)
                } else {
                    if seen == nil { seen = Set(keys) }
                    if seen?.insert(name).inserted == false { throw JSONReadError(.duplicateKey(name), message: "duplicate key", offset: keyOffset) }
                }
                switch shape {
                case .object(let allowed):
                    guard let known = allowed[name] else {
                        throw JSONReadError(.unknownKey(name, allowed: allowed.keys.sorted()), message: "unknown key", offset: keyOffset)
                    }
                    valueShape = known
                case .map(let element):
                    valueShape = element
                case .any, .array:
                    break
                }
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw syntaxError("expected ':'") }
            position += 1
            skipWhitespace()
            do {
                try value(shape: valueShape)
            } catch {
                throw error.inside(key ?? JSONDocument.Contents.string(keyEntry, in: bytes))
            }
            count += 1
            skipWhitespace()
            guard position < bytes.count else { throw syntaxError("unexpected end of the JSON") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                tape[start].a = count
                tape[start].b = tape.count
                return
            } else {
                throw syntaxError("expected ',' or '}'")
            }
        }
    }

    private mutating func array(shape: JSONShape) throws(JSONReadError) {
        try enter()
        defer { depth -= 1 }
        position += 1
        let start = tape.count
        tape.append(JSONDocument.Entry(kind: .array))
        var count = 0
        let elementShape: JSONShape
        if case .array(let element) = shape { elementShape = element } else { elementShape = .any }
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            tape[start].b = tape.count
            return
        }
        while true {
            skipWhitespace()
            do {
                try value(shape: elementShape)
            } catch {
                throw error.inside(index: count)
            }
            count += 1
            skipWhitespace()
            guard position < bytes.count else { throw syntaxError("unexpected end of the JSON") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                tape[start].a = count
                tape[start].b = tape.count
                return
            } else {
                throw syntaxError("expected ',' or ']'")
            }
        }
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }

    private mutating func integer() throws(JSONReadError) -> Int64 {
        let start = position
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) else {
            throw syntaxError("malformed number")
        }
        let leadingZero = bytes[position] == UInt8(ascii: "0")
        // Accumulate negatively, so Int64.min fits.
        var value: Int64 = 0
        var overflow = false
        let digitsStart = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            let digit = Int64(bytes[position] - UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times.subtractingReportingOverflow(digit)
            overflow = overflow || overflow1 || overflow2
            value = next
            position += 1
        }
        if leadingZero && position - digitsStart > 1 {
            position = digitsStart + 1
            throw syntaxError("malformed number")
        }
        var fraction = false
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw syntaxError("malformed number") }
            fraction = true
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw syntaxError("malformed number") }
            fraction = true
        }
        if fraction {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            throw JSONReadError(
                .value,
                message: "\(text) is not an integer (numbers are integers written without a fraction or an exponent; decimals travel as strings)",
                offset: start
            )
        }
        guard !overflow, negative || value != Int64.min else {
            throw JSONReadError(.value, message: "integer out of range", offset: start)
        }
        return negative ? value : -value
    }

    /// The string at `position` as a tape entry: checked (escapes, control characters, UTF-8)
    /// and left in the text. A string with escapes is decoded here to check it, and again when
    /// read (`JSONDocument.string`); the protocol's writer escapes only quotes, backslashes
    /// and control characters, so that is rare.
    private mutating func string() throws(JSONReadError) -> JSONDocument.Entry {
        position += 1
        let start = position
        // Fast path: no escapes. ASCII text needs no UTF-8 validation.
        var ascii = true
        // The high bits of the bytes passed eight at a time (non-zero: not ASCII).
        var highBits: UInt64 = 0
        while position < bytes.count {
            // Eight bytes at a time up to the first quote, backslash or control character.
            while position &+ 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
                let special = JSONSpecialBytes.in(word)
                if special == 0 {
                    highBits |= word
                    position &+= 8
                } else {
                    let plain = special.trailingZeroBitCount &>> 3
                    highBits |= word & ((1 &<< (UInt64(plain) &* 8)) &- 1)
                    position &+= plain
                    break
                }
            }
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let length = position - start
                position += 1
                if highBits & 0x8080_8080_8080_8080 != 0 { ascii = false }
                if !ascii && UTF8Validation.firstInvalidOffset(UnsafeBufferPointer(rebasing: bytes[start..<start + length])) != nil {
                    throw JSONReadError(.syntax, message: "invalid UTF-8 in a string", offset: start)
                }
                return JSONDocument.Entry(kind: .string, a: start, b: length)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw syntaxError("control character in a string") }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        position = start - 1
        _ = try decodedString()
        return JSONDocument.Entry(kind: .string, escaped: true, a: start, b: position - 1 - start)
    }

    /// The string whose opening quote is at `offset`, escapes decoded; nil if it is not one.
    fileprivate mutating func decodedString(at offset: Int) -> String? {
        position = offset
        return try? decodedString()
    }

    /// The string at `position` (its opening quote) with its escapes decoded.
    fileprivate mutating func decodedString() throws(JSONReadError) -> String {
        position += 1
        let start = position
        var utf8: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONReadError(.syntax, message: "invalid UTF-8 in a string", offset: start)
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
                            throw syntaxError("unpaired surrogate in a string")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw syntaxError("unpaired surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw syntaxError("unpaired surrogate in a string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw syntaxError("invalid \\u escape") }
                    utf8.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
                default:
                    position -= 1
                    throw syntaxError("invalid escape")
                }
            default:
                guard byte >= 0x20 else { throw syntaxError("control character in a string") }
                utf8.append(byte)
                position += 1
            }
        }
        throw syntaxError("unterminated string")
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard position + 4 <= bytes.count else {
            position = bytes.count
            throw syntaxError("unterminated string")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntaxError("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}

/// The expected shape of untrusted JSON, for the checks the wire types' readers do not make:
/// which keys an object may hold, and where objects and lists belong. Types and required keys
/// are left to the readers (`WireDecoding.swift`), which report them with the JSON path.
public indirect enum JSONShape: Sendable {
    /// Anything (scalars, or values the type's reader checks alone).
    case any
    /// An object with exactly these optional keys.
    case object([String: JSONShape])
    /// An object with free keys (a version vector, a record's fields), each value of this shape.
    case map(JSONShape)
    /// An array whose elements have this shape.
    case array(JSONShape)
}

/// A parsed JSON text: its bytes, and its values in document order on one tape. A container's
/// entry is followed by its contents (an object's as key, value, key, value…) and records
/// where they end, so a reader skips a value in one step.
///
/// The wire types' readers walk it through `withContents`: a `JSONView` is then the text's and
/// the tape's buffers and an index, copied and passed with no reference counting.
public final class JSONDocument: Sendable {
    struct Entry: Sendable {
        enum Kind: UInt8, Sendable {
            case null, bool, int, string, array, object
        }

        var kind: Kind
        /// A string with escapes, decoded when read.
        var escaped = false
        /// bool: 0 or 1; int: the value; string: the offset of its first byte in the text;
        /// array, object: the number of elements or members.
        var a = 0
        /// string: its length in the text (escapes as written); array, object: the index of
        /// the entry after its contents.
        var b = 0
    }

    let bytes: [UInt8]
    let tape: [Entry]

    init(bytes: [UInt8], tape: [Entry]) {
        self.bytes = bytes
        self.tape = tape
    }

    /// `body` run on the text and the tape as plain pointers, valid until it returns.
    func withContents<T, E: Error>(_ body: (Contents) throws(E) -> T) throws(E) -> T {
        try tape.withUnsafeBufferPointer { tape throws(E) in
            try bytes.withUnsafeBufferPointer { bytes throws(E) in try body(Contents(bytes: bytes, tape: tape)) }
        }
    }

    /// The text and the tape, read through plain pointers: valid inside `withContents` only.
    struct Contents {
        let bytes: UnsafeBufferPointer<UInt8>
        let tape: UnsafeBufferPointer<Entry>

        /// The index of the entry after the value at `index` (and its contents).
        func after(_ index: Int) -> Int {
            let entry = tape[index]
            return entry.kind == .array || entry.kind == .object ? entry.b : index + 1
        }

        /// The text of the string entry at `index`.
        func string(at index: Int) -> String {
            Self.string(tape[index], in: bytes)
        }

        /// The string entry at `index` read as a replica UUID, nil when it is not one (read from
        /// the text's bytes unless it has escapes).
        func replica(at index: Int) -> ReplicaID? {
            let entry = tape[index]
            guard !entry.escaped else { return ReplicaID(string: string(at: index)) }
            return ReplicaID(utf8: UnsafeBufferPointer(rebasing: bytes[entry.a..<entry.a + entry.b]))
        }

        /// The index of the value of `key` in the object at `index` (the first one, if the key is
        /// there twice), nil if it has no such key. One pass over the tape and the text, with no
        /// node made for the members it passes.
        func value(of key: String, inObjectAt index: Int) -> Int? {
            var key = key
            return key.withUTF8 { expected in value(of: expected, inObjectAt: index) }
        }

        func value(of key: StaticString, inObjectAt index: Int) -> Int? {
            key.withUTF8Buffer { expected in value(of: expected, inObjectAt: index) }
        }

        private func value(of expected: UnsafeBufferPointer<UInt8>, inObjectAt index: Int) -> Int? {
            var upcoming = index + 1
            for _ in 0..<tape[index].a {
                let name = tape[upcoming]
                if name.escaped {
                    if Self.string(name, in: bytes).utf8.elementsEqual(expected) { return upcoming + 1 }
                } else if name.b == expected.count {
                    var offset = 0
                    while offset < expected.count && bytes[name.a &+ offset] == expected[offset] { offset &+= 1 }
                    if offset == expected.count { return upcoming + 1 }
                }
                let value = tape[upcoming + 1]
                upcoming = value.kind == .array || value.kind == .object ? value.b : upcoming + 2
            }
            return nil
        }

        /// A walk over a container's contents: the index of each element of an array, or of
        /// each key of an object (`members`; each key is followed by its value), in turn.
        struct Walk {
            var upcoming: Int
            var left: Int
            let members: Bool

            /// The walk over the container `entry`, at `index` on the tape.
            init(container entry: Entry, at index: Int) {
                upcoming = index + 1
                left = entry.a
                members = entry.kind == .object
            }

            mutating func next(in contents: Contents) -> Int? {
                guard left > 0 else { return nil }
                left -= 1
                let index = upcoming
                upcoming = contents.after(members ? index + 1 : index)
                return index
            }
        }

        static func string(_ entry: Entry, in bytes: UnsafeBufferPointer<UInt8>) -> String {
            let raw = UnsafeBufferPointer(rebasing: bytes[entry.a..<entry.a + entry.b])
            guard entry.escaped else { return String(decoding: raw, as: UTF8.self) }
            // Checked when parsed: reading it again cannot fail.
            var reader = JSONReader(bytes: bytes, strict: false)
            return reader.decodedString(at: entry.a - 1) ?? String(decoding: raw, as: UTF8.self)
        }
    }
}

/// A value of a parsed JSON text (`JSONReader.parse`): a position on its document's tape. Two
/// nodes are equal when their values are: the same kinds, scalars and strings, elements in
/// order and members in order.
public struct JSONNode: Sendable, Equatable {
    let document: JSONDocument
    let index: Int

    var entry: JSONDocument.Entry { document.tape[index] }

    public var isNull: Bool { withView { $0.isNull } }

    /// The value when it is a bool, an integer or a string; nil otherwise.
    public var boolValue: Bool? { withView { $0.boolValue } }
    public var intValue: Int64? { withView { $0.intValue } }
    public var stringValue: String? { withView { $0.stringValue } }

    /// The object, nil when the value is not one.
    public var objectValue: JSONObject? { entry.kind == .object ? JSONObject(node: self) : nil }

    /// The elements, nil when the value is not an array.
    public var arrayValue: JSONElements? { entry.kind == .array ? JSONElements(node: self) : nil }

    public static func == (left: JSONNode, right: JSONNode) -> Bool {
        let (one, other) = (left.entry, right.entry)
        guard one.kind == other.kind else { return false }
        switch one.kind {
        case .null: return true
        case .bool, .int: return one.a == other.a
        case .string: return left.stringValue == right.stringValue
        case .array:
            guard let elements = left.arrayValue, let others = right.arrayValue, elements.count == others.count else { return false }
            return zip(elements, others).allSatisfy { $0 == $1 }
        case .object:
            guard let members = left.objectValue, let others = right.objectValue, members.count == others.count else { return false }
            return zip(members, others).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        }
    }
}

/// A JSON array's elements, in order (read in order: the tape has no index of them).
public struct JSONElements: Sequence, Sendable {
    let node: JSONNode

    /// The number of elements.
    public var count: Int { node.entry.a }
    public var underestimatedCount: Int { count }

    public func makeIterator() -> Iterator { Iterator(document: node.document, walk: .init(container: node.entry, at: node.index)) }

    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var walk: JSONDocument.Contents.Walk

        public mutating func next() -> JSONNode? {
            document.withContents { walk.next(in: $0) }.map { JSONNode(document: document, index: $0) }
        }
    }
}

/// A JSON object's members in document order. Lookups are linear: the protocol's objects have
/// a handful of keys. With a repeated key (in trusted text only) the first one counts, as with
/// `JSONDecoder` (swift-foundation's).
public struct JSONObject: Sequence, Sendable {
    let node: JSONNode

    /// The number of members.
    public var count: Int { node.entry.a }

    public subscript(key: String) -> JSONNode? {
        node.document.withContents { $0.value(of: key, inObjectAt: node.index) }.map { JSONNode(document: node.document, index: $0) }
    }

    public func makeIterator() -> Iterator { Iterator(document: node.document, walk: .init(container: node.entry, at: node.index)) }

    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var walk: JSONDocument.Contents.Walk

        public mutating func next() -> JSONMember? {
            document.withContents { walk.next(in: $0) }.map { JSONMember(document: document, keyIndex: $0) }
        }
    }
}

/// One `"key": value` of an object.
public struct JSONMember: Sendable {
    let document: JSONDocument
    let keyIndex: Int

    public var key: String { document.withContents { $0.string(at: keyIndex) } }
    public var value: JSONNode { JSONNode(document: document, index: keyIndex + 1) }
}

/// Why a JSON text could not be read: bad syntax (with the byte offset), or a value of the
/// wrong shape or type (with its JSON path, `changes[0].dot.r`).
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not JSON (RFC 8259).
        case syntax
        /// JSON, but not a value the reader expects there.
        case value
        /// A key the shape does not list, with the keys it does.
        case unknownKey(String, allowed: [String])
        /// A key twice in one object.
        case duplicateKey(String)
        /// Nesting deeper than this many levels.
        case nestingTooDeep(Int)
    }

    public var kind: Kind
    public var message: String
    public var offset: Int?
    /// Object keys and `[index]` elements from the top level down to the value.
    public var path: [String]

    public init(_ kind: Kind = .value, message: String, offset: Int? = nil, path: [String] = []) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.path = path
    }

    /// The same error, one level deeper: under `key` of the enclosing object.
    public func inside(_ key: String) -> JSONReadError {
        var error = self
        error.path.insert(key, at: 0)
        return error
    }

    /// The same error, one level deeper: at `index` of the enclosing array.
    public func inside(index: Int) -> JSONReadError {
        inside("[\(index)]")
    }

    /// Where the value is: `changes[0].dot.r`, or "the top level".
    public var place: String {
        var text = ""
        for component in path {
            if component.hasPrefix("[") || text.isEmpty {
                text += component
            } else {
                text += "." + component
            }
        }
        return text.isEmpty ? "the top level" : text
    }

    public var description: String {
        switch kind {
        case .syntax:
            return offset.map { "\(message) at byte \($0)" } ?? message
        case .value:
            return "at \(place): \(message)"
        case .unknownKey(let key, let allowed):
            return "unknown key '\(key)' in the object at \(place) (allowed: \(allowed.joined(separator: ", ")))"
        case .duplicateKey(let key):
            return "the key '\(key)' appears twice in the object at \(place)"
        case .nestingTooDeep(let limit):
            return "the JSON nests deeper than \(limit) levels at \(place)"
        }
    }
}
