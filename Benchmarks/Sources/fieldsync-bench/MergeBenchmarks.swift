import SyncCore

/// Pure SyncCore merge throughput on one core, no storage.
enum MergeBenchmarks {
    static let replicas = (0..<3).map { _ in ReplicaID() }
    /// The one account every workload writes to.
    static let record: RecordID = "00000000-0000-7000-8000-000000000001"

    /// Register writes that each saw the previous one (the common case: one rep editing).
    static func sequentialRegister(count: Int) -> [Change] {
        var version = VersionVector()
        var changes: [Change] = []
        changes.reserveCapacity(count)
        let replica = replicas[0]
        for index in 0..<count {
            let dot = Dot(replica: replica, counter: UInt64(index + 1))
            changes.append(Change(
                entity: "account", recordID: record, dot: dot,
                hlc: HLC(physical: Int64(index)), context: version,
                operations: [FieldOperation(field: "f\(index % 10)", operation: .assign(.string("value \(index)")))]
            ))
            version.insert(dot)
        }
        return changes
    }

    /// Three replicas writing the same fields, each having seen only its own writes and, every
    /// few writes, the others': a steady stream of concurrent siblings and resolutions.
    static func concurrentRegister(count: Int) -> [Change] {
        var versions = Array(repeating: VersionVector(), count: replicas.count)
        var all = VersionVector()
        var changes: [Change] = []
        changes.reserveCapacity(count)
        var counters = Array(repeating: UInt64(0), count: replicas.count)
        for index in 0..<count {
            let writer = index % replicas.count
            counters[writer] += 1
            let dot = Dot(replica: replicas[writer], counter: counters[writer])
            changes.append(Change(
                entity: "account", recordID: record, dot: dot,
                hlc: HLC(physical: Int64(index)), context: versions[writer],
                operations: [FieldOperation(field: "f\(index % 4)", operation: .assign(.int(Int64(index))))]
            ))
            versions[writer].insert(dot)
            all.insert(dot)
            if index % 6 == 5 { versions[writer] = all }
        }
        return changes
    }

    /// Three replicas incrementing one counter, each having seen its own increments.
    static func counter(count: Int) -> [Change] {
        var changes: [Change] = []
        var versions = Array(repeating: VersionVector(), count: replicas.count)
        var counters = Array(repeating: UInt64(0), count: replicas.count)
        for index in 0..<count {
            let writer = index % replicas.count
            counters[writer] += 1
            let dot = Dot(replica: replicas[writer], counter: counters[writer])
            changes.append(Change(
                entity: "account", recordID: record,
                dot: dot, hlc: HLC(physical: Int64(index)), context: versions[writer],
                operations: [FieldOperation(field: "points", operation: .counter(increments: Int64(counters[writer]), decrements: 0))]
            ))
            versions[writer].insert(dot)
        }
        return changes
    }

    static func set(count: Int) -> [Change] {
        var version = VersionVector()
        var changes: [Change] = []
        var counters = Array(repeating: UInt64(0), count: replicas.count)
        for index in 0..<count {
            let writer = index % replicas.count
            counters[writer] += 1
            let dot = Dot(replica: replicas[writer], counter: counters[writer])
            let element = "tag\(index % 16)"
            let operation: Operation = index % 3 == 2 ? .remove(element) : .add(element)
            changes.append(Change(
                entity: "account", recordID: record, dot: dot,
                hlc: HLC(physical: Int64(index)), context: version, operations: [FieldOperation(field: "tags", operation: operation)]
            ))
            version.insert(dot)
        }
        return changes
    }

    /// Merges every change into one record; returns the final state so the work is not elided.
    static func apply(_ changes: [Change]) throws -> RecordState {
        var state = RecordState(entity: "account", id: record)
        for change in changes {
            state = try state.merging(change).state
        }
        return state
    }

    /// `changes` as the wire carries them to a device: pages of about `maxBytes` (the server's
    /// default `--max-page-bytes`; a page ends with the change that reaches it), each a JSON
    /// array of changes in their wire form.
    static func wirePages(_ changes: [Change], maxBytes: Int = 1 << 20) -> [[UInt8]] {
        var pages: [[UInt8]] = []
        var page = JSONText(capacity: maxBytes + 4096)
        var count = 0
        for change in changes {
            page.byte(UInt8(ascii: count == 0 ? "[" : ","))
            page.change(change)
            count += 1
            if page.bytes.count >= maxBytes {
                page.byte(UInt8(ascii: "]"))
                pages.append(page.bytes)
                page = JSONText(capacity: maxBytes + 4096)
                count = 0
            }
        }
        if count > 0 {
            page.byte(UInt8(ascii: "]"))
            pages.append(page.bytes)
        }
        return pages
    }

    /// Reads the changes of each page (`wirePages`) as the device reads a pulled page
    /// (`JSONReader`, `Change(json:)`) and merges each into one record in place: an import,
    /// decoding included.
    static func importWire(_ pages: [[UInt8]]) throws -> RecordState {
        var state = RecordState(entity: "account", id: record)
        for page in pages {
            guard let nodes = try JSONReader.parse(page).arrayValue else {
                throw JSONReadError(message: "a page of changes is a JSON array")
            }
            for node in nodes {
                try state.merge(Change(json: node))
            }
        }
        return state
    }

    /// The same merges with `merge(_:)`, editing the only copy of the state in place.
    static func applyInPlace(_ changes: [Change]) throws -> RecordState {
        var state = RecordState(entity: "account", id: record)
        for change in changes {
            try state.merge(change)
        }
        return state
    }
}
