/// One write event: the replica that made it and that replica's counter at the time.
///
/// Counters are per replica, strictly increasing and never reused, so a dot names exactly one
/// change everywhere.
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var replica: ReplicaID
    public var counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        lhs.replica == rhs.replica ? lhs.counter < rhs.counter : lhs.replica < rhs.replica
    }

    public var description: String { "\(replica.short):\(counter)" }

    enum CodingKeys: String, CodingKey {
        case replica = "r"
        case counter = "c"
    }
}
