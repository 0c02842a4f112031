import SyncCore

/// What a user may do.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// A field rep: sees the accounts of their territories.
    case rep
    /// Sees their own territories and those of the members of their team.
    case manager
    /// Sees everything and may use the admin endpoints.
    case admin
}

/// A person who may enroll devices.
public struct UserAccount: Sendable, Hashable, Codable {
    public var name: String
    public var role: Role
    public var territories: [String]
    /// For a manager: the users whose territories the manager also sees. Empty for others.
    public var team: [String]
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(name: String, role: Role, territories: [String], team: [String] = [], createdAt: Int64) {
        self.name = name
        self.role = role
        self.territories = territories
        self.team = team
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name, role, territories, team, createdAt
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        role = try container.decode(Role.self, forKey: .role)
        territories = try container.decode([String].self, forKey: .territories)
        team = try container.decodeIfPresent([String].self, forKey: .team) ?? []
        createdAt = try container.decode(Int64.self, forKey: .createdAt)
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
    /// An admin wiped the device (a lost or stolen phone): it is also revoked, its requests get
    /// 410 `device_wiped`, and the client deletes its local store on that answer.
    public var isWiped: Bool
    /// The scope the device's local data was replicated under (server bookkeeping, not part of
    /// the JSON): when the user's scope differs, the device is told to resync.
    public var replicatedScope: AccessScope?
    /// Set when the server answered `resync` (server bookkeeping): the high-water mark of the
    /// snapshot that answer started. Until the device comes back bootstrapping from it, the
    /// answer may have been lost, and the device is told to resync again.
    public var resyncHighWater: LogSequence?
    /// The enrollment code that enrolled the device still works (server bookkeeping): the
    /// device has not synced since, and its next sync retires the code.
    public var enrollmentPending: Bool = false

    public init(
        replica: ReplicaID, name: String, user: UserAccount, cursor: LogSequence?, lastSeen: Int64?,
        enrolledAt: Int64, isRevoked: Bool, isWiped: Bool = false, replicatedScope: AccessScope? = .everything, resyncHighWater: LogSequence? = nil,
        enrollmentPending: Bool = false
    ) {
        self.replica = replica
        self.name = name
        self.user = user
        self.cursor = cursor
        self.lastSeen = lastSeen
        self.enrolledAt = enrolledAt
        self.isRevoked = isRevoked
        self.isWiped = isWiped
        self.replicatedScope = replicatedScope
        self.resyncHighWater = resyncHighWater
        self.enrollmentPending = enrollmentPending
    }

    enum CodingKeys: String, CodingKey {
        case replica, name, user, cursor, lastSeen, enrolledAt, isRevoked, isWiped
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
