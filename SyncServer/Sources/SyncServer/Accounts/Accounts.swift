import SyncCore

/// What a user may do.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// A field rep: sees the accounts of their territories.
    case rep
    /// Sees the territories of their team.
    case manager
    /// Sees everything and may use the admin endpoints.
    case admin
}

/// A person who may enroll devices.
public struct UserAccount: Sendable, Hashable, Codable {
    public var name: String
    public var role: Role
    public var territories: [String]
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(name: String, role: Role, territories: [String], createdAt: Int64) {
        self.name = name
        self.role = role
        self.territories = territories
        self.createdAt = createdAt
    }
}

/// An enrolled device: one replica of one user.
public struct DeviceAccount: Sendable, Hashable, Codable {
    public var replica: ReplicaID
    public var name: String
    public var user: UserAccount
    /// The last log sequence the device reported having applied.
    public var cursor: LogSequence?
    /// The last sync, milliseconds since 1970.
    public var lastSeen: Int64?
    public var enrolledAt: Int64
    public var isRevoked: Bool

    public init(
        replica: ReplicaID, name: String, user: UserAccount, cursor: LogSequence?, lastSeen: Int64?,
        enrolledAt: Int64, isRevoked: Bool
    ) {
        self.replica = replica
        self.name = name
        self.user = user
        self.cursor = cursor
        self.lastSeen = lastSeen
        self.enrolledAt = enrolledAt
        self.isRevoked = isRevoked
    }
}

/// A device as found by its token hash, with the stored hash for the constant-time check.
public struct StoredDeviceCredential: Sendable, Hashable {
    public var device: DeviceAccount
    public var tokenHash: String

    public init(device: DeviceAccount, tokenHash: String) {
        self.device = device
        self.tokenHash = tokenHash
    }
}
