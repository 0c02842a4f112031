/// The merge state and the sync answer in their wire form, as their `Codable` conformances
/// write them with sorted keys (absent optionals left out).
extension JSONText {
    /// `{"dot":…,"hlc":…,"value":…}`
    public mutating func sibling(_ sibling: Sibling) {
        raw("{\"dot\":")
        dot(sibling.dot)
        raw(",\"hlc\":")
        hlc(sibling.hlc)
        raw(",\"value\":")
        value(sibling.value)
        byte(UInt8(ascii: "}"))
    }

    /// `[sibling,…]` in dot order.
    public mutating func register(_ register: RegisterState) {
        byte(UInt8(ascii: "["))
        for (index, sibling) in register.siblings.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            self.sibling(sibling)
        }
        byte(UInt8(ascii: "]"))
    }

    /// `{"register":[…]}`, `{"counter":{"replica":{"dec":…,"inc":…},…}}` or
    /// `{"set":{"elements":{"element":[dot,…],…}}}`.
    public mutating func fieldState(_ field: FieldState) {
        switch field {
        case .register(let register):
            raw("{\"register\":")
            self.register(register)
        case .counter(let counter):
            raw("{\"counter\":{")
            for (index, (replica, entry)) in counter.entries.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                self.replica(replica)
                raw(":{\"dec\":")
                integer(entry.decrements)
                raw(",\"inc\":")
                integer(entry.increments)
                byte(UInt8(ascii: "}"))
            }
            byte(UInt8(ascii: "}"))
        case .set(let set):
            raw("{\"set\":{\"elements\":{")
            for (index, (element, dots)) in set.elements.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                key(element)
                byte(UInt8(ascii: "["))
                for (position, dot) in dots.enumerated() {
                    if position > 0 { byte(UInt8(ascii: ",")) }
                    self.dot(dot)
                }
                byte(UInt8(ascii: "]"))
            }
            raw("}}")
        }
        byte(UInt8(ascii: "}"))
    }

    /// `{"entity":…,"existence":[…],"fields":{…},"id":…,"version":{…}}`
    public mutating func recordState(_ state: RecordState) {
        raw("{\"entity\":")
        string(state.entity)
        raw(",\"existence\":")
        register(state.existence)
        raw(",\"fields\":{")
        for (index, (name, field)) in state.fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            key(name)
            fieldState(field)
        }
        raw("},\"id\":")
        string(state.id)
        raw(",\"version\":")
        versionVector(state.version)
        byte(UInt8(ascii: "}"))
    }

    public mutating func recordReference(_ reference: RecordReference) {
        raw("{\"entity\":")
        string(reference.entity)
        raw(",\"id\":")
        string(reference.id)
        byte(UInt8(ascii: "}"))
    }

    public mutating func changeResult(_ result: ChangeResult) {
        byte(UInt8(ascii: "{"))
        if let code = result.code {
            raw("\"code\":")
            string(code)
            byte(UInt8(ascii: ","))
        }
        raw("\"dot\":")
        dot(result.dot)
        if let message = result.message {
            raw(",\"message\":")
            string(message)
        }
        if let sequence = result.sequence {
            raw(",\"sequence\":")
            integer(sequence)
        }
        raw(",\"status\":")
        string(result.status.rawValue)
        byte(UInt8(ascii: "}"))
    }

    public mutating func bootstrapCursor(_ cursor: BootstrapCursor) {
        var first = true
        func member(_ name: StaticString) {
            byte(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            byte(UInt8(ascii: "\""))
            raw(name)
            raw("\":")
        }
        if let afterEntity = cursor.afterEntity { member("afterEntity"); string(afterEntity) }
        if let afterID = cursor.afterID { member("afterID"); string(afterID) }
        if let day = cursor.day { member("day"); string(day) }
        if let highWater = cursor.highWater { member("highWater"); integer(highWater) }
        if let phase = cursor.phase { member("phase"); string(phase.rawValue) }
        if let priority = cursor.priority {
            member("priority")
            byte(UInt8(ascii: "["))
            for (index, id) in priority.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                string(id)
            }
            byte(UInt8(ascii: "]"))
        }
        if first { byte(UInt8(ascii: "{")) }
        byte(UInt8(ascii: "}"))
    }

    public mutating func snapshotPage(_ page: SnapshotPage) {
        raw("{\"highWater\":")
        integer(page.highWater)
        if let next = page.next {
            raw(",\"next\":")
            bootstrapCursor(next)
        }
        raw(",\"records\":[")
        for (index, record) in page.records.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            recordState(record)
        }
        raw("]}")
    }

    /// A sync answer, as `JSONEncoder` with sorted keys writes it.
    public mutating func syncResponse(_ response: SyncResponse) {
        raw("{\"arrivals\":[")
        for (index, state) in response.arrivals.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            recordState(state)
        }
        raw("],\"changes\":[")
        for (index, entry) in response.changes.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            raw("{\"change\":")
            change(entry.change)
            raw(",\"seq\":")
            integer(entry.sequence)
            byte(UInt8(ascii: "}"))
        }
        byte(UInt8(ascii: "]"))
        if let cursor = response.cursor {
            raw(",\"cursor\":")
            integer(cursor)
        }
        raw(",\"evictions\":[")
        for (index, reference) in response.evictions.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            recordReference(reference)
        }
        raw("],\"hasMore\":")
        response.hasMore ? raw("true") : raw("false")
        raw(",\"protocol\":")
        integer(response.protocolVersion)
        raw(",\"results\":[")
        for (index, result) in response.results.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            changeResult(result)
        }
        raw("],\"resync\":")
        response.resync ? raw("true") : raw("false")
        raw(",\"serverTime\":")
        integer(response.serverTime)
        if let snapshot = response.snapshot {
            raw(",\"snapshot\":")
            snapshotPage(snapshot)
        }
        byte(UInt8(ascii: "}"))
    }

    /// A sync request, as `JSONEncoder` with sorted keys writes it.
    public mutating func syncRequest(_ request: SyncRequest) {
        byte(UInt8(ascii: "{"))
        if let bootstrap = request.bootstrap {
            raw("\"bootstrap\":")
            bootstrapCursor(bootstrap)
            byte(UInt8(ascii: ","))
        }
        raw("\"changes\":[")
        for (index, change) in request.changes.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            self.change(change)
        }
        raw("],\"clientTime\":")
        integer(request.clientTime)
        if let cursor = request.cursor {
            raw(",\"cursor\":")
            integer(cursor)
        }
        if let limit = request.limit {
            raw(",\"limit\":")
            integer(limit)
        }
        raw(",\"protocol\":")
        integer(request.protocolVersion)
        raw(",\"replica\":")
        replica(request.replica)
        byte(UInt8(ascii: "}"))
    }
}
