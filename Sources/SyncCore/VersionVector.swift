/// How two version vectors relate causally.
public enum CausalOrder: String, Sendable, Codable {
    case equal, before, after, concurrent
}

/// A map from replica to the highest counter seen from it.
///
/// A record's version vector is the join of the dots applied to it; a change's context is the
/// record's version vector on the writing replica when the write was made.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var counters: [ReplicaID: UInt64]

    public init(_ counters: [ReplicaID: UInt64] = [:]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    /// A vector of counters that are all above zero already (a reader that skipped the zeros).
    init(positiveCounters counters: [ReplicaID: UInt64]) {
        self.counters = counters
    }

    public subscript(replica: ReplicaID) -> UInt64 {
        // Most records are written by a handful of replicas: comparing two words per entry is
        // cheaper than hashing for a short vector.
        if counters.count <= 4 {
            for (key, counter) in counters where key == replica { return counter }
            return 0
        }
        return counters[replica] ?? 0
    }

    public var isEmpty: Bool { counters.isEmpty }

    /// True when the write `dot` is part of the history this vector describes.
    public func covers(_ dot: Dot) -> Bool {
        self[dot.replica] >= dot.counter
    }

    /// True when every write of `other` is also in this vector.
    public func covers(_ other: VersionVector) -> Bool {
        other.counters.allSatisfy { self[$0.key] >= $0.value }
    }

    /// Adds one dot to the history.
    public mutating func insert(_ dot: Dot) {
        if dot.counter > self[dot.replica] { counters[dot.replica] = dot.counter }
    }

    /// The least upper bound of both histories.
    public mutating func formJoin(_ other: VersionVector) {
        for (replica, counter) in other.counters where counter > self[replica] {
            counters[replica] = counter
        }
    }

    public func joined(_ other: VersionVector) -> VersionVector {
        var copy = self
        copy.formJoin(other)
        return copy
    }

    public func compare(_ other: VersionVector) -> CausalOrder {
        let selfCoversOther = covers(other)
        let otherCoversSelf = other.covers(self)
        switch (selfCoversOther, otherCoversSelf) {
        case (true, true): return .equal
        case (true, false): return .after
        case (false, true): return .before
        case (false, false): return .concurrent
        }
    }

    public var description: String {
        "{" + counters.sorted { $0.key < $1.key }.map { "\($0.key.short):\($0.value)" }.joined(separator: ",") + "}"
    }
}

extension VersionVector: Codable {
    // Encoded as a JSON object keyed by replica id, so that a sorted-keys encoder writes the
    // same bytes for the same vector on every replica.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: UInt64].self)
        var counters: [ReplicaID: UInt64] = [:]
        for (key, value) in raw {
            guard let replica = ReplicaID(string: key) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a replica UUID: \(key)")
            }
            counters[replica] = value
        }
        self.init(counters)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counters.map { ($0.key.rawValue, $0.value) }))
    }
}
