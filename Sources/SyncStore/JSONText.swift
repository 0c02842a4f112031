import SyncCore

/// Writes the JSON the store keeps beside each record and change (displayed values, outbox and
/// history entries) straight into bytes, without `JSONEncoder`'s boxing of every key and value,
/// which cost more than the SQLite work of a local edit.
///
/// The output is what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes for
/// the same values, keys in sorted order, and `JSONDecoder` reads it back unchanged (the tests
/// check both).
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func raw(_ ascii: StaticString) {
        ascii.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func byte(_ ascii: UInt8) {
        bytes.append(ascii)
    }

    /// `"key":`
    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
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

    mutating func integer<T: BinaryInteger>(_ number: T) {
        if number == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits: [UInt8] = []
        var rest = number.magnitude
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: digits.reversed())
    }

    mutating func value(_ value: Value) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .int(let number): integer(number)
        case .string(let text): string(text)
        }
    }

    mutating func replica(_ replica: ReplicaID) {
        bytes.append(UInt8(ascii: "\""))
        replica.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `{"c":counter,"r":"replica"}`
    mutating func dot(_ dot: Dot) {
        raw("{\"c\":")
        integer(dot.counter)
        raw(",\"r\":")
        replica(dot.replica)
        byte(UInt8(ascii: "}"))
    }

    /// `{"ms":physical,"n":logical}`
    mutating func hlc(_ hlc: HLC) {
        raw("{\"ms\":")
        integer(hlc.physical)
        raw(",\"n\":")
        integer(hlc.logical)
        byte(UInt8(ascii: "}"))
    }

    /// `{"replica":counter,…}`, replicas in order.
    mutating func versionVector(_ vector: VersionVector) {
        byte(UInt8(ascii: "{"))
        var first = true
        for (replica, counter) in vector.counters.sorted(by: { $0.key < $1.key }) {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            self.replica(replica)
            byte(UInt8(ascii: ":"))
            integer(counter)
        }
        byte(UInt8(ascii: "}"))
    }

    /// A change in its wire form, as `Change`'s `Codable` conformance writes it.
    mutating func change(_ change: Change) {
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
        raw(",\"ops\":[")
        for (index, operation) in change.operations.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            fieldOperation(operation)
        }
        raw("]}")
    }

    mutating func fieldOperation(_ operation: FieldOperation) {
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

    mutating func displayValue(_ display: DisplayValue) {
        switch display {
        case .value(let value): self.value(value)
        case .members(let members):
            byte(UInt8(ascii: "["))
            for (index, member) in members.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                string(member)
            }
            byte(UInt8(ascii: "]"))
        }
    }

    /// `{"field":display,…}`, fields in order.
    mutating func display(_ display: [String: DisplayValue]) {
        byte(UInt8(ascii: "{"))
        for (index, (name, value)) in display.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            key(name)
            displayValue(value)
        }
        byte(UInt8(ascii: "}"))
    }

    /// `{"field":{"new":…,"old":…},…}`, fields in order.
    mutating func diff(_ diff: [(field: String, diff: FieldDiff)]) {
        byte(UInt8(ascii: "{"))
        for (index, entry) in diff.sorted(by: { $0.field < $1.field }).enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            key(entry.field)
            raw("{\"new\":")
            displayValue(entry.diff.new)
            raw(",\"old\":")
            displayValue(entry.diff.old)
            byte(UInt8(ascii: "}"))
        }
        byte(UInt8(ascii: "}"))
    }
}
