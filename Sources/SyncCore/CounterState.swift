/// One replica's cumulative contribution to a counter.
public struct CounterEntry: Hashable, Sendable, Codable {
    public var increments: Int64
    public var decrements: Int64

    public init(increments: Int64 = 0, decrements: Int64 = 0) {
        self.increments = increments
        self.decrements = decrements
    }

    enum CodingKeys: String, CodingKey {
        case increments = "inc"
        case decrements = "dec"
    }
}

/// A PN-counter: per replica increments and decrements, merged by per-replica maximum.
public struct CounterState: Hashable, Sendable {
    public private(set) var entries: [ReplicaID: CounterEntry]

    public init(entries: [ReplicaID: CounterEntry] = [:]) {
        self.entries = entries
    }

    /// Σ increments − Σ decrements.
    public var value: Int64 {
        entries.values.reduce(0) { $0 &+ $1.increments &- $1.decrements }
    }

    public func entry(for replica: ReplicaID) -> CounterEntry {
        entries[replica] ?? CounterEntry()
    }

    /// Takes a replica's published totals; older or repeated totals change nothing.
    public mutating func apply(replica: ReplicaID, increments: Int64, decrements: Int64) {
        var entry = entry(for: replica)
        entry.increments = max(entry.increments, increments)
        entry.decrements = max(entry.decrements, decrements)
        entries[replica] = entry
    }

    public func joined(_ other: CounterState) -> CounterState {
        var copy = self
        for (replica, entry) in other.entries {
            copy.apply(replica: replica, increments: entry.increments, decrements: entry.decrements)
        }
        return copy
    }
}

extension CounterState: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: CounterEntry].self)
        var entries: [ReplicaID: CounterEntry] = [:]
        for (key, entry) in raw {
            guard let replica = ReplicaID(string: key) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a replica UUID: \(key)")
            }
            entries[replica] = entry
        }
        self.init(entries: entries)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.rawValue, $0.value) }))
    }
}
