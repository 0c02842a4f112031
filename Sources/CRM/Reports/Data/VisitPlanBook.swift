import SyncCore

/// The visit plans (客户拜访计划) of a data set with what became of them: the one place the
/// device's calendar and the visit report decide a plan's route position and status.
///
/// Definitions:
/// - a plan is *done* when it has a check-out (`checked_out_at`); *checked in* when it has a
///   check-in only; *missed* when neither is true and its day is before `today`; else *planned*;
/// - an *unplanned* visit is an activity of type `visit` with an `at` time and no `plan`; its
///   day is the day of `at` in the time zone `utcOffsetMinutes` east of UTC;
/// - the rep of a plan or a visit is its `owner` ("(unassigned)" when unset);
/// - route order within a day: plans with a `route_order` first, by it; then by planned time
///   (plans without one last); then by account name and id, so every replica shows the same
///   route even when two devices set the same position concurrently.
public struct VisitPlanBook: Sendable {
    /// What became of a plan.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case planned
        case checkedIn = "checked_in"
        case done
        case missed
    }

    /// One planned visit.
    public struct Plan: Hashable, Sendable, Codable {
        public var id: RecordID
        public var account: RecordID
        public var accountName: String
        public var contact: RecordID?
        public var owner: String
        public var plannedOn: CalendarDay
        public var plannedAt: Instant?
        public var routeOrder: Int?
        public var purpose: String?
        public var checkedInAt: Instant?
        public var checkedOutAt: Instant?
        public var latitude: String?
        public var longitude: String?
        public var status: Status
        public var isUnsynced: Bool
    }

    /// One visit made without a plan.
    public struct UnplannedVisit: Hashable, Sendable, Codable {
        public var id: RecordID
        public var account: RecordID?
        public var accountName: String
        public var owner: String
        public var day: CalendarDay
        public var at: Instant
        public var isUnsynced: Bool
    }

    /// The owner name used for plans and visits without one.
    public static let unassigned = "(unassigned)"

    /// Every plan, by day, then owner, then route order.
    public let plans: [Plan]
    /// Every unplanned visit, by day, then owner, then time.
    public let unplanned: [UnplannedVisit]

    public init(_ dataSet: CRMDataSet, today: CalendarDay, utcOffsetMinutes: Int) {
        var plans: [Plan] = []
        for record in dataSet.records(of: CRMSchema.visitPlan.name) {
            guard let account = record.text("account"), let day = record.day("planned_on") else { continue }
            let checkedIn = record.instant("checked_in_at"), checkedOut = record.instant("checked_out_at")
            let status: Status = checkedOut != nil ? .done : checkedIn != nil ? .checkedIn : day < today ? .missed : .planned
            plans.append(Plan(
                id: record.id, account: account, accountName: dataSet.accountName(account), contact: record.text("contact"),
                owner: record.text("owner") ?? Self.unassigned, plannedOn: day, plannedAt: record.instant("planned_at"),
                routeOrder: record.integer("route_order").map(Int.init), purpose: record.text("purpose"),
                checkedInAt: checkedIn, checkedOutAt: checkedOut,
                latitude: record.text("check_in_latitude"), longitude: record.text("check_in_longitude"),
                status: status, isUnsynced: dataSet.unsyncedRecordIDs.contains(record.id)
            ))
        }
        self.plans = plans.sorted { ($0.plannedOn, $0.owner) == ($1.plannedOn, $1.owner) ? Self.inRoute($0, before: $1) : ($0.plannedOn, $0.owner) < ($1.plannedOn, $1.owner) }
        unplanned = dataSet.activities.compactMap { activity -> UnplannedVisit? in
            guard activity.type == "visit", activity.plan == nil, let at = activity.at else { return nil }
            return UnplannedVisit(
                id: activity.id, account: activity.account, accountName: dataSet.accountName(activity.account),
                owner: activity.owner ?? Self.unassigned, day: at.day(utcOffsetMinutes: utcOffsetMinutes), at: at, isUnsynced: activity.isUnsynced
            )
        }.sorted { ($0.day, $0.owner, $0.at, $0.id) < ($1.day, $1.owner, $1.at, $1.id) }
    }

    /// True when `lhs` comes before `rhs` in a day's route.
    public static func inRoute(_ lhs: Plan, before rhs: Plan) -> Bool {
        switch (lhs.routeOrder, rhs.routeOrder) {
        case let (left?, right?) where left != right: return left < right
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        switch (lhs.plannedAt, rhs.plannedAt) {
        case let (left?, right?) where left != right: return left < right
        case (.some, nil): return true
        case (nil, .some): return false
        default: return (lhs.accountName, lhs.id) < (rhs.accountName, rhs.id)
        }
    }

    /// Planned, done, missed and unplanned visits of one rep over some days.
    public struct Tally: Hashable, Sendable, Codable {
        public var planned = 0
        public var done = 0
        public var missed = 0
        public var unplanned = 0

        public init() {}

        /// Done plans / planned; nil with no plans.
        public var doneShare: Double? { planned == 0 ? nil : Double(done) / Double(planned) }
    }

    /// The tally of each `(owner, key(day))`, for the plans and unplanned visits whose day passes `include`.
    public func tallies<Key: Hashable>(owner: String? = nil, include: (CalendarDay) -> Bool = { _ in true }, by key: (CalendarDay) -> Key) -> [String: [Key: Tally]] {
        var tallies: [String: [Key: Tally]] = [:]
        for plan in plans where (owner == nil || plan.owner == owner) && include(plan.plannedOn) {
            tallies[plan.owner, default: [:]][key(plan.plannedOn), default: Tally()].planned += 1
            if plan.status == .done { tallies[plan.owner, default: [:]][key(plan.plannedOn), default: Tally()].done += 1 }
            if plan.status == .missed { tallies[plan.owner, default: [:]][key(plan.plannedOn), default: Tally()].missed += 1 }
        }
        for visit in unplanned where (owner == nil || visit.owner == owner) && include(visit.day) {
            tallies[visit.owner, default: [:]][key(visit.day), default: Tally()].unplanned += 1
        }
        return tallies
    }
}
