import CRM
import SyncCore
import SyncStore

/// The ABC tier (客户分级) and lifecycle stage (生命周期) each account should have, from the
/// device's orders and activities, and the edits that write the ones that differ.
public struct AccountClassification: Encodable, Sendable {
    /// One account's stored and suggested classes.
    public struct Row: Encodable, Sendable {
        public var account: RecordID
        public var name: String
        public var revenue: Amount
        public var share: Double
        public var tier: String?
        public var suggestedTier: String
        public var purchases: Int
        public var lastContactOn: CalendarDay?
        public var lifecycle: String?
        public var suggestedLifecycle: String

        public var tierChanges: Bool { tier != suggestedTier }
        public var lifecycleChanges: Bool { lifecycle != suggestedLifecycle }
        public var changes: Bool { tierChanges || lifecycleChanges }

        enum CodingKeys: String, CodingKey {
            case account, name, revenue, share, tier, suggestedTier, purchases, lastContactOn, lifecycle, suggestedLifecycle
        }
    }

    public var abc: ABCClassification
    public var lifecycles: LifecycleReport
    /// Every account, ranked by revenue (accounts without revenue last, by name).
    public var rows: [Row]

    public init(_ dataSet: CRMDataSet, parameters: ReportParameters, now: Instant) {
        let abc = ReportCatalog.abcClassification(dataSet, parameters: parameters, now: now)
        let lifecycles = ReportCatalog.lifecycleReport(dataSet, parameters: parameters, now: now)
        self.abc = abc
        self.lifecycles = lifecycles
        let byAccount = Dictionary(lifecycles.rows.map { ($0.account, $0) }, uniquingKeysWith: { first, _ in first })
        rows = abc.rows.map { row in
            let lifecycle = byAccount[row.account]
            return Row(
                account: row.account, name: row.name, revenue: row.revenue, share: row.share, tier: row.currentTier,
                suggestedTier: row.suggestedTier, purchases: lifecycle?.purchases ?? 0, lastContactOn: lifecycle?.lastContactOn,
                lifecycle: lifecycle?.currentLifecycle, suggestedLifecycle: lifecycle?.suggestedLifecycle ?? "prospect"
            )
        }
    }

    public var changedRows: [Row] { rows.filter(\.changes) }

    /// One edit per account whose tier or lifecycle differs from the suggestion. A tier is
    /// written with the day it was classified as of (`classified_on`): the tier is the
    /// workflow's, and the server tells the workflow's write from a plain edit by that pair.
    public var edits: [LocalEdit] {
        changedRows.map { row in
            var operations: [LocalOperation] = []
            if row.tierChanges {
                operations.append(.set("tier", .string(row.suggestedTier)))
                operations.append(.set("classified_on", .string(lifecycles.options.asOf.description)))
            }
            if row.lifecycleChanges { operations.append(.set("lifecycle", .string(row.suggestedLifecycle))) }
            return .update("account", id: row.account, operations)
        }
    }

    /// The dry-run table: the accounts that change (all of them with `all`).
    public func table(all: Bool) -> ReportTable {
        let shown = all ? rows : changedRows
        let tierChanges = rows.filter(\.tierChanges).count
        let lifecycleChanges = rows.filter(\.lifecycleChanges).count
        var notes = abc.table.notes.filter { !$0.hasPrefix("includes") }
        notes.append(lifecycles.table.notes.first ?? "")
        notes += ReportFormat.unsyncedNote(max(abc.unsyncedLocalEdits, lifecycles.unsyncedLocalEdits))
        return ReportTable(
            title: "Classification of \(rows.count) accounts as of \(lifecycles.options.asOf): \(tierChanges) tier and \(lifecycleChanges) lifecycle changes",
            headers: ["account", "revenue", "share", "tier", "→", "purchases", "last contact", "lifecycle", "→"],
            alignments: [.left, .amount, .right, .left, .left, .right, .left, .left, .left],
            rows: shown.map { row in
                [row.name, ReportFormat.amount(row.revenue), ReportFormat.percent(row.share), row.tier ?? "",
                 row.tierChanges ? row.suggestedTier : "=", String(row.purchases), row.lastContactOn?.description ?? "never",
                 row.lifecycle ?? "", row.lifecycleChanges ? row.suggestedLifecycle : "="]
            },
            notes: notes
        )
    }
}

extension FieldWork {
    /// The tier and lifecycle stage each account on the device should have as of `now`
    /// (nothing is written).
    public func classification(_ parameters: ReportParameters, now: Instant = DeviceReports.now()) throws -> AccountClassification {
        AccountClassification(try DeviceReports(store: bench.store).dataSet(), parameters: parameters, now: now)
    }

    /// Writes the suggested tiers and lifecycle stages that differ, in one transaction; the
    /// edits made (none when every account already has its suggestion).
    public func apply(_ classification: AccountClassification) throws -> [AppliedEdit] {
        let edits = classification.edits
        return edits.isEmpty ? [] : try bench.apply(edits)
    }
}
