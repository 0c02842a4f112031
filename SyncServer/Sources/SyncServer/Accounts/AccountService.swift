import Foundation
import Logging
import SyncCore

/// Users, enrollment and device authentication, with no HTTP inside.
public struct AccountService<Storage: ServerStorage>: Sendable {
    public let storage: Storage
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(storage: Storage, logger: Logger, now: @escaping @Sendable () -> Int64 = { ServerClock.millisecondsSince1970() }) {
        self.storage = storage
        self.logger = logger
        self.now = now
    }

    /// A new user and the one-time code their first device enrolls with (shown once, stored
    /// only as a hash).
    public struct NewUser: Sendable, Hashable, Codable {
        public var user: UserAccount
        public var enrollmentCode: String
    }

    /// Creates a user with a one-time enrollment code. Only a manager has a `team`: the users
    /// whose territories the manager also sees; they must exist.
    public func createUser(name: String, role: Role, territories: [String], team: [String] = []) async throws -> NewUser {
        let territories = try Self.checkUser(name: name, role: role, territories: territories)
        let team = try await checkTeam(team, of: name, role: role)
        let user = UserAccount(name: name, role: role, territories: territories, team: team, createdAt: now())
        let code = Credentials.makeEnrollmentCode()
        let stored = try await storage.createUser(user, enrollmentCodeHash: Credentials.enrollmentCodeHash(code))
        logger.info("user created", metadata: ["user": "\(name)", "role": "\(role.rawValue)"])
        return NewUser(user: stored, enrollmentCode: code)
    }

    /// Replaces a user's territories and team. Their devices resync on their next sync: they
    /// drop what left the new scope and receive what entered it.
    public func updateUser(name: String, territories: [String], team: [String]) async throws -> UserAccount {
        guard let current = try await storage.user(named: name) else {
            throw ServerError(.notFound, .noUserNamed, ["name": name])
        }
        let territories = try Self.checkUser(name: name, role: current.role, territories: territories)
        let team = try await checkTeam(team, of: name, role: current.role)
        let user = try await storage.updateUser(named: name, territories: territories, team: team)
        logger.info("user scope changed", metadata: ["user": "\(name)", "territories": "\(territories)", "team": "\(team)"])
        return user
    }

    /// What `user`'s devices may read and write: everything for an admin, the user's
    /// territories for a rep, and for a manager their own territories plus those of each team
    /// member (as the members' accounts say now; teams do not nest).
    public func accessScope(of user: UserAccount) async throws -> AccessScope {
        try await AccessScope.of(user, in: storage)
    }

    /// Issues a new one-time code for an existing user (another device, or a lost code); the
    /// previous unused code stops working.
    public func issueEnrollmentCode(for name: String) async throws -> String {
        let code = Credentials.makeEnrollmentCode()
        try await storage.setEnrollmentCode(user: name, codeHash: Credentials.enrollmentCodeHash(code))
        logger.info("enrollment code issued", metadata: ["user": "\(name)"])
        return code
    }

    /// Trades a one-time code for a device token; a retry of the same replica with the same
    /// code, or a re-enrollment with a new code of the same user, gets a new token (see
    /// `ServerStorage.enrollDevice`).
    public func enroll(_ request: EnrollRequest) async throws -> EnrollResponse {
        let deviceName = request.deviceName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !deviceName.isEmpty, deviceName.count <= 100 else {
            throw ServerError(.invalidRequest, .deviceNameLength)
        }
        let token = Credentials.makeDeviceToken()
        let time = now()
        let user = try await storage.enrollDevice(
            codeHash: Credentials.enrollmentCodeHash(request.code),
            replica: request.replica,
            name: deviceName,
            tokenHash: Credentials.tokenHash(token),
            at: time
        )
        logger.info("device enrolled", metadata: ["user": "\(user.name)", "device": "\(request.replica.short)", "name": "\(deviceName)"])
        return EnrollResponse(token: token, user: user.name, role: user.role.rawValue, territories: user.territories, serverTime: time)
    }

    /// The device presenting `authorization` (an HTTP `Authorization` header value).
    ///
    /// The token is found by its hash (an index lookup that reveals nothing about near
    /// misses), and the stored hash is then compared in constant time.
    public func authenticate(authorization: String?) async throws -> DeviceAccount {
        guard let authorization, let token = Self.bearerToken(authorization) else {
            throw ServerError(.unauthorized, .needsDeviceToken)
        }
        return try await authenticate(tokenHash: Credentials.tokenHash(token))
    }

    /// The device whose token has this hash (an admin web session keeps the hash, never the
    /// token), checked like a presented token.
    public func authenticate(tokenHash hash: String) async throws -> DeviceAccount {
        guard let stored = try await storage.device(tokenHash: hash), Credentials.constantTimeEquals(stored.tokenHash, hash) else {
            throw ServerError(.unauthorized, .invalidDeviceToken)
        }
        // A wiped device is also revoked; it must hear that it was wiped.
        guard !stored.device.isWiped else {
            throw ServerError.wipedDevice
        }
        guard !stored.device.isRevoked else {
            throw ServerError.revokedDevice
        }
        return stored.device
    }

    /// Signs an admin in to the web page with a one-time code (an enrollment code of theirs):
    /// the browser session becomes a device of its own ("admin web sign-in", listed with the
    /// user's devices, revocable like any), so no token is ever copied or typed. A code of a
    /// user who is not an admin is used up and its device revoked at once.
    public func signInToWebPage(code: String) async throws -> (device: DeviceAccount, token: String) {
        let replica = ReplicaID()
        let enrolled = try await enroll(EnrollRequest(code: code, replica: replica, deviceName: "admin web sign-in"))
        let device = try await authenticate(authorization: "Bearer \(enrolled.token)")
        do {
            return (try requireAdmin(device), enrolled.token)
        } catch {
            try await revokeDevice(replica)
            throw ServerError(.forbidden, .adminPageNeedsAdmin, ["user": device.user.name, "role": device.user.role.rawValue])
        }
    }

    /// `device` if its user is an admin.
    public func requireAdmin(_ device: DeviceAccount) throws -> DeviceAccount {
        guard device.user.role == .admin else {
            throw ServerError(.forbidden, .endpointNeedsAdmin, ["user": device.user.name, "role": device.user.role.rawValue])
        }
        return device
    }

    public func revokeDevice(_ replica: ReplicaID) async throws {
        guard try await storage.revokeDevice(replica) else {
            throw ServerError(.notFound, .noDevice, ["replica": replica])
        }
        logger.info("device revoked", metadata: ["device": "\(replica)"])
    }

    /// Moves a revoked device to another user: the admin's approval for that user's next code
    /// to re-enroll it (it then pushes its outbox as that user's, within that user's scope).
    public func reassignDevice(_ replica: ReplicaID, to user: String) async throws {
        try await storage.reassignDevice(replica, to: user)
        logger.info("device reassigned", metadata: ["device": "\(replica)", "user": "\(user)"])
    }

    /// Wipes a lost or stolen device: from its next request on, nothing from it is accepted and
    /// it is told (410 `device_wiped`) to delete its local store. It cannot enroll again.
    public func wipeDevice(_ replica: ReplicaID) async throws {
        guard try await storage.wipeDevice(replica) else {
            throw ServerError(.notFound, .noDevice, ["replica": replica])
        }
        logger.info("device wiped", metadata: ["device": "\(replica)"])
    }

    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// Checks a team: only managers have one, its members exist, and no one is on their own team.
    func checkTeam(_ team: [String], of name: String, role: Role) async throws -> [String] {
        var cleaned: [String] = []
        for member in team where !cleaned.contains(member) {
            cleaned.append(member)
        }
        guard !cleaned.isEmpty else { return [] }
        guard role == .manager else {
            throw ServerError(.invalidUser, .onlyManagerHasTeam, ["name": name, "role": role.rawValue])
        }
        guard cleaned.count <= 1000 else { throw ServerError(.invalidUser, .teamTooLarge) }
        for member in cleaned {
            guard member != name else { throw ServerError(.invalidUser, .ownTeam, ["name": name]) }
            guard try await storage.user(named: member) != nil else {
                throw ServerError(.invalidUser, .teamMemberUnknown, ["member": member])
            }
        }
        return cleaned
    }

    /// Checks a new user's fields; returns the cleaned territories.
    static func checkUser(name: String, role: Role, territories: [String]) throws(ServerError) -> [String] {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (1...64).contains(name.count), name.allSatisfy({ allowed.contains($0) }) else {
            throw ServerError(.invalidUser, .userNameInvalid, ["name": name])
        }
        guard territories.count <= 1000 else { throw ServerError(.invalidUser, .userTerritoriesTooMany) }
        var cleaned: [String] = []
        for territory in territories {
            let trimmed = territory.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...64).contains(trimmed.count) else {
                throw ServerError(.invalidUser, .territoryNameLength, ["territory": territory])
            }
            if !cleaned.contains(trimmed) { cleaned.append(trimmed) }
        }
        if role != .admin && cleaned.isEmpty {
            throw ServerError(.invalidUser, .roleNeedsTerritory, ["role": role.rawValue])
        }
        return cleaned
    }
}
