import Foundation

/// The identity of one replica: a device database or the server.
///
/// Replica ids order by their lowercase text so that ties between concurrent writes break the
/// same way on every machine.
public struct ReplicaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The lowercase canonical text of the UUID.
    public let rawValue: String

    public init(_ uuid: UUID = UUID()) {
        self.rawValue = uuid.uuidString.lowercased()
    }

    /// Parses a UUID text; returns nil when it is not a UUID.
    public init?(string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.init(uuid)
    }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    /// The first eight characters, enough to tell replicas apart in a table.
    public var short: String { String(rawValue.prefix(8)) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ReplicaID(string: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a replica UUID: \(text)")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
