import CRM
import HTTPTypes
import Hummingbird
import SyncCore

/// `/v1/admin/…`: users and devices (conflicts: `ConflictAdminController`). Every route needs a device token whose user
/// has the admin role.
struct AdminController<Storage: ServerStorage>: Sendable {
    let accounts: AccountService<Storage>
    let reader: RequestBodyReader
    let rateLimiter: RateLimiter

    struct CreateUserRequest: Codable, Sendable {
        var name: String
        var role: Role
        var territories: [String]?
        var team: [String]?
    }

    /// `PATCH /v1/admin/users/{name}`: the lists given replace the user's; absent ones stay.
    struct UpdateUserRequest: Codable, Sendable {
        var territories: [String]?
        var team: [String]?
    }

    struct EnrollmentCode: Codable, Sendable {
        var user: String
        var enrollmentCode: String
    }

    struct Revoked: Codable, Sendable {
        var replica: ReplicaID
        var revoked: Bool
    }

    /// `POST /v1/admin/devices/{replica}/reassign`: the user a revoked device moves to.
    struct ReassignDeviceRequest: Codable, Sendable {
        var user: String
    }

    struct Reassigned: Codable, Sendable {
        var replica: ReplicaID
        var user: String
    }

    /// `POST /v1/admin/accounts/{id}/points`: an admin's correction of an account's loyalty
    /// points (negative to take points away), with the reason the ledger keeps.
    struct PointsAdjustment: Codable, Sendable {
        var points: Int64
        var reason: String
    }

    /// The account's loyalty after an adjustment.
    struct PointsBalance: Codable, Sendable {
        var account: RecordID
        var balance: Int64
        var lifetime: Int64
        /// Points no device holds as escrow.
        var unallocated: Int64
    }

    struct Wiped: Codable, Sendable {
        var replica: ReplicaID
        var wiped: Bool
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("users", use: self.createUser)
        group.get("users", use: self.listUsers)
        group.patch("users/:name", use: self.updateUser)
        group.post("users/:name/code", use: self.issueCode)
        group.get("devices", use: self.listDevices)
        group.post("devices/:replica/revoke", use: self.revokeDevice)
        group.post("devices/:replica/wipe", use: self.wipeDevice)
        group.post("devices/:replica/reassign", use: self.reassignDevice)
        group.post("accounts/:id/points", use: self.adjustPoints)
    }

    @discardableResult
    private func admin(_ request: Request) async throws -> DeviceAccount {
        let device = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await rateLimiter.admitRequest(from: device.replica.rawValue)
        return try accounts.requireAdmin(device)
    }

    @Sendable func adjustPoints(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await admin(request)
        let account = try context.parameters.require("id")
        let body = try await reader.decode(PointsAdjustment.self, shape: RequestShapes.pointsAdjustment, from: request)
        let ledger = try await accounts.storage.adjustLoyaltyPoints(
            account: account, points: body.points, reason: body.reason, admin: admin.user.name, physicalTime: ServerClock.millisecondsSince1970()
        )
        return try JSONResponse.make(
            PointsBalance(account: account, balance: ledger.balance, lifetime: ledger.lifetimePoints, unallocated: ledger.unallocated), for: request
        )
    }

    @Sendable func createUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        let body = try await reader.decode(CreateUserRequest.self, shape: RequestShapes.createUserRequest, from: request)
        let created = try await accounts.createUser(name: body.name, role: body.role, territories: body.territories ?? [], team: body.team ?? [])
        return try JSONResponse.make(created, status: .created, for: request)
    }

    @Sendable func updateUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        let name = try context.parameters.require("name")
        let body = try await reader.decode(UpdateUserRequest.self, shape: RequestShapes.updateUserRequest, from: request)
        guard let current = try await accounts.storage.user(named: name) else {
            throw ServerError(.notFound, .noUserNamed, ["name": name])
        }
        let updated = try await accounts.updateUser(
            name: name, territories: body.territories ?? current.territories, team: body.team ?? current.team
        )
        return try JSONResponse.make(updated, for: request)
    }

    @Sendable func listUsers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        return try JSONResponse.make(try await accounts.storage.users(), for: request)
    }

    @Sendable func issueCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        let name = try context.parameters.require("name")
        let code = try await accounts.issueEnrollmentCode(for: name)
        return try JSONResponse.make(EnrollmentCode(user: name, enrollmentCode: code), status: .created, for: request)
    }

    @Sendable func listDevices(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        return try JSONResponse.make(try await accounts.storage.devices(), for: request)
    }

    @Sendable func revokeDevice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        let replica = try Self.replica(context)
        try await accounts.revokeDevice(replica)
        return try JSONResponse.make(Revoked(replica: replica, revoked: true), for: request)
    }

    @Sendable func wipeDevice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        let replica = try Self.replica(context)
        try await accounts.wipeDevice(replica)
        return try JSONResponse.make(Wiped(replica: replica, wiped: true), for: request)
    }

    @Sendable func reassignDevice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await admin(request)
        let replica = try Self.replica(context)
        let body = try await reader.decode(ReassignDeviceRequest.self, shape: RequestShapes.reassignDeviceRequest, from: request)
        try await accounts.reassignDevice(replica, to: body.user)
        return try JSONResponse.make(Reassigned(replica: replica, user: body.user), for: request)
    }

    private static func replica(_ context: AppRequestContext) throws -> ReplicaID {
        let text = try context.parameters.require("replica")
        guard let replica = ReplicaID(string: text) else {
            throw ServerError(.invalidRequest, .notAReplicaID, ["text": text])
        }
        return replica
    }
}
