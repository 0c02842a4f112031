/// A hybrid logical clock timestamp: physical milliseconds plus a logical counter.
///
/// HLCs only choose a deterministic display winner among concurrent writes; causality is decided
/// by version vectors.
public struct HLC: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var physical: Int64
    public var logical: UInt32

    public init(physical: Int64, logical: UInt32 = 0) {
        self.physical = physical
        self.logical = logical
    }

    public static let zero = HLC(physical: 0)

    public static func < (lhs: HLC, rhs: HLC) -> Bool {
        (lhs.physical, lhs.logical) < (rhs.physical, rhs.logical)
    }

    public var description: String { "\(physical).\(logical)" }

    enum CodingKeys: String, CodingKey {
        case physical = "ms"
        case logical = "n"
    }
}

/// The clock state of one replica: the last timestamp it issued or observed.
///
/// A pure value: the caller passes the physical time in, so tests can drive a clock that jumps
/// backwards and the rules stay free of I/O.
public struct HybridClock: Sendable, Codable, Equatable {
    public private(set) var last: HLC

    public init(last: HLC = .zero) {
        self.last = last
    }

    /// Stamps a local event (a write or a send). Never goes backwards, even when `physical` does.
    public mutating func tick(physical: Int64) -> HLC {
        if physical > last.physical {
            last = HLC(physical: physical, logical: 0)
        } else {
            last = Self.stamp(after: last.physical, last.logical)
        }
        return last
    }

    /// Moves the clock back to `physical` when it is ahead of it, so the next stamps follow a
    /// corrected clock instead of a wrong one that once ran ahead. Only for a replica whose
    /// stamps from the wrong clock were refused by the server and are stamped again: no other
    /// replica has seen them, so nothing anyone holds is ordered by them.
    public mutating func restart(at physical: Int64) {
        if last.physical > physical { last = HLC(physical: physical, logical: 0) }
    }

    /// Observes a remote timestamp, so later local stamps order after it.
    @discardableResult
    public mutating func receive(_ remote: HLC, physical: Int64) -> HLC {
        let top = max(last.physical, remote.physical, physical)
        if top == last.physical && top == remote.physical {
            last = Self.stamp(after: top, max(last.logical, remote.logical))
        } else if top == last.physical {
            last = Self.stamp(after: top, last.logical)
        } else if top == remote.physical {
            last = Self.stamp(after: top, remote.logical)
        } else {
            last = HLC(physical: top, logical: 0)
        }
        return last
    }

    /// The smallest stamp after `(physical, logical)`. An exhausted logical counter moves on to
    /// the next millisecond: wrapping it to 0 would order a new stamp before one already issued
    /// or received (a remote peer can send any counter).
    private static func stamp(after physical: Int64, _ logical: UInt32) -> HLC {
        if logical < .max { return HLC(physical: physical, logical: logical + 1) }
        if physical < .max { return HLC(physical: physical + 1, logical: 0) }
        return HLC(physical: physical, logical: logical)
    }
}
