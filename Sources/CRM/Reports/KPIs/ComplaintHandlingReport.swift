/// Complaint and service-ticket handling by severity (投诉处理): first-response and resolution
/// times, the share answered within 24 hours against the 90% standard, and tickets waiting
/// too long.
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
/// - flagged = tickets without a response more than `responseHours` after opening;
/// - open = tickets not resolved or closed;
/// - tickets without `opened_at` count in `count` only.
public struct ComplaintHandlingReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var asOf: Instant
        /// The service standard's response window.
        public var responseHours: Int
        public var respondedWithinTarget: KPITarget?
        /// The ticket categories counted; nil for all (complaint, service_request, inquiry).
        public var categories: [String]?

        public init(asOf: Instant, responseHours: Int = 24, respondedWithinTarget: KPITarget? = KPITarget(0.9), categories: [String]? = nil) {
            self.asOf = asOf
            self.responseHours = responseHours
            self.respondedWithinTarget = respondedWithinTarget
            self.categories = categories
        }
    }

    /// The figures of one severity, or of all tickets.
    public struct Row: Hashable, Sendable, Codable {
        /// A severity, or "all".
        public var severity: String
        public var count: Int
        public var open: Int
        public var firstResponseSeconds: DurationStatistics
        public var resolutionSeconds: DurationStatistics
        public var measured: Int
        public var respondedWithin: Int
        public var respondedWithinRate: KPI
        public var flagged: Int
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
    /// Sorted by opening time, oldest first, then id.
    public var flagged: [FlaggedTicket]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        let asOf = options.asOf
        let window = Int64(options.responseHours) * 3600
        let categories = options.categories.map(Set.init)
        let tickets = dataSet.tickets.filter { ticket in
            let inCategory = categories.map { $0.contains(ticket.category) } ?? true
            let openedByThen = ticket.openedAt.map { $0 <= asOf } ?? true
            return inCategory && openedByThen
        }
        var flagged: [FlaggedTicket] = []
        func row(_ severity: String, _ tickets: [CRMDataSet.Ticket]) -> Row {
            var responses: [Int64] = []
            var resolutions: [Int64] = []
            var measured = 0
            var within = 0
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
                    resolutions.append(resolvedAt.seconds(since: opened))
                }
            }
            return Row(
                severity: severity, count: tickets.count, open: open,
                firstResponseSeconds: DurationStatistics(responses), resolutionSeconds: DurationStatistics(resolutions),
                measured: measured, respondedWithin: within,
                respondedWithinRate: .rate(within, of: measured, target: options.respondedWithinTarget),
                flagged: waiting
            )
        }
        let bySeverity = Dictionary(grouping: tickets, by: \.severity)
        let known = CRMSchema.ticketSeverities
        let severities = known.filter { bySeverity[$0] != nil } + bySeverity.keys.filter { !known.contains($0) }.sorted()
        rows = severities.map { row($0, bySeverity[$0] ?? []) } + [row("all", tickets)]
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
        let hours = options.responseHours
        var notes = ["responded within \(hours) h: " + (all.map { ReportFormat.target($0.respondedWithinRate) } ?? "no tickets")]
        notes.append("times in hours: average / median / 90th percentile; as of \(options.asOf)")
        notes += ReportFormat.unsyncedNote(unsyncedLocalEdits)
        return ReportTable(
            title: "Complaint handling by severity",
            headers: ["severity", "tickets", "open", "first response h", "resolution h", "within \(hours) h", "flagged"],
            alignments: [.left, .right, .right, .right, .right, .right, .right],
            rows: rows.map { row in
                func summary(_ statistics: DurationStatistics) -> String {
                    let scaled = statistics.scaled(by: 3600)
                    guard scaled.count > 0 else { return ReportFormat.missing }
                    return [scaled.average, scaled.median, scaled.percentile90].map { ReportFormat.fixed($0, places: 1) }.joined(separator: " / ")
                }
                return [row.severity, String(row.count), String(row.open), summary(row.firstResponseSeconds),
                        summary(row.resolutionSeconds), "\(ReportFormat.percent(row.respondedWithinRate.value)) of \(row.measured)",
                        String(row.flagged)]
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

    public var tables: [ReportTable] { [table, flaggedTable] }
}
