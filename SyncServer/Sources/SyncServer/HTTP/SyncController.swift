import HTTPTypes
import Hummingbird
import NIOCore
import SyncCore

/// `POST /v1/sync`, `POST /v1/enroll` and `GET /v1/territories`: the device side of the protocol.
struct SyncController<Storage: ServerStorage>: Sendable {
    let sync: SyncService<Storage>
    let accounts: AccountService<Storage>
    let reader: RequestBodyReader
    /// Enrollment reads its body before it knows the caller: a small limit.
    let enrollReader: RequestBodyReader
    let rateLimiter: RateLimiter

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("sync", use: self.sync)
        group.post("enroll", use: self.enroll)
        group.get("territories", use: self.territories)
    }

    /// The server's territory list, for any enrolled device: it refuses other territories in
    /// its own edits (an empty list: the server manages none).
    @Sendable func territories(_ request: Request, context: AppRequestContext) async throws -> Response {
        let device = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await rateLimiter.admitRequest(from: device.replica.rawValue)
        return try JSONResponse.make(try await accounts.storage.territories(), for: request)
    }

    /// Only the protocol version, read before the whole body: a future version may change
    /// the shape of everything else, and deserves `unsupported_protocol_version` rather than
    /// a decoding error.
    private struct VersionProbe: Decodable {
        var version: Int

        enum CodingKeys: String, CodingKey { case version = "protocol" }
    }

    @Sendable func sync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let device = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await rateLimiter.admitRequest(from: device.replica.rawValue)
        let body = try await reader.bytes(of: request)
        do {
            try RequestBodyReader.check(body, shape: RequestShapes.syncRequest)
        } catch let error where error.code == .unknownKey {
            // Keys this version does not know may belong to another protocol version: say so.
            try checkVersion(body)
            throw error
        }
        try checkVersion(body)
        let syncRequest = try RequestBodyReader.decode(SyncRequest.self, from: body)
        let response = try await sync.sync(syncRequest, from: device)
        return try JSONResponse.make(response, for: request)
    }

    private func checkVersion(_ body: ByteBuffer) throws {
        let probe = try RequestBodyReader.decode(VersionProbe.self, from: body)
        guard probe.version == SyncProtocol.version else {
            throw ServerError(
                .unsupportedProtocolVersion,
                "protocol version \(probe.version) is not supported; this server speaks version \(SyncProtocol.version)"
            )
        }
    }

    @Sendable func enroll(_ request: Request, context: AppRequestContext) async throws -> Response {
        let enrollRequest = try await enrollReader.decode(EnrollRequest.self, shape: RequestShapes.enrollRequest, from: request)
        let response = try await accounts.enroll(enrollRequest)
        return try JSONResponse.make(response, status: .created, for: request)
    }
}

/// `GET /v1/health`: liveness, the server clock and the protocol version, no auth.
struct HealthController<Storage: ServerStorage>: Sendable {
    let storage: Storage

    struct Health: Codable, Sendable {
        var status: String
        var protocolVersion: Int
        var serverTime: Int64
        var replica: String

        enum CodingKeys: String, CodingKey { case status, protocolVersion = "protocol", serverTime, replica }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("health", use: self.health)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let replica = try await storage.serverReplica()
        return try JSONResponse.make(
            Health(status: "ok", protocolVersion: SyncProtocol.version, serverTime: ServerClock.millisecondsSince1970(), replica: replica.rawValue),
            for: request
        )
    }
}
