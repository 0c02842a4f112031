/// Accounts at churn risk: no contact for `inactiveDays` days as of a day (流失预警).
///
/// Definitions:
/// - the last contact of an account is the day (in the time zone `utcOffsetMinutes` east of
///   UTC) of its latest activity (visit, call, e-mail or meeting) at or before the end of
///   `asOf`; later activities are ignored;
/// - an account is at risk when `asOf` − last contact ≥ `inactiveDays` (90 by default), or,
///   when `includeNeverContacted`, when it has no activity at all;
/// - accounts whose lifecycle is in `excludedLifecycles` (`churned` by default: they are
///   already lost) are left out.
///
/// Sorted: never contacted first, then the longest silence first, then by name and id.
public struct ChurnRiskReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var asOf: CalendarDay
        public var inactiveDays: Int
        public var utcOffsetMinutes: Int
        public var excludedLifecycles: [String]
        public var includeNeverContacted: Bool
        public var owner: String?

        public init(
            asOf: CalendarDay, inactiveDays: Int = 90, utcOffsetMinutes: Int = 480,
            excludedLifecycles: [String] = ["churned"], includeNeverContacted: Bool = true, owner: String? = nil
        ) {
            self.asOf = asOf
            self.inactiveDays = inactiveDays
            self.utcOffsetMinutes = utcOffsetMinutes
            self.excludedLifecycles = excludedLifecycles
            self.includeNeverContacted = includeNeverContacted
            self.owner = owner
        }
    }

    /// One account at risk.
    public struct Row: Hashable, Sendable, Codable {
        public var account: String
        public var name: String
        public var owner: String?
        public var tier: String?
        public var lifecycle: String?
        /// nil when the account was never contacted.
        public var lastContactOn: CalendarDay?
        public var daysSinceContact: Int?
    }

    public var options: Options
    public var accountsChecked: Int
    public var atRisk: [Row]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        let lastContact = Self.lastContactDays(dataSet, asOf: options.asOf, utcOffsetMinutes: options.utcOffsetMinutes)
        let excluded = Set(options.excludedLifecycles)
        let accounts = dataSet.accounts.filter { account in
            !excluded.contains(account.lifecycle ?? "") && (options.owner == nil || account.owner == options.owner)
        }
        accountsChecked = accounts.count
        atRisk = accounts.compactMap { account -> Row? in
            let last = lastContact[account.id]
            let days = last.map { options.asOf.days(since: $0) }
            if let days {
                guard days >= options.inactiveDays else { return nil }
            } else {
                guard options.includeNeverContacted else { return nil }
            }
            return Row(
                account: account.id, name: account.name, owner: account.owner, tier: account.tier,
                lifecycle: account.lifecycle, lastContactOn: last, daysSinceContact: days
            )
        }
        .sorted { lhs, rhs in
            let left = lhs.daysSinceContact ?? Int.max
            let right = rhs.daysSinceContact ?? Int.max
            return (right, lhs.name, lhs.account) < (left, rhs.name, rhs.account)
        }
        let riskIDs = Set(atRisk.map(\.account))
        unsyncedLocalEdits = dataSet.accounts.filter { riskIDs.contains($0.id) && $0.isUnsynced }.count
            + dataSet.activities.filter { $0.isUnsynced && $0.account.map(riskIDs.contains) == true }.count
    }

    /// The day of each account's latest activity at or before the end of `asOf`.
    static func lastContactDays(_ dataSet: CRMDataSet, asOf: CalendarDay, utcOffsetMinutes: Int) -> [String: CalendarDay] {
        var last: [String: CalendarDay] = [:]
        for activity in dataSet.activities {
            guard let account = activity.account, let at = activity.at else { continue }
            let day = at.day(utcOffsetMinutes: utcOffsetMinutes)
            guard day <= asOf else { continue }
            if let known = last[account], known >= day { continue }
            last[account] = day
        }
        return last
    }

    public var table: ReportTable {
        ReportTable(
            title: "Churn risk as of \(options.asOf): \(atRisk.count) of \(accountsChecked) accounts without contact for \(options.inactiveDays)+ days",
            headers: ["account", "owner", "tier", "lifecycle", "last contact", "days"],
            alignments: [.left, .left, .left, .left, .left, .right],
            rows: atRisk.map { row in
                [row.name, row.owner ?? "", row.tier ?? "", row.lifecycle ?? "",
                 row.lastContactOn?.description ?? "never", row.daysSinceContact.map(String.init) ?? ReportFormat.missing]
            },
            notes: ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
