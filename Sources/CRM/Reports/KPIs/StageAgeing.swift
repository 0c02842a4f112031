import Foundation

/// Stage ageing (阶段停留): how long the open deals have been in their stage, as of a day.
///
/// Days in stage = the report day − the day the deal entered its stage (the first of its
/// writes of that stage in a row, from the history); "unknown" when the history does not say
/// (a deal known only from a snapshot or an import). Buckets: 0–7, 8–30, 31–90 and over 90 days.
public struct StageAgeing: Hashable, Sendable, Codable {
    /// The upper bounds of the buckets but the last, in days.
    public static let bucketLimits = [7, 30, 90]
    public static let bucketNames = ["0–7 d", "8–30 d", "31–90 d", "> 90 d"]

    /// One open stage.
    public struct Row: Hashable, Sendable, Codable {
        public var stage: OpportunityStage
        public var count: Int
        /// Deals per bucket (`bucketNames`).
        public var buckets: [Int]
        /// Deals whose stage entry day is not known.
        public var unknown: Int
        /// The mean days in stage of the deals whose entry day is known; nil without any.
        public var averageDays: Double?
    }

    public var asOf: CalendarDay
    public var rows: [Row]

    /// The ageing of `deals` (their stage and the day they entered it) on `asOf`.
    public init(_ deals: [(stage: OpportunityStage, since: CalendarDay?)], asOf: CalendarDay) {
        self.asOf = asOf
        rows = OpportunityStage.openStages.map { stage in
            let inStage = deals.filter { $0.stage == stage }
            let days = inStage.compactMap { $0.since.map { max(0, asOf.days(since: $0)) } }
            var buckets = [Int](repeating: 0, count: Self.bucketNames.count)
            for day in days {
                buckets[Self.bucketLimits.firstIndex { day <= $0 } ?? Self.bucketLimits.count] += 1
            }
            return Row(
                stage: stage, count: inStage.count, buckets: buckets, unknown: inStage.count - days.count,
                averageDays: days.isEmpty ? nil : Double(days.reduce(0, +)) / Double(days.count)
            )
        }
    }

    public var table: ReportTable {
        ReportTable(
            title: "Stage ageing as of \(asOf): days in the current stage",
            headers: ["stage", "count"] + Self.bucketNames + ["unknown", "average days"],
            alignments: [.left, .right] + Self.bucketNames.map { _ in .right } + [.right, .right],
            rows: rows.map { row in
                [row.stage.rawValue, String(row.count)] + row.buckets.map(String.init)
                    + [String(row.unknown), row.averageDays.map { String(format: "%.1f", $0) } ?? "–"]
            },
            notes: ["days in stage count from the day the deal entered its stage (its history); unknown: the history does not say"]
        )
    }
}
