import CRM
import SyncCore
import SyncStore

/// Visit plans (客户拜访计划): a day's route of customer visits, checked in and out when they
/// happen; the check-out writes the done visit as an ordinary `activity`, so every visit KPI
/// keeps counting it.
///
/// Merge of offline edits: every field of a plan is a register. Two devices checking in the
/// same plan leave one plan whose check-in (time and place, coupled) is an open conflict with
/// both stamps kept for an admin; two check-outs write the same activity record (its id is
/// derived from the plan's, `VisitPlans.visitID(forPlan:)`), so the visit is counted once and
/// differing times conflict on it. Two route orders set concurrently conflict on
/// `route_order`; the calendar still shows one route (ties go by planned time, then name).
extension FieldWork {
    /// A visit the rep plans.
    public struct VisitPlanRequest: Sendable {
        /// The account to visit: an id, a unique prefix or its name.
        public var account: String
        /// The day of the visit.
        public var day: CalendarDay
        /// The planned time, if any (its day should be `day` where the visit happens).
        public var at: FieldTime?
        /// The visit's place in the day's route (1 first).
        public var routeOrder: Int?
        public var purpose: String?
        /// The contact to meet (must belong to the account).
        public var contact: String?

        public init(account: String, day: CalendarDay, at: FieldTime? = nil, routeOrder: Int? = nil, purpose: String? = nil, contact: String? = nil) {
            self.account = account
            self.day = day
            self.at = at
            self.routeOrder = routeOrder
            self.purpose = purpose
            self.contact = contact
        }
    }

    /// A place as latitude and longitude in degrees.
    public struct Coordinates: Hashable, Sendable {
        public var latitude: Double
        public var longitude: Double

        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }

        /// `LAT,LON` in degrees, such as `31.2304,121.4737`.
        public static func parse(_ text: String) throws(VisitPlanError) -> Coordinates {
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let latitude = Double(parts[0]), let longitude = Double(parts[1]),
                (-90...90).contains(latitude), (-180...180).contains(longitude)
            else {
                throw VisitPlanError(.invalidLocation, .notAPlace, ["text": text])
            }
            return Coordinates(latitude: latitude, longitude: longitude)
        }
    }

    /// Plans a visit, owned by the enrolled user. A planned time on another day than `day`
    /// (where it happens) is refused with `invalid_value`.
    public func planVisit(_ request: VisitPlanRequest) throws -> AppliedEdit {
        let planSchema = try bench.entity(CRMSchema.visitPlan.name)
        let account = try bench.liveRecord(try bench.entity("account"), request.account)
        if let order = request.routeOrder { try Self.checkRouteOrder(order) }
        if let at = request.at, at.day != request.day {
            throw SyncCore.ValidationError(.invalidValue, .plannedTimeOtherDay, ["at": at.timestamp, "day": at.day, "planned": request.day])
        }
        var operations: [LocalOperation] = [.set("account", .string(account.id)), .set("planned_on", .string(request.day.description))]
        if let contactText = request.contact { operations.append(.set("contact", .string(try contact(contactText, of: account).id))) }
        if let at = request.at { operations.append(.set("planned_at", .string(at.timestamp))) }
        if let order = request.routeOrder { operations.append(.set("route_order", .int(Int64(order)))) }
        if let purpose = request.purpose { operations.append(.set("purpose", .string(purpose))) }
        if let user = try bench.user() { operations.append(.set("owner", .string(user))) }
        return try bench.apply(.create(planSchema.name, operations))
    }

    /// Sets the route of a day: `plans` (ids, prefixes or account names… as typed) become stops
    /// 1, 2, …; the day's other plans of the same rep follow in their current route order. Only
    /// plans whose position changes are written, in one transaction.
    public func reorderVisits(_ plans: [String]) throws -> [AppliedEdit] {
        let planSchema = try bench.entity(CRMSchema.visitPlan.name)
        guard !plans.isEmpty else { throw VisitPlanError(.invalidRouteOrder, .routeNeedsPlans) }
        let listed = try plans.map { try bench.liveRecord(planSchema, $0) }
        guard Set(listed.map(\.id)).count == listed.count else { throw VisitPlanError(.invalidRouteOrder, .routePlanTwice) }
        let first = listed[0]
        let day = first.value("planned_on"), owner = first.value("owner")
        if let other = listed.first(where: { $0.value("planned_on") != day || $0.value("owner") != owner }) {
            throw VisitPlanError(.invalidRouteOrder, .routeOtherDay, ["plan": other.id.prefix(8), "planned": other.value("planned_on"), "owner": other.value("owner"), "day": day])
        }
        guard let dayText = day.stringValue, let calendarDay = CalendarDay(dayText) else {
            throw VisitPlanError(.invalidRouteOrder, .planWithoutDay, ["plan": first.id.prefix(8)])
        }
        let listedIDs = Set(listed.map(\.id))
        let rest = try calendar(from: calendarDay, days: 1, owner: owner.stringValue ?? VisitPlanBook.unassigned).days.flatMap(\.plans).filter { !listedIDs.contains($0.id) }
        let route = listed.map(\.id) + rest.map(\.id)
        try Self.checkRouteOrder(route.count)
        var edits: [LocalEdit] = []
        for (index, id) in route.enumerated() {
            let current = try bench.store.record(planSchema.name, id: id)?.value("route_order")
            if current != .int(Int64(index + 1)) { edits.append(.update(planSchema.name, id: id, [.set("route_order", .int(Int64(index + 1)))])) }
        }
        return edits.isEmpty ? [] : try bench.apply(edits)
    }

    /// Checks in at a planned visit: stamps the arrival time (default now) and place.
    /// A second check-in is refused (`visit_already_checked_in`), as is one after the check-out.
    public func checkIn(_ planText: String, at: FieldTime? = nil, location: Coordinates? = nil) throws -> AppliedEdit {
        let planSchema = try bench.entity(CRMSchema.visitPlan.name)
        let plan = try bench.liveRecord(planSchema, planText)
        let name = try accountName(plan)
        let time = at ?? .now()
        var operations: [LocalOperation] = [.set("checked_in_at", .string(time.timestamp))]
        if let location {
            operations.append(.set("check_in_latitude", .string(Self.degrees(location.latitude))))
            operations.append(.set("check_in_longitude", .string(Self.degrees(location.longitude))))
        }
        return try bench.apply(.update(planSchema.name, id: plan.id, operations)) { reader in
            let state = try reader.state(planSchema.name, id: plan.id)
            if let done = state?.value(of: "checked_out_at").stringValue {
                throw VisitPlanError(.alreadyCheckedOut, .visitCheckedOut, ["name": name, "done": done])
            }
            if let arrived = state?.value(of: "checked_in_at").stringValue {
                throw VisitPlanError(.alreadyCheckedIn, .visitCheckedIn, ["name": name, "arrived": arrived])
            }
        }
    }

    /// Checks out of a visit: stamps the departure (default now) and, in the same transaction,
    /// writes the done visit: an `activity` of type visit at the check-in time, lasting until
    /// the check-out, at the check-in place, pointing at the plan. Refused without a check-in
    /// (`visit_not_checked_in`), a second time (`visit_already_checked_out`), or before the
    /// check-in (`visit_check_out_before_check_in`). Returns the plan's edit and the visit's.
    public func checkOut(_ planText: String, at: FieldTime? = nil, notes: String? = nil, outcome: String? = nil) throws -> [AppliedEdit] {
        let planSchema = try bench.entity(CRMSchema.visitPlan.name)
        let plan = try bench.liveRecord(planSchema, planText)
        let name = try accountName(plan)
        guard let arrivedText = plan.value("checked_in_at").stringValue, let arrived = Instant(arrivedText) else {
            throw VisitPlanError(.notCheckedIn, .visitWithoutCheckIn, ["name": name])
        }
        if let done = plan.value("checked_out_at").stringValue {
            throw VisitPlanError(.alreadyCheckedOut, .visitCheckedOut, ["name": name, "done": done])
        }
        let time = at ?? .now()
        guard time.instant >= arrived else {
            throw VisitPlanError(.checkOutBeforeCheckIn, .visitEndsBeforeCheckIn, ["name": name, "arrived": arrivedText, "time": time.timestamp])
        }
        var planOperations: [LocalOperation] = [.set("checked_out_at", .string(time.timestamp))]
        if let notes { planOperations.append(.set("notes", .string(notes))) }
        var visit: [LocalOperation] = [
            .set("account", plan.value("account")), .set("type", .string(ActivityType.visit.rawValue)), .set("at", .string(arrivedText)),
            .set("duration_minutes", .int(min(Int64(24 * 60), time.instant.seconds(since: arrived) / 60))), .set("plan", .string(plan.id)),
        ]
        for (field, source) in [("contact", "contact"), ("subject", "purpose"), ("owner", "owner"), ("latitude", "check_in_latitude"), ("longitude", "check_in_longitude")] {
            let value = plan.value(source)
            if value != .null { visit.append(.set(field, value)) }
        }
        if let notes { visit.append(.set("notes", .string(notes))) }
        if let outcome { visit.append(.set("outcome", .string(outcome))) }
        if visit.first(where: { if case .set("owner", _) = $0 { return true } else { return false } }) == nil, let user = try bench.user() {
            visit.append(.set("owner", .string(user)))
        }
        let visitID = VisitPlans.visitID(forPlan: plan.id)
        return try bench.apply([.update(planSchema.name, id: plan.id, planOperations), .create(CRMSchema.activity.name, id: visitID, visit)]) { reader in
            let state = try reader.state(planSchema.name, id: plan.id)
            if let done = state?.value(of: "checked_out_at").stringValue {
                throw VisitPlanError(.alreadyCheckedOut, .visitCheckedOut, ["name": name, "done": done])
            }
            if state?.value(of: "checked_in_at") != .string(arrivedText) {
                throw VisitPlanError(.notCheckedIn, .visitCheckInChanged, ["name": name])
            }
            if try reader.state(CRMSchema.activity.name, id: visitID) != nil {
                throw VisitPlanError(.alreadyCheckedOut, .visitAlreadyRecorded, ["name": name, "activity": visitID.prefix(8)])
            }
        }
    }

    /// The plans of `days` days from `from`, one rep's (default: every rep's), as routes, with
    /// the visits made without a plan; `today` decides which past plans are missed, and
    /// `utcOffsetMinutes` the day of an unplanned visit.
    public func calendar(
        from: CalendarDay, days: Int, owner: String? = nil, today: CalendarDay? = nil, utcOffsetMinutes: Int? = nil
    ) throws -> VisitCalendar {
        let offset = utcOffsetMinutes ?? FieldTime.now().utcOffsetMinutes
        let last = from.adding(days: max(1, days) - 1)
        let plans = try bench.store.records(CRMSchema.visitPlan.name, matching: [.atLeast("planned_on", .string(from.description)), .atMost("planned_on", .string(last.description))], limit: Int.max)
        let visits = try bench.store.records(CRMSchema.activity.name, matching: [.equals("type", .string(ActivityType.visit.rawValue))], limit: Int.max)
            .filter { $0.value("plan") == .null }
        var accountIDs = Set<RecordID>()
        for record in plans + visits { if let id = record.value("account").stringValue { accountIDs.insert(id) } }
        let accounts = try accountIDs.compactMap { try bench.store.record(CRMSchema.account.name, id: $0) }
        let records = (plans + visits + accounts).map { CRMDataSet.Record(entity: $0.entity, id: $0.id, values: $0.values) }
        let unsynced = Set(try bench.store.outbox().map(\.change.recordID))
        let book = VisitPlanBook(CRMDataSet(records: records, unsyncedRecordIDs: unsynced), today: today ?? FieldTime.now().day, utcOffsetMinutes: offset)
        return VisitCalendar(
            days: (0..<max(1, days)).map { from.adding(days: $0) }.map { day in
                VisitCalendar.Day(
                    day: day, plans: book.plans.filter { $0.plannedOn == day && (owner == nil || $0.owner == owner) },
                    unplanned: book.unplanned.filter { $0.day == day && (owner == nil || $0.owner == owner) }
                )
            }
        )
    }

    private func accountName(_ plan: RecordSnapshot) throws -> String {
        guard let id = plan.value("account").stringValue, let account = try bench.store.record(CRMSchema.account.name, id: id) else { return "an account" }
        return RecordLabel.of(account, schema: bench.schema)
    }

    private static func checkRouteOrder(_ order: Int) throws(VisitPlanError) {
        guard (1...999).contains(order) else { throw VisitPlanError(.invalidRouteOrder, .routePositionOutOfRange, ["position": order]) }
    }

    private static func degrees(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// The visit plans of some days, each day's in route order.
public struct VisitCalendar: Sendable {
    public struct Day: Sendable {
        public var day: CalendarDay
        /// The day's plans in route order (by rep first when several reps are shown).
        public var plans: [VisitPlanBook.Plan]
        /// Visits made that day without a plan.
        public var unplanned: [VisitPlanBook.UnplannedVisit]

        public var done: Int { plans.filter { $0.status == .done }.count }
        public var missed: Int { plans.filter { $0.status == .missed }.count }
    }

    public var days: [Day]
}

/// Why a visit-plan workflow refused, with a stable code.
public typealias VisitPlanError = CodedError<VisitPlanErrorCode>

/// The stable codes of `VisitPlanError`.
public enum VisitPlanErrorCode: String, Sendable, CaseIterable {
    /// A check-out (or anything needing an arrival) before any check-in.
    case notCheckedIn = "visit_not_checked_in"
    /// A second check-in.
    case alreadyCheckedIn = "visit_already_checked_in"
    /// A second check-out, or a check-in after the check-out.
    case alreadyCheckedOut = "visit_already_checked_out"
    /// A check-out stamped before the check-in.
    case checkOutBeforeCheckIn = "visit_check_out_before_check_in"
    /// A place that is not `LAT,LON` in degrees.
    case invalidLocation = "visit_invalid_location"
    /// A route position out of 1…999, or a route mixing days or reps.
    case invalidRouteOrder = "visit_invalid_route_order"
    /// A follow-up action on an activity without an open follow-up, or a snooze into the past.
    case noOpenFollowUp = "followup_not_open"
}

extension FieldTime {
    /// A time as a plan takes it: `HH:MM` on `day` at `utcOffsetMinutes` east of UTC (the
    /// device's zone by default), or a full time with its zone as `parse` reads it.
    public static func parse(_ text: String, on day: CalendarDay, utcOffsetMinutes: Int? = nil) throws(SyncCore.ValidationError) -> FieldTime {
        let typed = text.trimmingCharacters(in: .whitespaces)
        let parts = typed.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 {
            let offset = utcOffsetMinutes ?? FieldTime.now().utcOffsetMinutes
            let local = Instant(startOf: day).adding(seconds: Int64(hour * 3600 + minute * 60))
            return FieldTime(instant: local.adding(seconds: -Int64(offset) * 60), utcOffsetMinutes: offset)
        }
        return try parse(typed)
    }
}
