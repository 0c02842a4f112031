import HTTPTypes
import Hummingbird
import NIOCore
import CRM
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

    @Sendable func sync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let device = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await rateLimiter.admitRequest(from: device.replica.rawValue)
        let syncRequest = try Self.syncRequest(from: try await reader.bytes(of: request))
        var response = try await sync.answer(syncRequest, from: device)
        if context.language != .english { response.results = response.results.map { $0.message(in: context.language) } }
        return try JSONResponse.make(answer: response, for: request)
    }

    /// Reads a sync request in one pass of `JSONReader`. The protocol version comes first: a
    /// future version may change the shape of everything else, and deserves
    /// `unsupported_protocol_version` rather than an error about its keys.
    static func syncRequest(from body: ByteBuffer) throws(ServerError) -> SyncRequest {
        let node: JSONNode
        do {
            node = try RequestBodyReader.parse(body, shape: SyncRequest.shape)
        } catch let error where error.code == .unknownKey {
            // Keys this version does not know may belong to another protocol version: read the
            // text again without a shape (an error path only), and say so.
            try checkVersion(try? JSONReader.parse(Array(body.readableBytesView)))
            throw error
        }
        try checkVersion(node)
        do {
            return try SyncRequest(json: node)
        } catch {
            throw RequestBodyReader.refusal(error)
        }
    }

    /// Refuses a request whose `protocol` is an integer other than this server's version (a
    /// missing or malformed one is refused by the request's reader).
    private static func checkVersion(_ node: JSONNode?) throws(ServerError) {
        guard let version = node?.objectValue?["protocol"]?.intValue, version != SyncProtocol.version else { return }
        throw ServerError(.unsupportedProtocolVersion, .protocolUnsupported, ["version": version, "supported": SyncProtocol.version])
    }

    @Sendable func enroll(_ request: Request, context: AppRequestContext) async throws -> Response {
        let enrollRequest = try await enrollReader.read(EnrollRequest.self, shape: RequestShapes.enrollRequest, from: request)
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
