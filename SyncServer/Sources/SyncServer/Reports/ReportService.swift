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
            throw ServerError(.forbidden, .reportsNeedManager, ["user": device.user.name, "role": device.user.role.rawValue])
        }
        return device
    }

    /// The records of `states` inside `scope`: a record's place is resolved the way the sync
    /// server resolves it (`ScopeKey`): its own territory, its account's territory for a child,
    /// global for reference data; a child whose account is missing is seen by admins only.
    static func visible(_ states: [RecordState], in scope: ReadScope, schema: Schema) -> [RecordState] {
        guard !scope.isEverything else { return states }
        var territories: [String: [RecordID: String]] = [:]
        for state in states {
            if case .territory(let field)? = schema.entity(state.entity)?.scope, let territory = state.value(of: field).stringValue {
                territories[state.entity, default: [:]][state.id] = territory
            }
        }
        return states.filter { state in
            guard let entity = schema.entity(state.entity) else { return false }
            let key: ScopeKey
            switch entity.scope {
            case .global:
                key = .global
            case .territory(let field):
                key = state.value(of: field).stringValue.map(ScopeKey.territory) ?? .unassigned
            case .account(let field):
                if let account = state.value(of: field).stringValue, let root = entity.field(field)?.type.referencedEntity,
                    let territory = territories[root]?[account]
                {
                    key = .territory(territory)
                } else {
                    key = .unassigned
                }
            }
            return scope.covers(key)
        }
    }

    /// How a scope is named in a report document.
    static func describe(_ scope: ReadScope) -> String {
        scope.sortedTerritories.map { "territories " + $0.joined(separator: ", ") } ?? "everything"
    }

    /// Computes one report for `device` (already checked with `requireReader`).
    ///
    /// - Throws: `ServerError` `.notFound` for an unknown report, `.invalidRequest` for a bad
    ///   or unknown parameter.
    public func report(_ name: String, query: [String: String], for device: DeviceAccount) async throws -> ReportDocument {
        guard let report = ReportName(rawValue: name) else {
            throw ServerError(.notFound, .noReport, ["name": name, "reports": ReportName.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        let parameters: ReportParameters
        do throws(ReportParameterError) {
            parameters = try ReportParameters(query: query, for: report)
        } catch {
            throw ServerError(.invalidRequest, reason: error.message)
        }
        let scope = try await AccessScope.of(device.user, in: storage)
        let visible = Self.visible(try await storage.records(), in: scope, schema: schema)
        var dataSet = CRMDataSet(states: visible, schema: schema)
        // Only the visible records' entries are ever looked up: the timeline is read by record.
        if FieldTimeline.reports.contains(report) {
            dataSet.timeline = FieldTimeline(changes: try await storage.loggedChanges(of: Array(FieldTimeline.trackedFields.keys).sorted()), states: visible)
        }
        let instant = Instant(secondsSinceEpoch: now() / 1000)
        return ReportDocument.compute(report, over: dataSet, parameters: parameters, now: instant, source: .server, scope: Self.describe(scope))
    }

    /// The SVG chart of a report that has one (pipeline, conversion): `output` may hold
    /// `measure` (count, amount, weighted_amount) and `style` (funnel, bars); `parameters` are
    /// the report's own. Its title and labels are in `language`.
    public func chart(_ name: String, parameters: [String: String], output: [String: String], for device: DeviceAccount, language: Language = .english) async throws -> String {
        if let format = output["format"], format != "svg" {
            throw ServerError(.invalidRequest, .chartIsSVG, ["format": format])
        }
        guard let report = ReportName(rawValue: name), report.hasChart else {
            let charts = ReportName.allCases.filter(\.hasChart).map { "\($0.rawValue).svg" }.joined(separator: ", ")
            throw ServerError(.notFound, .noChart, ["name": name, "charts": charts])
        }
        let measureText = output["measure"] ?? PipelineReport.ChartMeasure.amount.rawValue
        guard let measure = PipelineReport.ChartMeasure(rawValue: measureText) else {
            throw ServerError(.invalidRequest, .chartMeasure, ["measure": measureText])
        }
        let styleText = output["style"] ?? BarChart.Style.funnel.rawValue
        guard let style = BarChart.Style(rawValue: styleText) else {
            throw ServerError(.invalidRequest, .chartStyle, ["style": styleText])
        }
        let document = try await self.report(report.rawValue, query: parameters, for: device)
        guard let chart = document.result.chart(measure: measure, style: style, currency: document.parameters.currency) else {
            throw ServerError(.notFound, .reportHasNoChart, ["report": report])
        }
        return SVGChartRenderer.render(chart.localized(language))
    }
}
