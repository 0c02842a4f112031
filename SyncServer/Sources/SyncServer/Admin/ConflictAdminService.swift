import Logging
import SyncCore

/// What admins do with conflicts and histories, shared by the JSON API and the web page.
///
/// Every decision lands as a server change written under the admin's name, so it appears in
/// the log, in record histories, and reaches devices on their next sync like any edit.
public struct ConflictAdminService<Storage: ServerStorage>: Sendable {
    public let storage: Storage
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(storage: Storage, logger: Logger, now: @escaping @Sendable () -> Int64 = { ServerClock.millisecondsSince1970() }) {
        self.storage = storage
        self.logger = logger
        self.now = now
    }

    public func list(_ filter: ConflictFilter) async throws -> ConflictList {
        try await storage.conflictList(filter, now: now())
    }

    public func detail(id: Int64) async throws -> ConflictDetail {
        guard let detail = try await storage.conflictDetail(id: id) else {
            throw ServerError(.notFound, .noConflict, ["id": id])
        }
        return detail
    }

    public func resolve(id: Int64, _ resolution: ConflictResolution, by admin: DeviceAccount) async throws -> ConflictResolutionResult {
        let result = try await storage.resolveConflict(id: id, resolution, by: try await author(admin))
        logger.info(
            "conflict resolved",
            metadata: ["conflict": "\(id)", "action": "\(resolution.action.rawValue)", "admin": "\(admin.user.name)", "changes": "\(result.sequences.count)"]
        )
        return result
    }

    public func dismiss(id: Int64, reason: String, by admin: DeviceAccount) async throws -> ConflictLogEntry {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 1000 else {
            throw ServerError(.invalidRequest, .dismissalReason)
        }
        let entry = try await storage.dismissConflict(id: id, reason: trimmed, by: admin.user.name, at: now())
        logger.info("conflict dismissed", metadata: ["conflict": "\(id)", "admin": "\(admin.user.name)"])
        return entry
    }

    public func mergeDuplicates(_ request: DuplicateMergeRequest, by admin: DeviceAccount) async throws -> DuplicateMergeResult {
        let result = try await storage.mergeDuplicates(request, by: try await author(admin))
        logger.info(
            "duplicates merged",
            metadata: ["survivor": "\(request.survivor)", "duplicate": "\(request.duplicate)", "admin": "\(admin.user.name)", "repointed": "\(result.repointed.count)"]
        )
        return result
    }

    public func history(entity: String, id: RecordID) async throws -> RecordHistory {
        guard let history = try await storage.recordHistory(entity: entity, id: id) else {
            throw ServerError(.notFound, .noRecordOnServer, ["entity": entity, "id": id])
        }
        return history
    }

    /// Admin decisions are written by the server replica under the admin's name.
    private func author(_ admin: DeviceAccount) async throws -> ChangeAuthor {
        ChangeAuthor(user: admin.user.name, device: try await storage.serverReplica().rawValue, receivedAt: now())
    }
}

/// Parses the query parameters of a conflict listing (API and web page alike).
public enum ConflictQuery {
    /// `status` (open, resolved_by_edit, resolved_by_admin, dismissed, closed, all), `entity`,
    /// `kind`, `territory`, `user`, `older_than` / `newer_than` (`90s`, `45m`, `2h`, `3d`),
    /// `limit`, `offset`. Empty values count as absent.
    public static func filter(_ parameters: [String: String]) throws(ServerError) -> ConflictFilter {
        func value(_ name: String) -> String? {
            guard let text = parameters[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        var filter = ConflictFilter()
        switch value("status") ?? "open" {
        case "all": filter.statuses = nil
        case "closed": filter.statuses = [.resolvedByEdit, .resolvedByAdmin, .dismissed]
        case let text:
            guard let status = ConflictStatus(rawValue: text) else {
                throw ServerError(.invalidRequest, .conflictStatusFilter, ["status": text])
            }
            filter.statuses = [status]
        }
        filter.entity = value("entity")
        if let text = value("kind") {
            guard let kind = ConflictKind(rawValue: text) else {
                throw ServerError(.invalidRequest, .conflictKindFilter, ["kinds": ConflictKind.allCases.map(\.rawValue).joined(separator: ", "), "kind": text])
            }
            filter.kind = kind
        }
        filter.territory = value("territory")
        filter.user = value("user")
        if let text = value("q") {
            guard text.count <= 200 else { throw ServerError(.invalidRequest, .queryTooLong) }
            filter.query = text
        }
        if let text = value("older_than") ?? value("age") { filter.olderThan = try duration(text, name: "older_than") }
        if let text = value("newer_than") { filter.newerThan = try duration(text, name: "newer_than") }
        if let text = value("limit") {
            guard let limit = Int(text), (1...1000).contains(limit) else { throw ServerError(.invalidRequest, .listLimit) }
            filter.limit = limit
        }
        if let text = value("offset") {
            guard let offset = Int(text), offset >= 0 else { throw ServerError(.invalidRequest, .listOffset) }
            filter.offset = offset
        }
        return filter
    }

    /// Milliseconds of `90s`, `45m`, `2h`, `3d`, `1w` (a bare number is hours).
    public static func duration(_ text: String, name: String) throws(ServerError) -> Int64 {
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]
        var digits = text.lowercased()
        var unit: Int64 = 3_600_000
        if let last = digits.last, let factor = units[last] {
            unit = factor
            digits.removeLast()
        }
        guard let amount = Int64(digits), amount >= 0, amount < Int64.max / unit else {
            throw ServerError(.invalidRequest, .durationInvalid, ["name": name, "text": text])
        }
        return amount * unit
    }
}
