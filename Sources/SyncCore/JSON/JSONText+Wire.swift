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
        array(register.siblings) { $0.sibling($1) }
    }

    /// `{"register":[…]}`, `{"counter":{"replica":{"dec":…,"inc":…},…}}` or
    /// `{"set":{"elements":{"element":[dot,…],…}}}`.
    public mutating func fieldState(_ field: FieldState) {
        switch field {
        case .register(let register):
            raw("{\"register\":")
            self.register(register)
        case .counter(let counter):
            raw("{\"counter\":")
            object(counter.entries.sorted(by: { $0.key.rawValue < $1.key.rawValue })) { text, member in
                text.replica(member.key)
                text.raw(":{\"dec\":")
                text.integer(member.value.decrements)
                text.raw(",\"inc\":")
                text.integer(member.value.increments)
                text.byte(UInt8(ascii: "}"))
            }
        case .set(let set):
            raw("{\"set\":{\"elements\":")
            object(set.elements.sorted(by: { $0.key < $1.key })) { text, member in
                text.key(member.key)
                text.array(member.value) { $0.dot($1) }
            }
            byte(UInt8(ascii: "}"))
        }
        byte(UInt8(ascii: "}"))
    }

    /// `{"entity":…,"existence":[…],"fields":{…},"id":…,"version":{…}}`
    public mutating func recordState(_ state: RecordState) {
        raw("{\"entity\":")
        string(state.entity)
        raw(",\"existence\":")
        register(state.existence)
        raw(",\"fields\":")
        object(state.fields.sorted(by: { $0.key < $1.key })) { text, member in
            text.key(member.key)
            text.fieldState(member.value)
        }
        raw(",\"id\":")
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
        if let hlc = result.hlc {
            raw(",\"hlc\":")
            self.hlc(hlc)
        }
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
        byte(UInt8(ascii: "{"))
        var separated = false
        if let afterEntity = cursor.afterEntity { optionalMember("\"afterEntity\":", separated: &separated); string(afterEntity) }
        if let afterID = cursor.afterID { optionalMember("\"afterID\":", separated: &separated); string(afterID) }
        if let day = cursor.day { optionalMember("\"day\":", separated: &separated); string(day) }
        if let highWater = cursor.highWater { optionalMember("\"highWater\":", separated: &separated); integer(highWater) }
        if let phase = cursor.phase { optionalMember("\"phase\":", separated: &separated); string(phase.rawValue) }
        if let priority = cursor.priority {
            optionalMember("\"priority\":", separated: &separated)
            array(priority) { $0.string($1) }
        }
        byte(UInt8(ascii: "}"))
    }

    /// A snapshot page; stored records are spliced in as they are.
    public mutating func snapshotPage<Record>(_ page: SnapshotPageOf<Record>) {
        raw("{\"highWater\":")
        integer(page.highWater)
        if let next = page.next {
            raw(",\"next\":")
            bootstrapCursor(next)
        }
        raw(",\"records\":")
        array(page.records) { $1.write(to: &$0) }
        if let total = page.total {
            raw(",\"total\":")
            integer(total)
        }
        byte(UInt8(ascii: "}"))
    }

    /// A sync answer, as `JSONEncoder` with sorted keys writes it; stored changes and states
    /// are spliced in as they are.
    public mutating func syncResponse<Entry, Record>(_ response: SyncAnswer<Entry, Record>) {
        raw("{\"arrivals\":")
        array(response.arrivals) { $1.write(to: &$0) }
        raw(",\"changes\":")
        array(response.changes) { text, entry in
            text.raw("{\"change\":")
            entry.change.write(to: &text)
            text.raw(",\"seq\":")
            text.integer(entry.sequence)
            text.byte(UInt8(ascii: "}"))
        }
        if let cursor = response.cursor {
            raw(",\"cursor\":")
            integer(cursor)
        }
        raw(",\"evictions\":")
        array(response.evictions) { $0.recordReference($1) }
        raw(",\"hasMore\":")
        response.hasMore ? raw("true") : raw("false")
        raw(",\"protocol\":")
        integer(response.protocolVersion)
        raw(",\"results\":")
        array(response.results) { $0.changeResult($1) }
        raw(",\"resync\":")
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
        raw("\"changes\":")
        array(request.changes) { $0.change($1) }
        raw(",\"clientTime\":")
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

extension JSONText {
    /// A conflict's competing value, as `CompetingValue`'s `Codable` conformance writes it with
    /// sorted keys: the server stores one array of these per open conflict-log entry and
    /// rewrites it whenever a change touches the entry's record.
    public mutating func competingValue(_ competitor: CompetingValue) {
        raw("{\"author\":")
        changeAuthor(competitor.author)
        raw(",\"dot\":")
        dot(competitor.dot)
        raw(",\"entity\":")
        string(competitor.entity)
        raw(",\"field\":")
        string(competitor.field)
        raw(",\"hlc\":")
        hlc(competitor.hlc)
        raw(",\"id\":")
        string(competitor.recordID)
        competitor.isDisplayed ? raw(",\"isDisplayed\":true") : raw(",\"isDisplayed\":false")
        raw(",\"label\":")
        string(competitor.label)
        raw(",\"value\":")
        value(competitor.value)
        byte(UInt8(ascii: "}"))
    }

    /// Who made a write, as `ChangeAuthorInfo`'s `Codable` conformance writes it: members
    /// without a value are left out.
    public mutating func changeAuthor(_ author: ChangeAuthorInfo) {
        byte(UInt8(ascii: "{"))
        var separated = false
        if let device = author.device {
            optionalMember("\"device\":", separated: &separated)
            string(device)
        }
        if let deviceName = author.deviceName {
            optionalMember("\"deviceName\":", separated: &separated)
            string(deviceName)
        }
        if let receivedAt = author.receivedAt {
            optionalMember("\"receivedAt\":", separated: &separated)
            integer(receivedAt)
        }
        if let sequence = author.sequence {
            optionalMember("\"sequence\":", separated: &separated)
            integer(sequence)
        }
        if let user = author.user {
            optionalMember("\"user\":", separated: &separated)
            string(user)
        }
        byte(UInt8(ascii: "}"))
    }

    /// `key` after a comma unless it is the first member written.
    private mutating func optionalMember(_ key: StaticString, separated: inout Bool) {
        if separated { byte(UInt8(ascii: ",")) }
        separated = true
        raw(key)
    }
}
