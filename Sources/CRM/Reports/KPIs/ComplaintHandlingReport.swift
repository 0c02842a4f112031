/// Complaint and service-ticket handling by severity and by category (投诉处理): first-response
/// and resolution times, the shares answered and resolved within their windows (24 hours each by
/// default; answered against the 90% standard), tickets waiting too long, tickets about to miss a
/// window (escalation), and resolved complaints still waiting for their call-back (回访).
///
/// Definitions, as of the instant `asOf` (events after it are ignored, tickets opened after it
/// are left out):
/// - first-response time = `first_response_at` − `opened_at`; resolution time =
///   `resolved_at` − `opened_at`; both in seconds, summarised by `DurationStatistics`
///   (average, median, nearest-rank 90th percentile) and shown in hours;
/// - a ticket is *measured* for the response standard once its outcome is known: it has a
///   response, or it has waited longer than `responseHours` without one; tickets still
///   within their first `responseHours` unanswered are pending and not measured;
/// - responded-within rate = measured tickets answered within `responseHours` (inclusive) /
///   measured tickets; target 90% (at least);
/// - resolved-within rate, likewise: measured once resolved or past `resolutionHours`
///   unresolved; resolved within `resolutionHours` (inclusive) / measured; target
///   `resolvedWithinTarget` (none by default);
/// - flagged = tickets without a response more than `responseHours` after opening;
/// - escalations = open tickets whose response or resolution window ends within the next
///   `escalateWithinHours` (4) hours and is not met yet: still savable;
/// - awaiting call-back = complaints resolved more than `callBackDays` (3) days before `asOf`
///   without `called_back_at` by then; called-back rate = complaints resolved at least
///   `callBackDays` days ago that were called back within `callBackDays` days / those;
/// - open = tickets not resolved or closed;
/// - tickets without `opened_at` count in `count` only.
public struct ComplaintHandlingReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var asOf: Instant
        /// The service standard's response window.
        public var responseHours: Int
        public var respondedWithinTarget: KPITarget?
        /// The service standard's resolution window.
        public var resolutionHours: Int
        public var resolvedWithinTarget: KPITarget?
        /// How long before a window ends an open ticket is escalated.
        public var escalateWithinHours: Int
        /// Days after the resolution by which a complaint's customer is called back.
        public var callBackDays: Int
        /// The ticket categories counted; nil for all (complaint, service_request, inquiry).
        public var categories: [String]?

        public init(
            asOf: Instant, responseHours: Int = 24, respondedWithinTarget: KPITarget? = KPITarget(0.9),
            resolutionHours: Int = 24, resolvedWithinTarget: KPITarget? = nil, escalateWithinHours: Int = 4, callBackDays: Int = 3,
            categories: [String]? = nil
        ) {
            self.asOf = asOf
            self.responseHours = responseHours
            self.respondedWithinTarget = respondedWithinTarget
            self.resolutionHours = resolutionHours
            self.resolvedWithinTarget = resolvedWithinTarget
            self.escalateWithinHours = escalateWithinHours
            self.callBackDays = callBackDays
            self.categories = categories
        }
    }

    /// The figures of one severity, or of all tickets, of one category or of all.
    public struct Row: Hashable, Sendable, Codable {
        /// A severity, or "all".
        public var severity: String
        /// A category (the rows of `byCategory`); nil for every category.
        public var category: String?
        public var count: Int
        public var open: Int
        public var firstResponseSeconds: DurationStatistics
        public var resolutionSeconds: DurationStatistics
        public var measured: Int
        public var respondedWithin: Int
        public var respondedWithinRate: KPI
        public var resolutionMeasured: Int
        public var resolvedWithin: Int
        public var resolvedWithinRate: KPI
        public var flagged: Int
    }

    /// An open ticket whose response or resolution window ends soon.
    public struct Escalation: Hashable, Sendable, Codable {
        public enum Deadline: String, Hashable, Sendable, Codable {
            case response, resolution
        }

        public var ticket: String
        public var title: String
        public var accountName: String
        public var severity: String
        public var category: String
        public var deadline: Deadline
        public var dueAt: Instant
        public var minutesLeft: Int64
    }

    /// A resolved complaint whose customer has not been called back.
    public struct CallBack: Hashable, Sendable, Codable {
        public var ticket: String
        public var title: String
        public var accountName: String
        public var resolvedAt: Instant
        public var daysSinceResolution: Int64
    }

    /// A ticket past the response window without a response.
    public struct FlaggedTicket: Hashable, Sendable, Codable {
        public var ticket: String
        public var title: String
        public var account: String
        public var accountName: String
        public var severity: String
        public var openedAt: Instant
        public var hoursWaiting: Int64
    }

    public var options: Options
    /// One row per severity (low, medium, high, critical, then any other), then "all".
    public var rows: [Row]
    /// All severities, one row per category (complaint, service_request, inquiry, then any other).
    public var byCategory: [Row]
    /// Sorted by opening time, oldest first, then id.
    public var flagged: [FlaggedTicket]
    /// Soonest deadline first.
    public var escalations: [Escalation]
    /// Longest wait first.
    public var awaitingCallBack: [CallBack]
    public var calledBackRate: KPI
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        let asOf = options.asOf
        let window = Int64(options.responseHours) * 3600
        let resolutionWindow = Int64(options.resolutionHours) * 3600
        let categories = options.categories.map(Set.init)
        let tickets = dataSet.tickets.filter { ticket in
            let inCategory = categories.map { $0.contains(ticket.category) } ?? true
            let openedByThen = ticket.openedAt.map { $0 <= asOf } ?? true
            return inCategory && openedByThen
        }
        var flagged: [FlaggedTicket] = []
        func row(_ severity: String, category: String? = nil, _ tickets: [CRMDataSet.Ticket]) -> Row {
            var responses: [Int64] = []
            var resolutions: [Int64] = []
            var measured = 0
            var within = 0
            var resolutionMeasured = 0
            var resolvedWithin = 0
            var waiting = 0
            var open = 0
            for ticket in tickets {
                let resolved = ticket.resolvedAt.map { $0 <= asOf } ?? false
                if !resolved { open += 1 }
                guard let opened = ticket.openedAt else { continue }
                if let response = ticket.firstResponseAt, response <= asOf {
                    let seconds = response.seconds(since: opened)
                    responses.append(seconds)
                    measured += 1
                    if seconds <= window { within += 1 }
                } else if asOf.seconds(since: opened) > window {
                    measured += 1
                    waiting += 1
                }
                if let resolvedAt = ticket.resolvedAt, resolved {
                    let seconds = resolvedAt.seconds(since: opened)
                    resolutions.append(seconds)
                    resolutionMeasured += 1
                    if seconds <= resolutionWindow { resolvedWithin += 1 }
                } else if asOf.seconds(since: opened) > resolutionWindow {
                    resolutionMeasured += 1
                }
            }
            return Row(
                severity: severity, category: category, count: tickets.count, open: open,
                firstResponseSeconds: DurationStatistics(responses), resolutionSeconds: DurationStatistics(resolutions),
                measured: measured, respondedWithin: within,
                respondedWithinRate: .rate(within, of: measured, target: options.respondedWithinTarget),
                resolutionMeasured: resolutionMeasured, resolvedWithin: resolvedWithin,
                resolvedWithinRate: .rate(resolvedWithin, of: resolutionMeasured, target: options.resolvedWithinTarget),
                flagged: waiting
            )
        }
        let bySeverity = Dictionary(grouping: tickets, by: \.severity)
        let known = CRMSchema.ticketSeverities
        let severities = known.filter { bySeverity[$0] != nil } + bySeverity.keys.filter { !known.contains($0) }.sorted()
        rows = severities.map { row($0, bySeverity[$0] ?? []) } + [row("all", tickets)]
        let byCategory = Dictionary(grouping: tickets, by: \.category)
        let knownCategories = CRMSchema.ticketCategories
        self.byCategory = (knownCategories.filter { byCategory[$0] != nil } + byCategory.keys.filter { !knownCategories.contains($0) }.sorted())
            .map { row("all", category: $0, byCategory[$0] ?? []) }
        var escalations: [Escalation] = []
        var awaiting: [CallBack] = []
        var dueForCallBack = 0
        var calledBack = 0
        let soon = Int64(options.escalateWithinHours) * 3600
        let callBackWindow = Int64(options.callBackDays) * 86_400
        for ticket in tickets {
            guard let opened = ticket.openedAt else { continue }
            let answered = ticket.firstResponseAt.map { $0 <= asOf } ?? false
            let resolvedAt = ticket.resolvedAt.flatMap { $0 <= asOf ? $0 : nil }
            for (deadline, met, length) in [(Escalation.Deadline.response, answered, window), (.resolution, resolvedAt != nil, resolutionWindow)] {
                let due = opened.adding(seconds: length)
                let left = due.seconds(since: asOf)
                guard !met, left >= 0, left <= soon else { continue }
                escalations.append(Escalation(
                    ticket: ticket.id, title: ticket.title, accountName: dataSet.accountName(ticket.account), severity: ticket.severity,
                    category: ticket.category, deadline: deadline, dueAt: due, minutesLeft: left / 60
                ))
            }
            guard ticket.category == "complaint", let resolvedAt, asOf.seconds(since: resolvedAt) >= callBackWindow else { continue }
            dueForCallBack += 1
            if let call = ticket.calledBackAt, call <= asOf {
                if call.seconds(since: resolvedAt) <= callBackWindow { calledBack += 1 }
            } else {
                awaiting.append(CallBack(
                    ticket: ticket.id, title: ticket.title, accountName: dataSet.accountName(ticket.account),
                    resolvedAt: resolvedAt, daysSinceResolution: asOf.seconds(since: resolvedAt) / 86_400
                ))
            }
        }
        self.escalations = escalations.sorted { ($0.dueAt, $0.ticket, $0.deadline.rawValue) < ($1.dueAt, $1.ticket, $1.deadline.rawValue) }
        awaitingCallBack = awaiting.sorted { ($0.resolvedAt, $0.ticket) < ($1.resolvedAt, $1.ticket) }
        calledBackRate = .rate(calledBack, of: dueForCallBack)
        for ticket in tickets {
            guard let opened = ticket.openedAt else { continue }
            let answered = ticket.firstResponseAt.map { $0 <= asOf } ?? false
            let waited = asOf.seconds(since: opened)
            guard !answered, waited > window else { continue }
            flagged.append(FlaggedTicket(
                ticket: ticket.id, title: ticket.title, account: ticket.account ?? "",
                accountName: dataSet.accountName(ticket.account), severity: ticket.severity,
                openedAt: opened, hoursWaiting: waited / 3600
            ))
        }
        self.flagged = flagged.sorted { ($0.openedAt, $0.ticket) < ($1.openedAt, $1.ticket) }
        unsyncedLocalEdits = tickets.filter(\.isUnsynced).count
    }

    /// The row of all tickets.
    public var all: Row? { rows.last }

    public var table: ReportTable {
        grouped(title: "Complaint handling by severity", first: "severity", rows: rows) { $0.severity }
    }

    /// The same figures by category.
    public var categoryTable: ReportTable {
        grouped(title: "Complaint handling by category", first: "category", rows: byCategory) { $0.category ?? "" }
    }

    private func grouped(title: String, first: String, rows: [Row], name: (Row) -> String) -> ReportTable {
        let hours = options.responseHours
        let resolution = options.resolutionHours
        var notes = [
            "responded within \(hours) h: " + (all.map { ReportFormat.target($0.respondedWithinRate) } ?? "no tickets"),
            "resolved within \(resolution) h: " + (all.map { ReportFormat.target($0.resolvedWithinRate) } ?? "no tickets"),
        ]
        notes.append("times in hours: average / median / 90th percentile; as of \(options.asOf)")
        notes += ReportFormat.unsyncedNote(unsyncedLocalEdits)
        return ReportTable(
            title: title,
            headers: [first, "tickets", "open", "first response h", "resolution h", "responded ≤ \(hours) h", "resolved ≤ \(resolution) h", "flagged"],
            alignments: [.left, .right, .right, .right, .right, .right, .right, .right],
            rows: rows.map { row in
                func summary(_ statistics: DurationStatistics) -> String {
                    let scaled = statistics.scaled(by: 3600)
                    guard scaled.count > 0 else { return ReportFormat.missing }
                    return [scaled.average, scaled.median, scaled.percentile90].map { ReportFormat.fixed($0, places: 1) }.joined(separator: " / ")
                }
                return [name(row), String(row.count), String(row.open), summary(row.firstResponseSeconds),
                        summary(row.resolutionSeconds), "\(ReportFormat.percent(row.respondedWithinRate.value)) of \(row.measured)",
                        "\(ReportFormat.percent(row.resolvedWithinRate.value)) of \(row.resolutionMeasured)", String(row.flagged)]
            },
            notes: notes
        )
    }

    /// The tickets past the response window without a response.
    public var flaggedTable: ReportTable {
        ReportTable(
            title: "Tickets without a response after \(options.responseHours) h",
            headers: ["opened", "hours waiting", "severity", "account", "title"],
            alignments: [.left, .right, .left, .left, .left],
            rows: flagged.map { [$0.openedAt.description, String($0.hoursWaiting), $0.severity, $0.accountName, $0.title] }
        )
    }

    /// Open tickets about to miss a window: escalate now.
    public var escalationTable: ReportTable {
        ReportTable(
            title: "Escalate: windows ending within \(options.escalateWithinHours) h",
            headers: ["due", "minutes left", "deadline", "severity", "category", "account", "title"],
            alignments: [.left, .right, .left, .left, .left, .left, .left],
            rows: escalations.map { [$0.dueAt.description, String($0.minutesLeft), $0.deadline.rawValue, $0.severity, $0.category, $0.accountName, $0.title] }
        )
    }

    /// Resolved complaints whose customer was not called back.
    public var callBackTable: ReportTable {
        ReportTable(
            title: "Call-backs due (回访): complaints resolved \(options.callBackDays)+ days ago",
            headers: ["resolved", "days", "account", "title"],
            alignments: [.left, .right, .left, .left],
            rows: awaitingCallBack.map { [$0.resolvedAt.description, String($0.daysSinceResolution), $0.accountName, $0.title] },
            notes: ["called back within \(options.callBackDays) days: \(ReportFormat.percent(calledBackRate.value))"]
        )
    }

    public var tables: [ReportTable] { [table, categoryTable, flaggedTable, escalationTable, callBackTable] }
}
