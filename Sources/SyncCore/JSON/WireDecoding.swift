// Reading the protocol's types from a parsed text, by the rules of their `Codable`
// conformances (see `JSONReader`). `JSONDecoder` stays the reference: the tests decode the same
// texts both ways and compare.
//
// Each reader reports a problem relative to the value it reads; the reader of the enclosing
// value adds the key or index it read it from (`JSONView.Object.read`, `JSONView.elements`),
// so an error names its whole path (`at changes[0].dot.r: not a replica UUID`).

/// A value of a parsed text as the wire types' readers walk it: a position on the document's
/// tape, read through the text's and the tape's pointers without owning the document, so
/// making, copying and passing one costs no reference counting (through `JSONNode`, which
/// retains its document, that was nearly half the time of reading a snapshot page). A view
/// lives only inside `JSONNode.withView`, which lends it the document's text and tape; nothing
/// keeps one after.
public struct JSONView {
    let document: JSONDocument.Contents
    let index: Int

    init(document: JSONDocument.Contents, index: Int) {
        self.document = document
        self.index = index
    }

    var entry: JSONDocument.Entry { document.tape[index] }

    var isNull: Bool { entry.kind == .null }
    var boolValue: Bool? { entry.kind == .bool ? entry.a == 1 : nil }
    var intValue: Int64? { entry.kind == .int ? Int64(entry.a) : nil }
    var stringValue: String? { entry.kind == .string ? document.string(at: index) : nil }

    func object() throws(JSONReadError) -> Object {
        guard entry.kind == .object else { throw JSONReadError(message: "expected an object") }
        return Object(node: self)
    }

    func array() throws(JSONReadError) -> Elements {
        guard entry.kind == .array else { throw JSONReadError(message: "expected an array") }
        return Elements(node: self)
    }

    func string() throws(JSONReadError) -> String {
        guard let string = stringValue else { throw JSONReadError(message: "expected a string") }
        return string
    }

    func int64() throws(JSONReadError) -> Int64 {
        guard let value = intValue else { throw JSONReadError(message: "expected an integer") }
        return value
    }

    func int() throws(JSONReadError) -> Int {
        guard let value = Int(exactly: try int64()) else { throw JSONReadError(message: "integer out of range") }
        return value
    }

    func bool() throws(JSONReadError) -> Bool {
        guard let value = boolValue else { throw JSONReadError(message: "expected true or false") }
        return value
    }

    func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) throws(JSONReadError) -> T {
        guard let result = T(exactly: try int64()) else { throw JSONReadError(message: "integer out of range") }
        return result
    }

    func replica() throws(JSONReadError) -> ReplicaID {
        guard entry.kind == .string else { throw JSONReadError(message: "expected a string") }
        guard let replica = document.replica(at: index) else { throw JSONReadError(message: "not a replica UUID: \(document.string(at: index))") }
        return replica
    }

    /// The elements of an array, each read by `read`; an error names the element's index.
    func elements<T>(_ read: (JSONView) throws(JSONReadError) -> T) throws(JSONReadError) -> [T] {
        let nodes = try array()
        var items: [T] = []
        items.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            do {
                items.append(try read(node))
            } catch {
                throw error.inside(index: index)
            }
        }
        return items
    }

    /// The members of an object as a dictionary, each member read by `read` into a key and a
    /// value; an error names the member's key. The last of a repeated key counts.
    func dictionary<Key: Hashable, T>(_ read: (String, JSONView) throws(JSONReadError) -> (Key, T)) throws(JSONReadError) -> [Key: T] {
        let object = try object()
        var items = [Key: T](minimumCapacity: object.count)
        for member in object {
            let key = member.key
            do throws(JSONReadError) {
                let (itemKey, value) = try read(key, member.value)
                items[itemKey] = value
            } catch {
                throw error.inside(key)
            }
        }
        return items
    }

    /// An array's elements, in order.
    struct Elements: Sequence {
        let node: JSONView

        var count: Int { node.entry.a }
        var underestimatedCount: Int { count }

        func makeIterator() -> Iterator { Iterator(document: node.document, walk: .init(container: node.entry, at: node.index)) }

        struct Iterator: IteratorProtocol {
            let document: JSONDocument.Contents
            var walk: JSONDocument.Contents.Walk

            mutating func next() -> JSONView? {
                walk.next(in: document).map { JSONView(document: document, index: $0) }
            }
        }
    }

    /// An object's members in document order; the first of a repeated key counts, as with
    /// `JSONObject`. The wire types' readers name their keys as literals: a `StaticString` is
    /// compared with the text without the reference counting of a `String`.
    struct Object: Sequence {
        let node: JSONView

        var count: Int { node.entry.a }

        /// The value of `key`, nil when absent.
        func value(_ key: StaticString) -> JSONView? {
            node.document.value(of: key, inObjectAt: node.index).map { JSONView(document: node.document, index: $0) }
        }

        /// The value of a key that must be present and not null.
        func required(_ key: StaticString) throws(JSONReadError) -> JSONView {
            guard let node = value(key), !node.isNull else { throw JSONReadError(message: "missing key '\(key)'") }
            return node
        }

        /// The value of a key that may be absent or null.
        func optional(_ key: StaticString) -> JSONView? {
            guard let node = value(key), !node.isNull else { return nil }
            return node
        }

        /// A required key's value read by `read`; an error names the key.
        func read<T>(_ key: StaticString, _ read: (JSONView) throws(JSONReadError) -> T) throws(JSONReadError) -> T {
            let node = try required(key)
            do {
                return try read(node)
            } catch {
                throw error.inside("\(key)")
            }
        }

        /// An optional key's value read by `read`, nil when absent or null; an error names the key.
        func readIfPresent<T>(_ key: StaticString, _ read: (JSONView) throws(JSONReadError) -> T) throws(JSONReadError) -> T? {
            guard let node = optional(key) else { return nil }
            do {
                return try read(node)
            } catch {
                throw error.inside("\(key)")
            }
        }

        func makeIterator() -> Iterator { Iterator(document: node.document, walk: .init(container: node.entry, at: node.index)) }

        struct Iterator: IteratorProtocol {
            let document: JSONDocument.Contents
            var walk: JSONDocument.Contents.Walk

            mutating func next() -> Member? {
                walk.next(in: document).map { Member(document: document, keyIndex: $0) }
            }
        }
    }

    /// One `"key": value` of an object.
    struct Member {
        let document: JSONDocument.Contents
        let keyIndex: Int

        var key: String { document.string(at: keyIndex) }
        /// The key read as a replica UUID (a version vector's or a counter's), nil when it is
        /// not one.
        var replicaKey: ReplicaID? { document.replica(at: keyIndex) }
        var value: JSONView { JSONView(document: document, index: keyIndex + 1) }
    }
}

extension JSONNode {
    /// `body` run on this value's view, valid until it returns.
    func withView<T, E: Error>(_ body: (JSONView) throws(E) -> T) throws(E) -> T {
        try document.withContents { contents throws(E) in try body(JSONView(document: contents, index: index)) }
    }
}

extension Value {
    public init(json node: JSONView) throws(JSONReadError) {
        if node.isNull {
            self = .null
        } else if let flag = node.boolValue {
            self = .bool(flag)
        } else if let number = node.intValue {
            self = .int(number)
        } else if let text = node.stringValue {
            self = .string(text)
        } else {
            throw JSONReadError(message: "a field value must be null, a bool, an integer or a string (decimals travel as strings)")
        }
    }
}

extension Dot {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(replica: try object.read("r") { node throws(JSONReadError) in try node.replica() }, counter: try object.read("c") { node throws(JSONReadError) in try node.unsigned(UInt64.self) })
    }
}

extension HLC {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(physical: try object.read("ms") { node throws(JSONReadError) in try node.int64() }, logical: try object.read("n") { node throws(JSONReadError) in try node.unsigned(UInt32.self) })
    }
}

extension VersionVector {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        var counters = [ReplicaID: UInt64](minimumCapacity: object.count)
        for member in object {
            guard let replica = member.replicaKey else { throw JSONReadError(message: "not a replica UUID: \(member.key)") }
            let counter: UInt64
            do {
                counter = try member.value.unsigned(UInt64.self)
            } catch {
                throw error.inside(member.key)
            }
            // The last of a replica's entries counts (two spellings of one UUID), as in
            // `init(_:)`, which then drops the zeros.
            counters[replica] = counter > 0 ? counter : nil
        }
        self.init(positiveCounters: counters)
    }
}

extension FieldOperation {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        let op = try object.read("op") { node throws(JSONReadError) in try node.string() }
        func field() throws(JSONReadError) -> String { try object.read("field") { node throws(JSONReadError) in try node.string() } }
        func text(_ key: StaticString) throws(JSONReadError) -> String { try object.read(key) { node throws(JSONReadError) in try node.string() } }
        func integer(_ key: StaticString) throws(JSONReadError) -> Int64 { try object.read(key) { node throws(JSONReadError) in try node.int64() } }
        switch op {
        case "set":
            self.init(field: try field(), operation: .assign(try object.readIfPresent("value", Value.init(json:)) ?? .null))
        case "counter":
            self.init(field: try field(), operation: .counter(increments: try integer("inc"), decrements: try integer("dec")))
        case "add":
            self.init(field: try field(), operation: .add(try text("value")))
        case "remove":
            self.init(field: try field(), operation: .remove(try text("value")))
        case "delete":
            self.init(field: "", operation: .delete)
        default:
            throw JSONReadError(message: "unknown operation '\(op)' (expected set, counter, add, remove or delete)", path: ["op"])
        }
    }
}

extension Change {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            entity: try object.read("entity") { node throws(JSONReadError) in try node.string() },
            recordID: try object.read("id") { node throws(JSONReadError) in try node.string() },
            dot: try object.read("dot", Dot.init(json:)), hlc: try object.read("hlc", HLC.init(json:)),
            context: try object.read("ctx", VersionVector.init(json:)),
            operations: try object.read("ops") { node throws(JSONReadError) in try node.elements(FieldOperation.init(json:)) }
        )
    }
}

extension Sibling {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        guard let value = object.value("value") else { throw JSONReadError(message: "missing key 'value'") }
        self.init(
            value: try Value(json: value), dot: try object.read("dot", Dot.init(json:)), hlc: try object.read("hlc", HLC.init(json:))
        )
    }
}

extension RegisterState {
    public init(json node: JSONView) throws(JSONReadError) {
        self.init(sortedSiblings: try node.elements(Sibling.init(json:)))
    }
}

extension CounterState {
    public init(json node: JSONView) throws(JSONReadError) {
        self.init(entries: try node.dictionary { key, value throws(JSONReadError) in
            guard let replica = ReplicaID(string: key) else { throw JSONReadError(message: "not a replica UUID: \(key)") }
            let entry = try value.object()
            return (
                replica,
                CounterEntry(
                    increments: try entry.read("inc") { node throws(JSONReadError) in try node.int64() },
                    decrements: try entry.read("dec") { node throws(JSONReadError) in try node.int64() }
                )
            )
        })
    }
}

extension SetState {
    public init(json node: JSONView) throws(JSONReadError) {
        self.init(elements: try node.object().read("elements") { node throws(JSONReadError) in
            try node.dictionary { element, dots throws(JSONReadError) in (element, try dots.elements(Dot.init(json:))) }
        })
    }
}

extension FieldState {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        if let register = try object.readIfPresent("register", RegisterState.init(json:)) {
            self = .register(register)
        } else if let counter = try object.readIfPresent("counter", CounterState.init(json:)) {
            self = .counter(counter)
        } else if let set = try object.readIfPresent("set", SetState.init(json:)) {
            self = .set(set)
        } else {
            throw JSONReadError(message: "unknown field state kind")
        }
    }
}

extension RecordState {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            entity: try object.read("entity") { node throws(JSONReadError) in try node.string() },
            id: try object.read("id") { node throws(JSONReadError) in try node.string() }
        )
        version = try object.read("version", VersionVector.init(json:))
        existence = try object.read("existence", RegisterState.init(json:))
        fields = try object.read("fields") { node throws(JSONReadError) in
            try node.dictionary { name, state throws(JSONReadError) in (name, try FieldState(json: state)) }
        }
    }
}

extension RecordReference {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            entity: try object.read("entity") { node throws(JSONReadError) in try node.string() },
            id: try object.read("id") { node throws(JSONReadError) in try node.string() }
        )
    }
}

extension ChangeResult {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        let statusText = try object.read("status") { node throws(JSONReadError) in try node.string() }
        guard let status = Status(rawValue: statusText) else { throw JSONReadError(message: "unknown status '\(statusText)'", path: ["status"]) }
        self.init(
            dot: try object.read("dot", Dot.init(json:)), status: status,
            code: try object.readIfPresent("code") { node throws(JSONReadError) in try node.string() },
            message: try object.readIfPresent("message") { node throws(JSONReadError) in try node.string() },
            sequence: try object.readIfPresent("sequence") { node throws(JSONReadError) in try node.int64() },
            hlc: try object.readIfPresent("hlc", HLC.init(json:))
        )
    }
}

extension LogEntry {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            sequence: try object.read("seq") { node throws(JSONReadError) in try node.int64() },
            change: try object.read("change", Change.init(json:))
        )
    }
}

extension BootstrapCursor {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        let phase = try object.readIfPresent("phase") { node throws(JSONReadError) in
            let text = try node.string()
            guard let phase = Phase(rawValue: text) else { throw JSONReadError(message: "unknown phase '\(text)'") }
            return phase
        }
        func text(_ key: StaticString) throws(JSONReadError) -> String? {
            try object.readIfPresent(key) { node throws(JSONReadError) in try node.string() }
        }
        self.init(
            highWater: try object.readIfPresent("highWater") { node throws(JSONReadError) in try node.int64() },
            afterEntity: try text("afterEntity"), afterID: try text("afterID"), phase: phase,
            priority: try object.readIfPresent("priority") { node throws(JSONReadError) in try node.elements { node throws(JSONReadError) in try node.string() } },
            day: try text("day")
        )
    }
}

extension SnapshotPageOf where Record == RecordState {
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            records: try object.read("records") { node throws(JSONReadError) in try node.elements(RecordState.init(json:)) },
            next: try object.readIfPresent("next", BootstrapCursor.init(json:)),
            highWater: try object.read("highWater") { node throws(JSONReadError) in try node.int64() },
            total: try object.readIfPresent("total") { node throws(JSONReadError) in Int(try node.int64()) }
        )
    }
}

extension SyncAnswer where Entry == LogEntry, Record == RecordState {
    /// Reads an answer as `init(from:)` does: leniently, `arrivals`, `evictions` and `resync`
    /// may be absent.
    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        func list<T>(_ key: StaticString, _ read: (JSONView) throws(JSONReadError) -> T) throws(JSONReadError) -> [T] {
            try object.readIfPresent(key) { node throws(JSONReadError) in try node.elements(read) } ?? []
        }
        self.init(
            protocolVersion: try object.read("protocol") { node throws(JSONReadError) in try node.int() },
            serverTime: try object.read("serverTime") { node throws(JSONReadError) in try node.int64() },
            results: try object.read("results") { node throws(JSONReadError) in try node.elements(ChangeResult.init(json:)) },
            changes: try object.read("changes") { node throws(JSONReadError) in try node.elements(LogEntry.init(json:)) },
            cursor: try object.readIfPresent("cursor") { node throws(JSONReadError) in try node.int64() },
            hasMore: try object.read("hasMore") { node throws(JSONReadError) in try node.bool() },
            snapshot: try object.readIfPresent("snapshot", SnapshotPage.init(json:)),
            evictions: try list("evictions", RecordReference.init(json:)),
            arrivals: try list("arrivals", RecordState.init(json:)),
            resync: try object.readIfPresent("resync") { node throws(JSONReadError) in try node.bool() } ?? false
        )
    }
}

extension SyncRequest {
    /// What a request may hold, checked while it is parsed (`JSONReader.parse(_:shape:)`).
    /// `OpenAPIDocumentTests` checks that it lists the keys of openapi.yaml.
    public static let shape: JSONShape = {
        let dot = JSONShape.object(["r": .any, "c": .any])
        let hlc = JSONShape.object(["ms": .any, "n": .any])
        let operation = JSONShape.object(["field": .any, "op": .any, "value": .any, "inc": .any, "dec": .any])
        let change = JSONShape.object(["entity": .any, "id": .any, "dot": dot, "hlc": hlc, "ctx": .map(.any), "ops": .array(operation)])
        let bootstrap = JSONShape.object([
            "highWater": .any, "afterEntity": .any, "afterID": .any, "phase": .any, "priority": .array(.any), "day": .any,
        ])
        return .object([
            "protocol": .any, "replica": .any, "clientTime": .any, "cursor": .any, "changes": .array(change),
            "bootstrap": bootstrap, "limit": .any,
        ])
    }()

    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            protocolVersion: try object.read("protocol") { node throws(JSONReadError) in try node.int() },
            replica: try object.read("replica") { node throws(JSONReadError) in try node.replica() },
            clientTime: try object.read("clientTime") { node throws(JSONReadError) in try node.int64() },
            cursor: try object.readIfPresent("cursor") { node throws(JSONReadError) in try node.int64() },
            changes: try object.read("changes") { node throws(JSONReadError) in try node.elements(Change.init(json:)) },
            bootstrap: try object.readIfPresent("bootstrap", BootstrapCursor.init(json:)),
            limit: try object.readIfPresent("limit") { node throws(JSONReadError) in try node.int() }
        )
    }
}

extension EnrollRequest {
    public static let shape = JSONShape.object(["code": .any, "replica": .any, "deviceName": .any])

    public init(json node: JSONView) throws(JSONReadError) {
        let object = try node.object()
        self.init(
            code: try object.read("code") { node throws(JSONReadError) in try node.string() },
            replica: try object.read("replica") { node throws(JSONReadError) in try node.replica() },
            deviceName: try object.read("deviceName") { node throws(JSONReadError) in try node.string() }
        )
    }
}
