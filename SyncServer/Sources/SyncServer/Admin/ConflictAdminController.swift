import Hummingbird
import SyncCore

/// `/v1/admin/conflicts…`, `/v1/admin/merge-duplicates`, `/v1/admin/records/{entity}/{id}/history`:
/// the conflict log and record audit as JSON. Every route needs an admin device token
/// (401 without a valid token, 403 for other roles).
struct ConflictAdminController<Storage: ServerStorage>: Sendable {
    let accounts: AccountService<Storage>
    let conflicts: ConflictAdminService<Storage>
    let reader: RequestBodyReader
    let guards: RequestGuards

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("conflicts", use: self.list)
        group.get("conflicts/:id", use: self.show)
        group.post("conflicts/:id/resolve", use: self.resolve)
        group.post("conflicts/:id/dismiss", use: self.dismiss)
        group.post("merge-duplicates", use: self.merge)
        group.get("records/:entity/:id/history", use: self.history)
    }

    private func admin(_ request: Request) async throws -> DeviceAccount {
        let device = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await guards.rateLimiter.admitRequest(from: device.replica.rawValue)
        return try accounts.requireAdmin(device)
    }

    static func conflictID(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw ServerError(.invalidRequest, .notAConflictID, ["text": text]) }
        return id
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await admin(request)
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
        let filter = try ConflictQuery.filter(parameters)
        return try JSONResponse.make(try await guards.expensiveReads.run { try await conflicts.list(filter) }, for: request)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await admin(request)
        return try JSONResponse.make(try await conflicts.detail(id: try Self.conflictID(context)), for: request)
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await admin(request)
        let id = try Self.conflictID(context)
        let body = try await reader.decode(ConflictResolution.self, shape: RequestShapes.conflictResolution, from: request)
        return try JSONResponse.make(try await conflicts.resolve(id: id, body, by: admin), for: request)
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await admin(request)
        let id = try Self.conflictID(context)
        let body = try await reader.decode(ConflictDismissal.self, shape: RequestShapes.conflictDismissal, from: request)
        let entry = try await conflicts.dismiss(id: id, reason: body.reason, by: admin)
        return try JSONResponse.make(ConflictResolutionResult(conflict: entry, sequences: []), for: request)
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try await admin(request)
        let body = try await reader.decode(DuplicateMergeRequest.self, shape: RequestShapes.duplicateMergeRequest, from: request)
        return try JSONResponse.make(try await conflicts.mergeDuplicates(body, by: admin), for: request)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await admin(request)
        let entity = try context.parameters.require("entity")
        let id = try context.parameters.require("id")
        return try JSONResponse.make(try await guards.expensiveReads.run { try await conflicts.history(entity: entity, id: id) }, for: request)
    }
}
