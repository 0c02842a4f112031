/// Reading the protocol's types from a parsed `JSONNode`, by the rules of their `Codable`
/// conformances (see `JSONReader`). `JSONDecoder` stays the reference: the tests decode the
/// same texts both ways and compare.
extension JSONNode {
    func object(_ path: @autoclosure () -> String) throws(JSONReadError) -> JSONObject {
        guard case .object(let object) = self else { throw JSONReadError(message: "expected an object", path: [path()]) }
        return object
    }

    func array(_ path: @autoclosure () -> String) throws(JSONReadError) -> [JSONNode] {
        guard case .array(let array) = self else { throw JSONReadError(message: "expected an array", path: [path()]) }
        return array
    }

    func string(_ path: @autoclosure () -> String) throws(JSONReadError) -> String {
        guard case .string(let string) = self else { throw JSONReadError(message: "expected a string", path: [path()]) }
        return string
    }

    func int64(_ path: @autoclosure () -> String) throws(JSONReadError) -> Int64 {
        guard case .int(let value) = self else { throw JSONReadError(message: "expected an integer", path: [path()]) }
        return value
    }

    func bool(_ path: @autoclosure () -> String) throws(JSONReadError) -> Bool {
        guard case .bool(let value) = self else { throw JSONReadError(message: "expected true or false", path: [path()]) }
        return value
    }

    func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, _ path: @autoclosure () -> String) throws(JSONReadError) -> T {
        let value = try int64(path())
        guard let result = T(exactly: value) else { throw JSONReadError(message: "integer out of range", path: [path()]) }
        return result
    }

    func replica(_ path: @autoclosure () -> String) throws(JSONReadError) -> ReplicaID {
        let text = try string(path())
        guard let replica = ReplicaID(string: text) else { throw JSONReadError(message: "not a replica UUID: \(text)", path: [path()]) }
        return replica
    }
}

extension JSONObject {
    /// A key that must be present and not null.
    func required(_ key: String) throws(JSONReadError) -> JSONNode {
        guard let node = self[key], node != .null else { throw JSONReadError(message: "missing value", path: [key]) }
        return node
    }

    /// A key that may be absent or null.
    func optional(_ key: String) -> JSONNode? {
        guard let node = self[key], node != .null else { return nil }
        return node
    }
}

extension Value {
    public init(json node: JSONNode) throws(JSONReadError) {
        switch node {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .string(let text): self = .string(text)
        case .array, .object:
            throw JSONReadError(message: "a field value must be null, a bool, an integer or a string (decimals travel as strings)")
        }
    }
}

extension Dot {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("dot")
        self.init(replica: try object.required("r").replica("r"), counter: try object.required("c").unsigned(UInt64.self, "c"))
    }
}

extension HLC {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("hlc")
        self.init(physical: try object.required("ms").int64("ms"), logical: try object.required("n").unsigned(UInt32.self, "n"))
    }
}

extension VersionVector {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("version vector")
        var counters: [ReplicaID: UInt64] = [:]
        counters.reserveCapacity(object.members.count)
        for member in object.members {
            let (key, value) = (member.key, member.value)
            guard let replica = ReplicaID(string: key) else { throw JSONReadError(message: "not a replica UUID: \(key)") }
            counters[replica] = try value.unsigned(UInt64.self, key)
        }
        self.init(counters)
    }
}

extension FieldOperation {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("operation")
        let op = try object.required("op").string("op")
        func field() throws(JSONReadError) -> String { try object.required("field").string("field") }
        switch op {
        case "set":
            self.init(field: try field(), operation: .assign(try object.optional("value").map { node throws(JSONReadError) in try Value(json: node) } ?? .null))
        case "counter":
            self.init(
                field: try field(),
                operation: .counter(increments: try object.required("inc").int64("inc"), decrements: try object.required("dec").int64("dec"))
            )
        case "add":
            self.init(field: try field(), operation: .add(try object.required("value").string("value")))
        case "remove":
            self.init(field: try field(), operation: .remove(try object.required("value").string("value")))
        case "delete":
            self.init(field: "", operation: .delete)
        default:
            throw JSONReadError(message: "unknown operation '\(op)' (expected set, counter, add, remove or delete)", path: ["op"])
        }
    }
}

extension Change {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("change")
        var operations: [FieldOperation] = []
        for operation in try object.required("ops").array("ops") {
            operations.append(try FieldOperation(json: operation))
        }
        self.init(
            entity: try object.required("entity").string("entity"), recordID: try object.required("id").string("id"),
            dot: try Dot(json: try object.required("dot")), hlc: try HLC(json: try object.required("hlc")),
            context: try VersionVector(json: try object.required("ctx")), operations: operations
        )
    }
}

extension Sibling {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("sibling")
        guard let value = object["value"] else { throw JSONReadError(message: "missing value", path: ["value"]) }
        self.init(value: try Value(json: value), dot: try Dot(json: try object.required("dot")), hlc: try HLC(json: try object.required("hlc")))
    }
}

extension RegisterState {
    public init(json node: JSONNode) throws(JSONReadError) {
        var siblings: [Sibling] = []
        for sibling in try node.array("register") {
            siblings.append(try Sibling(json: sibling))
        }
        self.init(sortedSiblings: siblings)
    }
}

extension CounterState {
    public init(json node: JSONNode) throws(JSONReadError) {
        var entries: [ReplicaID: CounterEntry] = [:]
        for member in try node.object("counter").members {
            let (key, value) = (member.key, member.value)
            guard let replica = ReplicaID(string: key) else { throw JSONReadError(message: "not a replica UUID: \(key)", path: ["counter"]) }
            let entry = try value.object(key)
            entries[replica] = CounterEntry(increments: try entry.required("inc").int64("inc"), decrements: try entry.required("dec").int64("dec"))
        }
        self.init(entries: entries)
    }
}

extension SetState {
    public init(json node: JSONNode) throws(JSONReadError) {
        var elements: [String: [Dot]] = [:]
        for member in try node.object("set").required("elements").object("elements").members {
            let (element, dots) = (member.key, member.value)
            var list: [Dot] = []
            for dot in try dots.array(element) {
                list.append(try Dot(json: dot))
            }
            elements[element] = list
        }
        self.init(elements: elements)
    }
}

extension FieldState {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("field state")
        if let register = object.optional("register") {
            self = .register(try RegisterState(json: register))
        } else if let counter = object.optional("counter") {
            self = .counter(try CounterState(json: counter))
        } else if let set = object.optional("set") {
            self = .set(try SetState(json: set))
        } else {
            throw JSONReadError(message: "unknown field state kind")
        }
    }
}

extension RecordState {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("record")
        self.init(entity: try object.required("entity").string("entity"), id: try object.required("id").string("id"))
        version = try VersionVector(json: try object.required("version"))
        existence = try RegisterState(json: try object.required("existence"))
        let fields = try object.required("fields").object("fields")
        self.fields.reserveCapacity(fields.members.count)
        for member in fields.members {
            let (name, state) = (member.key, member.value)
            self.fields[name] = try FieldState(json: state)
        }
    }
}

extension RecordReference {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("record reference")
        self.init(entity: try object.required("entity").string("entity"), id: try object.required("id").string("id"))
    }
}

extension ChangeResult {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("result")
        let statusText = try object.required("status").string("status")
        guard let status = Status(rawValue: statusText) else { throw JSONReadError(message: "unknown status '\(statusText)'", path: ["status"]) }
        self.init(
            dot: try Dot(json: try object.required("dot")), status: status,
            code: try object.optional("code")?.string("code"), message: try object.optional("message")?.string("message"),
            sequence: try object.optional("sequence")?.int64("sequence")
        )
    }
}

extension LogEntry {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("log entry")
        self.init(sequence: try object.required("seq").int64("seq"), change: try Change(json: try object.required("change")))
    }
}

extension BootstrapCursor {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("bootstrap cursor")
        var phase: Phase?
        if let text = try object.optional("phase")?.string("phase") {
            guard let value = Phase(rawValue: text) else { throw JSONReadError(message: "unknown phase '\(text)'", path: ["phase"]) }
            phase = value
        }
        var priority: [RecordID]?
        if let list = try object.optional("priority")?.array("priority") {
            priority = []
            for id in list {
                priority?.append(try id.string("priority"))
            }
        }
        self.init(
            highWater: try object.optional("highWater")?.int64("highWater"), afterEntity: try object.optional("afterEntity")?.string("afterEntity"),
            afterID: try object.optional("afterID")?.string("afterID"), phase: phase, priority: priority, day: try object.optional("day")?.string("day")
        )
    }
}

extension SnapshotPage {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("snapshot")
        let list = try object.required("records").array("records")
        var records: [RecordState] = []
        records.reserveCapacity(list.count)
        for record in list {
            records.append(try RecordState(json: record))
        }
        self.init(
            records: records, next: try object.optional("next").map { node throws(JSONReadError) in try BootstrapCursor(json: node) },
            highWater: try object.required("highWater").int64("highWater"),
            total: try object.optional("total").map { node throws(JSONReadError) in Int(try node.int64("total")) }
        )
    }
}

extension SyncResponse {
    /// Reads an answer as `init(from:)` does: leniently, `arrivals`, `evictions` and `resync`
    /// may be absent.
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("response")
        func list<T>(_ key: String, required: Bool, _ read: (JSONNode) throws(JSONReadError) -> T) throws(JSONReadError) -> [T] {
            guard let node = required ? try object.required(key) : object.optional(key) else { return [] }
            var items: [T] = []
            for item in try node.array(key) {
                items.append(try read(item))
            }
            return items
        }
        guard let version = Int(exactly: try object.required("protocol").int64("protocol")) else {
            throw JSONReadError(message: "integer out of range", path: ["protocol"])
        }
        self.init(
            protocolVersion: version, serverTime: try object.required("serverTime").int64("serverTime"),
            results: try list("results", required: true) { node throws(JSONReadError) in try ChangeResult(json: node) },
            changes: try list("changes", required: true) { node throws(JSONReadError) in try LogEntry(json: node) },
            cursor: try object.optional("cursor")?.int64("cursor"), hasMore: try object.required("hasMore").bool("hasMore"),
            snapshot: try object.optional("snapshot").map { node throws(JSONReadError) in try SnapshotPage(json: node) },
            evictions: try list("evictions", required: false) { node throws(JSONReadError) in try RecordReference(json: node) },
            arrivals: try list("arrivals", required: false) { node throws(JSONReadError) in try RecordState(json: node) },
            resync: try object.optional("resync")?.bool("resync") ?? false
        )
    }
}

extension SyncRequest {
    public init(json node: JSONNode) throws(JSONReadError) {
        let object = try node.object("request")
        var changes: [Change] = []
        for change in try object.required("changes").array("changes") {
            changes.append(try Change(json: change))
        }
        guard let version = Int(exactly: try object.required("protocol").int64("protocol")) else {
            throw JSONReadError(message: "integer out of range", path: ["protocol"])
        }
        self.init(
            protocolVersion: version, replica: try object.required("replica").replica("replica"),
            clientTime: try object.required("clientTime").int64("clientTime"), cursor: try object.optional("cursor")?.int64("cursor"),
            changes: changes, bootstrap: try object.optional("bootstrap").map { node throws(JSONReadError) in try BootstrapCursor(json: node) },
            limit: try object.optional("limit").map { node throws(JSONReadError) in
                guard let limit = Int(exactly: try node.int64("limit")) else { throw JSONReadError(message: "integer out of range", path: ["limit"]) }
                return limit
            }
        )
    }
}
