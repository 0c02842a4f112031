/// Visits per rep per ISO week (拜访量).
///
/// Definitions:
/// - an activity counts when its `type` is in `types` (visits only by default) and it has an
///   `at` time; its week is the ISO 8601 week (Monday to Sunday) of its day in the time zone
///   `utcOffsetMinutes` east of UTC (China Standard Time by default);
/// - the rep is the activity's `owner` ("(unassigned)" when unset);
/// - the weeks reported run from the week of the period's start to the week of its end, or,
///   without a period, from the first to the last week holding a counted activity; every rep
///   gets every week, zeros included;
/// - average per week = the rep's visits / the number of weeks reported.
public struct VisitReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var period: ReportPeriod?
        public var types: [String]
        public var utcOffsetMinutes: Int
        public var owner: String?
        /// A target for each rep's average visits per week; nil for none.
        public var weeklyTarget: KPITarget?
        /// The report's day: plans of earlier days not done are missed (nil: none is).
        public var asOf: CalendarDay?

        public init(
            period: ReportPeriod? = nil, types: [String] = ["visit"], utcOffsetMinutes: Int = 480, owner: String? = nil,
            weeklyTarget: KPITarget? = nil, asOf: CalendarDay? = nil
        ) {
            self.period = period
            self.types = types
            self.utcOffsetMinutes = utcOffsetMinutes
            self.owner = owner
            self.weeklyTarget = weeklyTarget
            self.asOf = asOf
        }
    }

    /// One week of one rep.
    public struct WeekCount: Hashable, Sendable, Codable {
        public var week: ISOWeek
        public var count: Int
    }

    /// One rep's visits.
    public struct RepRow: Hashable, Sendable, Codable {
        public var owner: String
        public var total: Int
        /// Visits / weeks reported, against `weeklyTarget`.
        public var averagePerWeek: KPI
        /// Every reported week, in order.
        public var weeks: [WeekCount]
    }

    /// The owner name used for activities without one.
    public static let unassigned = "(unassigned)"

    public var options: Options
    public var weeks: [ISOWeek]
    /// Reps sorted by name.
    public var reps: [RepRow]
    /// Planned against done per rep and day, by rep then day.
    public var planDays: [PlanRow]
    /// Planned against done per rep and ISO week, by rep then week.
    public var planWeeks: [PlanRow]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options = Options()) {
        self.options = options
        let types = Set(options.types)
        var counts: [String: [ISOWeek: Int]] = [:]
        var unsynced = 0
        var seenWeeks: [ISOWeek] = []
        for activity in dataSet.activities where types.contains(activity.type) {
            guard let at = activity.at else { continue }
            let owner = activity.owner ?? Self.unassigned
            guard options.owner == nil || owner == options.owner else { continue }
            let day = at.day(utcOffsetMinutes: options.utcOffsetMinutes)
            if let period = options.period, !period.contains(day) { continue }
            counts[owner, default: [:]][day.isoWeek, default: 0] += 1
            seenWeeks.append(day.isoWeek)
            if activity.isUnsynced { unsynced += 1 }
        }
        var weeks: [ISOWeek] = []
        let first = options.period.map { $0.start.isoWeek } ?? seenWeeks.min()
        let last = options.period.map { $0.end.isoWeek } ?? seenWeeks.max()
        if let first, let last {
            var week = first
            while week <= last {
                weeks.append(week)
                week = week.next
            }
        }
        self.weeks = weeks
        reps = counts.keys.sorted().map { owner in
            let byWeek = counts[owner] ?? [:]
            let total = byWeek.values.reduce(0, +)
            return RepRow(
                owner: owner, total: total,
                averagePerWeek: .rate(total, of: weeks.count, target: options.weeklyTarget),
                weeks: weeks.map { WeekCount(week: $0, count: byWeek[$0] ?? 0) }
            )
        }
        let book = VisitPlanBook(dataSet, today: options.asOf ?? CalendarDay(daysSinceEpoch: Int.min / 2), utcOffsetMinutes: options.utcOffsetMinutes)
        let include: (CalendarDay) -> Bool = { day in options.period?.contains(day) ?? true }
        planDays = Self.rows(book.tallies(owner: options.owner, include: include) { $0 }) { PlanRow(owner: $0, day: $1, week: $1.isoWeek, tally: $2) }
        planWeeks = Self.rows(book.tallies(owner: options.owner, include: include) { $0.isoWeek }) { PlanRow(owner: $0, day: nil, week: $1, tally: $2) }
        unsynced += book.plans.filter { $0.isUnsynced && include($0.plannedOn) && (options.owner == nil || $0.owner == options.owner) }.count
        unsyncedLocalEdits = unsynced
    }

    public var table: ReportTable {
        let span = weeks.first.map { first in "\(first)…\(weeks.last ?? first)" } ?? "no weeks"
        return ReportTable(
            title: "Visits per rep (\(options.types.joined(separator: ", ")); \(weeks.count) ISO weeks, \(span))",
            headers: ["rep", "visits", "average per week", "target", "busiest week", "last week"],
            alignments: [.left, .right, .right, .left, .left, .right],
            rows: reps.map { rep in
                let busiest = rep.weeks.max { ($0.count, $1.week) < ($1.count, $0.week) }
                return [
                    rep.owner, String(rep.total), ReportFormat.fixed(rep.averagePerWeek.value, places: 2),
                    rep.averagePerWeek.target == nil ? "" : ReportFormat.target(rep.averagePerWeek, asPercent: false),
                    busiest.map { "\($0.week) (\($0.count))" } ?? ReportFormat.missing,
                    rep.weeks.last.map { String($0.count) } ?? ReportFormat.missing,
                ]
            },
            notes: ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }

    /// One row per rep and week, zeros included: the table for spreadsheets.
    public var weeklyTable: ReportTable {
        ReportTable(
            title: "Visits per rep per ISO week",
            headers: ["rep", "week", "week starts", "visits"],
            alignments: [.left, .left, .left, .right],
            rows: reps.flatMap { rep in
                rep.weeks.map { [rep.owner, $0.week.description, $0.week.monday.description, String($0.count)] }
            }
        )
    }

    public var tables: [ReportTable] { [table, weeklyTable, planTable(planDays, by: "day"), planTable(planWeeks, by: "week")] }
}
