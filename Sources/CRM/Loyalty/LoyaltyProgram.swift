import Foundation
import SyncCore

/// The loyalty program's rules: how many points an order earns and the levels (会员等级) an
/// account reaches by its lifetime points. Set by admins as company-wide `target` records
/// (reference data every device receives, like the KPI targets), else the defaults here.
///
/// - `points_per_100`: points per 100 of an order's total (default 1).
/// - `level_silver`, `level_gold`, `level_platinum`: lifetime points a level starts at
///   (defaults 1,000, 5,000 and 20,000).
public struct LoyaltyProgram: Sendable, Hashable {
    /// The `target.kpi` values that set the program.
    public static let settings = ["points_per_100", "level_silver", "level_gold", "level_platinum"]

    public struct Level: Sendable, Hashable {
        public var name: String
        /// Lifetime points the level starts at.
        public var threshold: Int64
    }

    public var pointsPer100: Amount
    /// Ascending by threshold; the first starts at zero.
    public var levels: [Level]

    public static let standard = LoyaltyProgram(
        pointsPer100: 1,
        levels: [
            Level(name: "member (普通会员)", threshold: 0), Level(name: "silver (银卡)", threshold: 1_000),
            Level(name: "gold (金卡)", threshold: 5_000), Level(name: "platinum (白金卡)", threshold: 20_000),
        ]
    )

    public init(pointsPer100: Amount, levels: [Level]) {
        self.pointsPer100 = pointsPer100
        self.levels = levels.sorted { $0.threshold < $1.threshold }
    }

    /// The program the company's `target` records set (those without a rep or period).
    public init(targets: some Sequence<RecordState>) {
        var program = Self.standard
        var chosen: [String: (id: RecordID, value: String)] = [:]
        // A setting the admin deleted does not count (as for `StageProbabilities`).
        for record in targets where record.entity == CRMSchema.target.name && !record.isDeleted(policy: CRMSchema.target.deletionPolicy) {
            guard let kpi = record.value(of: "kpi").stringValue, Self.settings.contains(kpi),
                record.value(of: "rep") == .null, record.value(of: "period") == .null,
                let value = record.value(of: "value").stringValue
            else { continue }
            // Several records for one setting: the one with the smallest id, on every replica.
            if let existing = chosen[kpi], existing.id < record.id { continue }
            chosen[kpi] = (record.id, value)
        }
        if let rate = chosen["points_per_100"].flatMap({ Amount($0.value) }), rate >= .zero {
            program.pointsPer100 = rate
        }
        for (index, kpi) in Self.settings.dropFirst().enumerated() {
            if let threshold = chosen[kpi].flatMap({ Amount($0.value) }) {
                program.levels[index + 1].threshold = Int64(truncating: threshold.rounded(scale: 0).decimal as NSNumber)
            }
        }
        self = LoyaltyProgram(pointsPer100: program.pointsPer100, levels: program.levels)
    }

    /// Points an order of `total` earns: whole points, rounded down.
    public func points(forOrderTotal total: Amount) -> Int64 {
        guard total > .zero else { return 0 }
        var value = total.decimal * pointsPer100.decimal / 100
        var floored = Decimal()
        NSDecimalRound(&floored, &value, 0, .down)
        return Int64(truncating: floored as NSNumber)
    }

    /// The level of an account with `lifetimePoints`.
    public func level(forLifetimePoints lifetimePoints: Int64) -> Level {
        levels.last { $0.threshold <= lifetimePoints } ?? levels[0]
    }

    /// The next level and the points still needed for it; nil at the top.
    public func nextLevel(after lifetimePoints: Int64) -> (level: Level, missing: Int64)? {
        levels.first { $0.threshold > lifetimePoints }.map { ($0, $0.threshold - lifetimePoints) }
    }

    /// Order statuses that earn points: submitted and later, not cancelled.
    public static let earningOrderStatuses: Set<String> = ["submitted", "confirmed", "delivered"]
}
