extension VisitReport {
    /// Planned against done for one rep over one day or one ISO week.
    public struct PlanRow: Hashable, Sendable, Codable {
        public var owner: String
        /// The day, for a daily row.
        public var day: CalendarDay?
        public var week: ISOWeek
        public var tally: VisitPlanBook.Tally
    }

    static func rows<Key: Comparable>(_ tallies: [String: [Key: VisitPlanBook.Tally]], _ row: (String, Key, VisitPlanBook.Tally) -> PlanRow) -> [PlanRow] {
        tallies.keys.sorted().flatMap { owner in
            let byKey = tallies[owner] ?? [:]
            return byKey.keys.sorted().map { row(owner, $0, byKey[$0] ?? VisitPlanBook.Tally()) }
        }
    }

    /// Planned, done, missed and unplanned visits per rep and `unit` (day or week).
    func planTable(_ rows: [PlanRow], by unit: String) -> ReportTable {
        ReportTable(
            title: "Planned against done visits per rep and \(unit)",
            headers: ["rep", unit, "planned", "done", "missed", "unplanned", "done of planned"],
            alignments: [.left, .left, .right, .right, .right, .right, .right],
            rows: rows.map { row in
                [
                    row.owner, row.day?.description ?? row.week.description, String(row.tally.planned), String(row.tally.done),
                    String(row.tally.missed), String(row.tally.unplanned),
                    ReportFormat.percent(row.tally.doneShare),
                ]
            }
        )
    }
}
