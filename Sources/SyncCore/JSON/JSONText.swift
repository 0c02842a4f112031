/// Writes JSON straight into bytes, without `JSONEncoder`'s boxing of every key and value,
/// which cost more than the SQLite work of storing what it encodes: the device store's
/// displayed values, outbox and history entries, the server's stored states and changes, and
/// the sync answers on the wire (`JSONText+Wire.swift`).
///
/// The output is what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes for
/// the same values, keys in sorted order, and `JSONDecoder` reads it back unchanged (the tests
/// check both).
public struct JSONText {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func raw(_ ascii: StaticString) {
        ascii.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func byte(_ ascii: UInt8) {
        bytes.append(ascii)
    }

    /// Canonical text written as it is: the one place stored changes and states join an
    /// answer unparsed.
    public mutating func splice(_ canonical: CanonicalJSON) {
        bytes.append(contentsOf: canonical.text.utf8)
    }

    /// `"key":`
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            while true {
                let special = JSONSpecialBytes.first(in: utf8, from: start)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<special]))
                guard special < utf8.count else { break }
                escape(utf8[special])
                start = special + 1
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        case UInt8(ascii: "\n"): raw("\\n")
        case UInt8(ascii: "\r"): raw("\\r")
        case UInt8(ascii: "\t"): raw("\\t")
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            raw("\\u00")
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0xf)])
        }
    }

    public mutating func integer<T: BinaryInteger>(_ number: T) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = number.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    public mutating func value(_ value: Value) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .int(let number): integer(number)
        case .string(let text): string(text)
        }
    }

    public mutating func replica(_ replica: ReplicaID) {
        bytes.append(UInt8(ascii: "\""))
        replica.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `{"c":counter,"r":"replica"}`
    public mutating func dot(_ dot: Dot) {
        raw("{\"c\":")
        integer(dot.counter)
        raw(",\"r\":")
        replica(dot.replica)
        byte(UInt8(ascii: "}"))
    }

    /// `{"ms":physical,"n":logical}`
    public mutating func hlc(_ hlc: HLC) {
        raw("{\"ms\":")
        integer(hlc.physical)
        raw(",\"n\":")
        integer(hlc.logical)
        byte(UInt8(ascii: "}"))
    }

    /// `[element,…]`, each element written by `element`.
    public mutating func array<Elements: Sequence>(_ elements: Elements, _ element: (inout JSONText, Elements.Element) -> Void) {
        list(elements, open: UInt8(ascii: "["), close: UInt8(ascii: "]"), element)
    }

    /// `{"key":value,…}` in the order given (callers sort), each member written by `member`.
    public mutating func object<Members: Sequence>(_ members: Members, _ member: (inout JSONText, Members.Element) -> Void) {
        list(members, open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), member)
    }

    private mutating func list<Items: Sequence>(_ items: Items, open: UInt8, close: UInt8, _ write: (inout JSONText, Items.Element) -> Void) {
        bytes.append(open)
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(&self, item)
        }
        bytes.append(close)
    }

    /// `{"replica":counter,…}`, replicas in order.
    public mutating func versionVector(_ vector: VersionVector) {
        object(vector.counters.sorted(by: { $0.key < $1.key })) { text, member in
            text.replica(member.key)
            text.byte(UInt8(ascii: ":"))
            text.integer(member.value)
        }
    }

    /// A change in its wire form, as `Change`'s `Codable` conformance writes it.
    public mutating func change(_ change: Change) {
        raw("{\"ctx\":")
        versionVector(change.context)
        raw(",\"dot\":")
        dot(change.dot)
        raw(",\"entity\":")
        string(change.entity)
        raw(",\"hlc\":")
        hlc(change.hlc)
        raw(",\"id\":")
        string(change.recordID)
        raw(",\"ops\":")
        array(change.operations) { $0.fieldOperation($1) }
        byte(UInt8(ascii: "}"))
    }

    public mutating func fieldOperation(_ operation: FieldOperation) {
        switch operation.operation {
        case .assign(let value):
            raw("{\"field\":")
            string(operation.field)
            raw(",\"op\":\"set\",\"value\":")
            self.value(value)
        case .counter(let increments, let decrements):
            raw("{\"dec\":")
            integer(decrements)
            raw(",\"field\":")
            string(operation.field)
            raw(",\"inc\":")
            integer(increments)
            raw(",\"op\":\"counter\"")
        case .add(let element):
            raw("{\"field\":")
            string(operation.field)
            raw(",\"op\":\"add\",\"value\":")
            string(element)
        case .remove(let element):
            raw("{\"field\":")
            string(operation.field)
            raw(",\"op\":\"remove\",\"value\":")
            string(element)
        case .delete:
            raw("{\"op\":\"delete\"")
        }
        byte(UInt8(ascii: "}"))
    }
}
