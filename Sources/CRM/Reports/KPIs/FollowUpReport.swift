/// Follow-ups overdue and due as of a day (待跟进).
///
/// Definitions: a follow-up is an activity with a `next_follow_up` day and `follow_up_done`
/// not true. It is *overdue* when that day is before `asOf`, and *due* when it is `asOf`.
/// Days overdue = `asOf` − `next_follow_up`. Lists are sorted by due day, then account name,
/// then activity id.
public struct FollowUpReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        /// The day the report is for ("today").
        public var asOf: CalendarDay
        public var owner: String?

        public init(asOf: CalendarDay, owner: String? = nil) {
            self.asOf = asOf
            self.owner = owner
        }
    }

    /// One pending follow-up.
    public struct Item: Hashable, Sendable, Codable {
        public var activity: String
        public var account: String
        public var accountName: String
        public var owner: String?
        public var type: String
        public var subject: String?
        public var dueOn: CalendarDay
        public var daysOverdue: Int
    }

    public var options: Options
    public var overdue: [Item]
    public var dueToday: [Item]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        var overdue: [Item] = []
        var due: [Item] = []
        var unsynced = 0
        for activity in dataSet.activities where !activity.isFollowUpDone {
            guard let day = activity.nextFollowUp, day <= options.asOf else { continue }
            guard options.owner == nil || activity.owner == options.owner else { continue }
            let item = Item(
                activity: activity.id, account: activity.account ?? "", accountName: dataSet.accountName(activity.account),
                owner: activity.owner, type: activity.type, subject: activity.subject,
                dueOn: day, daysOverdue: options.asOf.days(since: day)
            )
            if day < options.asOf { overdue.append(item) } else { due.append(item) }
            if activity.isUnsynced { unsynced += 1 }
        }
        func order(_ lhs: Item, _ rhs: Item) -> Bool {
            (lhs.dueOn, lhs.accountName, lhs.activity) < (rhs.dueOn, rhs.accountName, rhs.activity)
        }
        self.overdue = overdue.sorted(by: order)
        dueToday = due.sorted(by: order)
        unsyncedLocalEdits = unsynced
    }

    public var table: ReportTable {
        let rows = (overdue + dueToday).map { item in
            [item.dueOn.description, item.daysOverdue > 0 ? String(item.daysOverdue) : "today", item.accountName,
             item.owner ?? "", item.type, item.subject ?? ""]
        }
        return ReportTable(
            title: "Follow-ups as of \(options.asOf): \(overdue.count) overdue, \(dueToday.count) due today",
            headers: ["due", "days overdue", "account", "owner", "type", "subject"],
            alignments: [.left, .right, .left, .left, .left, .left],
            rows: rows,
            notes: ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
