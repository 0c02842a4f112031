import CRM
import Foundation
import SyncCore

/// The reports of CRM-DOMAIN.md over the server's records, for managers and admins: the same
/// `ReportCatalog` the devices run, over what the caller may see. No HTTP inside.
public struct ReportService<Storage: ServerStorage>: Sendable {
    public let storage: Storage
    let schema: Schema
    let now: @Sendable () -> Int64

    public init(storage: Storage, schema: Schema = CRMSchema.schema, now: @escaping @Sendable () -> Int64 = { ServerClock.millisecondsSince1970() }) {
        self.storage = storage
        self.schema = schema
        self.now = now
    }

    /// The roles that may read reports.
    public static var readerRoles: Set<Role> { [.manager, .admin] }

    /// `device` if its user may read reports (a manager or an admin).
    public func requireReader(_ device: DeviceAccount) throws(ServerError) -> DeviceAccount {
        guard Self.readerRoles.contains(device.user.role) else {
            throw ServerError(.forbidden, "reports need the manager or admin role; '\(device.user.name)' is a \(device.user.role.rawValue)")
        }
        return device
    }

    /// The part of the data a report for `device` covers.
    ///
    /// Scope hook: every reader sees everything until territory scopes exist. The scope work
    /// returns a territory scope here for managers (`device.user.territories`, their team's
    /// territories); `visible(_:in:)` then filters by it, and every report follows.
    public static func readScope(for device: DeviceAccount) -> ReadScope {
        switch device.user.role {
        case .admin, .manager, .rep: return .everything
        }
    }

    /// The records of `states` inside `scope`.
    static func visible(_ states: [RecordState], in scope: ReadScope) -> [RecordState] {
        switch scope {
        case .everything: return states
        }
    }

    /// How a scope is named in a report document.
    static func describe(_ scope: ReadScope) -> String {
        switch scope {
        case .everything: return "everything"
        }
    }

    /// Computes one report for `device` (already checked with `requireReader`).
    ///
    /// - Throws: `ServerError` `.notFound` for an unknown report, `.invalidRequest` for a bad
    ///   or unknown parameter.
    public func report(_ name: String, query: [String: String], for device: DeviceAccount) async throws -> ReportDocument {
        guard let report = ReportName(rawValue: name) else {
            throw ServerError(.notFound, "no report '\(name)'; reports: \(ReportName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let parameters: ReportParameters
        do throws(ReportParameterError) {
            parameters = try ReportParameters(query: query, for: report)
        } catch {
            throw ServerError(.invalidRequest, error.message)
        }
        let scope = Self.readScope(for: device)
        let dataSet = CRMDataSet(states: Self.visible(try await storage.records(), in: scope), schema: schema)
        let instant = Instant(secondsSinceEpoch: now() / 1000)
        return ReportDocument.compute(report, over: dataSet, parameters: parameters, now: instant, source: .server, scope: Self.describe(scope))
    }
}
