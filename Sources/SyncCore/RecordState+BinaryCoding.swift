/// A compact, deterministic binary form of `RecordState`, for storage.
///
/// The JSON form (`Codable`) stays the wire format of snapshots; this one is what a store keeps
/// on disk: a few hundred bytes for a typical record instead of a kilobyte and a half, and
/// encoded and decoded without `Codable`'s per-key work. Equal states give equal bytes: every
/// map is written sorted, and every replica id is written once, in a sorted table that the dots
/// refer to by position.
///
/// Layout (integers are LEB128 varints, signed ones zigzag-encoded):
///
///     format(1) replicas(n, n × 16 bytes) entity id version existence fields
///     version   = n × (replica, counter)                     sorted by replica
///     register  = n × sibling                                sorted by dot
///     sibling   = value replica counter hlc.physical(signed) hlc.logical
///     value     = 0 null | 1 false | 2 true | 3 int(signed) | 4 string
///     fields    = n × (name kind payload)                    sorted by name
///     kind      = 0 register | 1 counter | 2 set
///     counter   = n × (replica increments(signed) decrements(signed))   sorted by replica
///     set       = n × (element, m × (replica counter))       elements sorted, dots sorted
///     string    = length UTF-8 bytes
extension RecordState {
    /// The version of the layout above, written as the first byte.
    public static let binaryFormat: UInt8 = 1

    /// This state in the binary storage form.
    public func binaryEncoded() -> [UInt8] {
        var replicas: [ReplicaID] = []
        func note(_ replica: ReplicaID) {
            if !replicas.contains(replica) { replicas.append(replica) }
        }
        for replica in version.counters.keys { note(replica) }
        for sibling in existence.siblings { note(sibling.dot.replica) }
        for field in fields.values {
            switch field {
            case .register(let register): for sibling in register.siblings { note(sibling.dot.replica) }
            case .counter(let counter): for replica in counter.entries.keys { note(replica) }
            case .set(let set): for dots in set.elements.values { for dot in dots { note(dot.replica) } }
            }
        }
        replicas.sort()

        var writer = BinaryWriter()
        writer.bytes.reserveCapacity(64 + 24 * replicas.count + 48 * (fields.count + 1))
        writer.bytes.append(Self.binaryFormat)
        writer.unsigned(UInt64(replicas.count))
        for replica in replicas {
            writer.word(replica.high)
            writer.word(replica.low)
        }
        func index(_ replica: ReplicaID) -> UInt64 {
            UInt64(replicas.firstIndex(of: replica) ?? 0)
        }
        func dot(_ dot: Dot) {
            writer.unsigned(index(dot.replica))
            writer.unsigned(dot.counter)
        }
        func register(_ register: RegisterState) {
            writer.unsigned(UInt64(register.siblings.count))
            for sibling in register.siblings {
                writer.value(sibling.value)
                dot(sibling.dot)
                writer.signed(sibling.hlc.physical)
                writer.unsigned(UInt64(sibling.hlc.logical))
            }
        }

        writer.string(entity)
        writer.string(id)
        let versionEntries = version.counters.sorted { $0.key < $1.key }
        writer.unsigned(UInt64(versionEntries.count))
        for (replica, counter) in versionEntries {
            writer.unsigned(index(replica))
            writer.unsigned(counter)
        }
        register(existence)
        writer.unsigned(UInt64(fields.count))
        for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            switch field {
            case .register(let state):
                writer.bytes.append(0)
                register(state)
            case .counter(let counter):
                writer.bytes.append(1)
                let entries = counter.entries.sorted { $0.key < $1.key }
                writer.unsigned(UInt64(entries.count))
                for (replica, entry) in entries {
                    writer.unsigned(index(replica))
                    writer.signed(entry.increments)
                    writer.signed(entry.decrements)
                }
            case .set(let set):
                writer.bytes.append(2)
                let elements = set.elements.sorted { $0.key < $1.key }
                writer.unsigned(UInt64(elements.count))
                for (element, dots) in elements {
                    writer.string(element)
                    writer.unsigned(UInt64(dots.count))
                    for added in dots { dot(added) }
                }
            }
        }
        return writer.bytes
    }

    /// Reads a state written by `binaryEncoded()`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the bytes are not such a state.
    public init(binary bytes: UnsafeRawBufferPointer) throws {
        var reader = BinaryReader(bytes: bytes)
        guard try reader.byte() == Self.binaryFormat else {
            throw BinaryReader.corrupted("unknown record state format \(bytes.first ?? 0)")
        }
        let replicaCount = try reader.count(minimumBytesEach: 16)
        var replicas: [ReplicaID] = []
        replicas.reserveCapacity(replicaCount)
        for _ in 0..<replicaCount {
            replicas.append(ReplicaID(high: try reader.word(), low: try reader.word()))
        }
        func replica() throws -> ReplicaID {
            let position = try reader.unsigned()
            guard position < UInt64(replicas.count) else { throw BinaryReader.corrupted("replica index out of range") }
            return replicas[Int(position)]
        }
        func dot() throws -> Dot {
            Dot(replica: try replica(), counter: try reader.unsigned())
        }
        func register() throws -> RegisterState {
            let count = try reader.count(minimumBytesEach: 5)
            var siblings: [Sibling] = []
            siblings.reserveCapacity(count)
            for _ in 0..<count {
                let value = try reader.value()
                let written = try dot()
                let physical = try reader.signed()
                guard let logical = UInt32(exactly: try reader.unsigned()) else { throw BinaryReader.corrupted("HLC logical counter out of range") }
                siblings.append(Sibling(value: value, dot: written, hlc: HLC(physical: physical, logical: logical)))
            }
            return RegisterState(sortedSiblings: siblings)
        }

        self.init(entity: try reader.string(), id: try reader.string())
        let versionCount = try reader.count(minimumBytesEach: 2)
        var counters = [ReplicaID: UInt64](minimumCapacity: versionCount)
        for _ in 0..<versionCount {
            counters[try replica()] = try reader.unsigned()
        }
        version = VersionVector(counters)
        existence = try register()
        let fieldCount = try reader.count(minimumBytesEach: 2)
        var fields = [String: FieldState](minimumCapacity: fieldCount)
        for _ in 0..<fieldCount {
            let name = try reader.string()
            switch try reader.byte() {
            case 0:
                fields[name] = .register(try register())
            case 1:
                let count = try reader.count(minimumBytesEach: 3)
                var entries = [ReplicaID: CounterEntry](minimumCapacity: count)
                for _ in 0..<count {
                    entries[try replica()] = CounterEntry(increments: try reader.signed(), decrements: try reader.signed())
                }
                fields[name] = .counter(CounterState(entries: entries))
            case 2:
                let count = try reader.count(minimumBytesEach: 2)
                var elements = [String: [Dot]](minimumCapacity: count)
                for _ in 0..<count {
                    let element = try reader.string()
                    let dotCount = try reader.count(minimumBytesEach: 2)
                    var dots: [Dot] = []
                    dots.reserveCapacity(dotCount)
                    for _ in 0..<dotCount { dots.append(try dot()) }
                    elements[element] = dots
                }
                fields[name] = .set(SetState(elements: elements))
            default:
                throw BinaryReader.corrupted("unknown field kind in field '\(name)'")
            }
        }
        guard reader.isAtEnd else { throw BinaryReader.corrupted("trailing bytes after the record state") }
        self.fields = fields
    }

    /// Reads a state written by `binaryEncoded()`.
    public init(binary bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try RecordState(binary: $0) }
    }
}

/// Appends varints, words and strings to a byte array.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func word(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func value(_ value: Value) {
        switch value {
        case .null: bytes.append(0)
        case .bool(let flag): bytes.append(flag ? 2 : 1)
        case .int(let number):
            bytes.append(3)
            signed(number)
        case .string(let text):
            bytes.append(4)
            string(text)
        }
    }
}

/// Reads what `BinaryWriter` wrote, refusing truncated or malformed input.
struct BinaryReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    static func corrupted(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: message))
    }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw Self.corrupted("record state ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func unsigned() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Self.corrupted("varint too long") }
            result |= UInt64(next & 0x7f) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    mutating func signed() throws -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A count of items that take at least `minimumBytesEach`: refused when the input cannot
    /// hold that many, so corrupt input cannot ask for a huge allocation.
    mutating func count(minimumBytesEach: Int) throws -> Int {
        let value = try unsigned()
        guard value <= UInt64((bytes.count - position) / max(minimumBytesEach, 1)) else {
            throw Self.corrupted("count \(value) larger than the remaining input")
        }
        return Int(value)
    }

    mutating func word() throws -> UInt64 {
        guard bytes.count - position >= 8 else { throw Self.corrupted("record state ends early") }
        var value: UInt64 = 0
        for offset in 0..<8 { value = value << 8 | UInt64(bytes[position + offset]) }
        position += 8
        return value
    }

    mutating func string() throws -> String {
        let length = try count(minimumBytesEach: 1)
        defer { position += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
    }

    mutating func value() throws -> Value {
        switch try byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try signed())
        case 4: return .string(try string())
        case let tag: throw Self.corrupted("unknown value tag \(tag)")
        }
    }
}
