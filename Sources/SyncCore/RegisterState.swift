/// One value of a multi-value register, with the write that made it.
public struct Sibling: Hashable, Sendable, Codable {
    public var value: Value
    public var dot: Dot
    public var hlc: HLC

    public init(value: Value, dot: Dot, hlc: HLC) {
        self.value = value
        self.dot = dot
        self.hlc = hlc
    }

    /// Display order: the greatest `(hlc, replica)` wins. Two siblings from one replica cannot
    /// be concurrent, so the counter only makes the order total.
    public static func displayOrder(_ lhs: Sibling, _ rhs: Sibling) -> Bool {
        (lhs.hlc, lhs.dot.replica, lhs.dot.counter) < (rhs.hlc, rhs.dot.replica, rhs.dot.counter)
    }
}

/// A multi-value register: the maximal concurrent writes, kept sorted by dot.
///
/// Keeping every concurrent write (not only the display winner) is what makes the merged state
/// independent of delivery order.
public struct RegisterState: Hashable, Sendable, Codable {
    public private(set) var siblings: [Sibling]

    public init(siblings: [Sibling] = []) {
        self.siblings = siblings.sorted { $0.dot < $1.dot }
    }

    /// Siblings already in dot order, as a store wrote them; sorted again only if they are not.
    init(sortedSiblings siblings: [Sibling]) {
        // By position, comparing only the dots (a `zip` of the siblings copied each one).
        var sorted = true
        for index in siblings.indices.dropFirst() where !(siblings[index - 1].dot < siblings[index].dot) {
            sorted = false
            break
        }
        self.siblings = sorted ? siblings : siblings.sorted { $0.dot < $1.dot }
    }

    /// The displayed sibling, or nil for a register never written.
    public var winner: Sibling? {
        // By position, so the siblings compared are not copied (this runs for every field of
        // every record a store writes); the first of equals wins, as with `max(by:)`.
        guard !siblings.isEmpty else { return nil }
        var best = 0
        for index in 1..<siblings.count where Sibling.displayOrder(siblings[best], siblings[index]) { best = index }
        return siblings[best]
    }

    public var value: Value { winner?.value ?? .null }

    /// Siblings holding more than one distinct value are an open conflict. Concurrent writes
    /// of the same value (two devices importing one price list) stay siblings, so that every
    /// replica converges, but leave nothing to choose.
    public var isConflicted: Bool {
        guard let first = siblings.first else { return false }
        return siblings.dropFirst().contains { $0.value != first.value }
    }

    /// Applies a write: drops the siblings the writer had seen, then joins the new value.
    /// The caller has already discarded duplicates.
    public mutating func apply(_ value: Value, dot: Dot, hlc: HLC, context: VersionVector) {
        apply(value, dot: dot, hlc: hlc, context: context, inPlace: true)
    }

    /// `inPlace` says whether the caller holds the only copy of the siblings: then they are
    /// edited where they lie; otherwise one new array is built, since editing a shared one
    /// would copy it first and perhaps grow it again.
    mutating func apply(_ value: Value, dot: Dot, hlc: HLC, context: VersionVector, inPlace: Bool) {
        let sibling = Sibling(value: value, dot: dot, hlc: hlc)
        // The common case, one writer that saw the last write: replace it.
        if siblings.count == 1 && context.covers(siblings[0].dot) {
            if inPlace { siblings[0] = sibling } else { siblings = [sibling] }
            return
        }
        if inPlace {
            if siblings.contains(where: { context.covers($0.dot) }) {
                siblings.removeAll { context.covers($0.dot) }
            }
            let index = siblings.firstIndex { dot < $0.dot } ?? siblings.endIndex
            siblings.insert(sibling, at: index)
            return
        }
        var kept: [Sibling] = []
        kept.reserveCapacity(siblings.count + 1)
        var inserted = false
        for existing in siblings where !context.covers(existing.dot) {
            if !inserted && dot < existing.dot {
                kept.append(sibling)
                inserted = true
            }
            kept.append(existing)
        }
        if !inserted { kept.append(sibling) }
        siblings = kept
    }

    /// Gives the sibling written by `dot` the stamp `hlc` (the write was stamped again before
    /// anyone else saw it). The order by dot is unchanged.
    public mutating func restamp(_ dot: Dot, to hlc: HLC) {
        for index in siblings.indices where siblings[index].dot == dot {
            siblings[index].hlc = hlc
        }
    }

    /// The state-based join with another replica's register, given both records' versions.
    public func joined(_ other: RegisterState, selfVersion: VersionVector, otherVersion: VersionVector) -> RegisterState {
        let mine = Set(siblings.map(\.dot))
        let theirs = Set(other.siblings.map(\.dot))
        var kept = siblings.filter { theirs.contains($0.dot) || !otherVersion.covers($0.dot) }
        kept += other.siblings.filter { !mine.contains($0.dot) && !selfVersion.covers($0.dot) }
        return RegisterState(siblings: kept)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(siblings: try container.decode([Sibling].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(siblings)
    }
}
