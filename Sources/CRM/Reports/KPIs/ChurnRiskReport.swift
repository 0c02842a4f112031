/// Accounts at churn risk as of a day (流失预警), each with the warning signals that put it
/// there and the reason for each, so a manager can see why.
///
/// Signals, each judged from what is known at the end of `asOf` (later records are ignored):
/// - *no contact*: the last contact — the day (in the time zone `utcOffsetMinutes` east of UTC)
///   of the latest activity (visit, call, e-mail, meeting) or purchase (an order submitted,
///   confirmed or delivered, by its `ordered_on`/`signed_on` day) — is `inactiveDays` (90) or
///   more days before `asOf`; or, when `includeNeverContacted`, there is none at all. An account
///   that ordered today has been in touch today;
/// - *falling orders*: in the currency the account bought most in before, its purchases in the
///   `orderWindowDays` (90) days up to `asOf` are worth at least `orderDropPercent` (50 %) less
///   than in the same number of days before them (and it bought something then);
/// - *open complaints*: complaints opened by `asOf` and not resolved by then;
/// - *NPS detractor*: the account's latest NPS answer by `asOf` scored 0–6.
///
/// - *overdue receivables*: invoices past their due day and not paid in full by `asOf`, as
///   `ReceivablesReport` counts them, with the oldest days past due.
///
/// Accounts whose lifecycle is in `excludedLifecycles` (`churned` by default: they are already
/// lost) are left out. Sorted: most signals first, then never contacted, then the longest
/// silence, then by name and id.
public struct ChurnRiskReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var asOf: CalendarDay
        public var inactiveDays: Int
        public var utcOffsetMinutes: Int
        public var excludedLifecycles: [String]
        public var includeNeverContacted: Bool
        public var owner: String?
        public var orderWindowDays: Int
        public var orderDropPercent: Int

        public init(
            asOf: CalendarDay, inactiveDays: Int = 90, utcOffsetMinutes: Int = 480,
            excludedLifecycles: [String] = ["churned"], includeNeverContacted: Bool = true, owner: String? = nil,
            orderWindowDays: Int = 90, orderDropPercent: Int = 50
        ) {
            self.asOf = asOf
            self.inactiveDays = inactiveDays
            self.utcOffsetMinutes = utcOffsetMinutes
            self.excludedLifecycles = excludedLifecycles
            self.includeNeverContacted = includeNeverContacted
            self.owner = owner
            self.orderWindowDays = orderWindowDays
            self.orderDropPercent = orderDropPercent
        }
    }

    /// One warning sign and why it shows.
    public struct Signal: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case noContact = "no_contact"
            case fallingOrders = "falling_orders"
            case openComplaints = "open_complaints"
            case npsDetractor = "nps_detractor"
            case overdueReceivables = "overdue_receivables"
        }

        public var kind: Kind
        /// In words, with the figures: "no contact for 120 days (last 2026-07-26)".
        public var reason: String
    }

    /// One account at risk.
    public struct Row: Hashable, Sendable, Codable {
        public var account: String
        public var name: String
        public var owner: String?
        public var tier: String?
        public var lifecycle: String?
        /// The last activity or purchase; nil when there was none.
        public var lastContactOn: CalendarDay?
        public var daysSinceContact: Int?
        /// At least one.
        public var signals: [Signal]
    }

    public var options: Options
    public var accountsChecked: Int
    public var atRisk: [Row]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        let asOf = options.asOf
        let activityDays = Self.lastContactDays(dataSet, asOf: asOf, utcOffsetMinutes: options.utcOffsetMinutes)
        var lastContact = activityDays
        var ordersNow: [String: [String: Amount]] = [:]
        var ordersBefore: [String: [String: Amount]] = [:]
        let windowStart = asOf.adding(days: -(options.orderWindowDays - 1))
        let previousStart = windowStart.adding(days: -options.orderWindowDays)
        for order in dataSet.orders where order.isPurchase {
            guard let account = order.account, let day = order.day, day <= asOf else { continue }
            if lastContact[account].map({ $0 < day }) ?? true { lastContact[account] = day }
            let currency = order.currency ?? "CNY"
            let total = order.total ?? .zero
            if day >= windowStart {
                ordersNow[account, default: [:]][currency, default: .zero] += total
            } else if day >= previousStart {
                ordersBefore[account, default: [:]][currency, default: .zero] += total
            }
        }
        let byThen = { (instant: Instant) in instant.day(utcOffsetMinutes: options.utcOffsetMinutes) <= asOf }
        var complaints: [String: [Instant]] = [:]
        for ticket in dataSet.tickets where ticket.category == "complaint" {
            guard let account = ticket.account, let opened = ticket.openedAt, byThen(opened) else { continue }
            let resolved = ticket.resolvedAt.map(byThen) ?? false
            if !resolved { complaints[account, default: []].append(opened) }
        }
        var latestNPS: [String: (at: Instant, score: Int64)] = [:]
        for survey in dataSet.surveys where survey.kind == "nps" {
            guard let account = survey.account, let at = survey.answeredAt, let score = survey.score, byThen(at) else { continue }
            if let known = latestNPS[account], known.at >= at { continue }
            latestNPS[account] = (at, score)
        }

        let receivables = ReceivablesReport(dataSet, options: .init(asOf: asOf))
        var overdue: [String: (amounts: [String], oldest: Int)] = [:]
        for row in receivables.rows where row.overdue > .zero {
            let oldest = receivables.collection.filter { $0.account == row.account }.map(\.daysPastDue).max() ?? 0
            let known = overdue[row.account]
            overdue[row.account] = ((known?.amounts ?? []) + [ReportFormat.money(row.overdue, currency: row.currency)], max(known?.oldest ?? 0, oldest))
        }

        let excluded = Set(options.excludedLifecycles)
        let accounts = dataSet.accounts.filter { account in
            !excluded.contains(account.lifecycle ?? "") && (options.owner == nil || account.owner == options.owner)
        }
        accountsChecked = accounts.count
        atRisk = accounts.compactMap { account -> Row? in
            var signals: [Signal] = []
            let last = lastContact[account.id]
            let days = last.map { asOf.days(since: $0) }
            if let last, let days, days >= options.inactiveDays {
                signals.append(Signal(kind: .noContact, reason: "no contact for \(days) days (last \(last))"))
            } else if last == nil, options.includeNeverContacted {
                signals.append(Signal(kind: .noContact, reason: "never contacted"))
            }
            if let before = ordersBefore[account.id], let (currency, then) = before.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), then > .zero {
                let now = ordersNow[account.id]?[currency] ?? .zero
                let limit = then.applying(percent: Int64(100 - options.orderDropPercent))
                if now <= limit {
                    let drop = Amount.ratio(then - now, then).map { Int(($0 * 100).rounded()) } ?? 100
                    signals.append(Signal(
                        kind: .fallingOrders,
                        reason: "orders \(ReportFormat.money(now, currency: currency)) in the last \(options.orderWindowDays) days against \(ReportFormat.money(then, currency: currency)) in the \(options.orderWindowDays) before (−\(drop) %)"
                    ))
                }
            }
            if let open = complaints[account.id], let oldest = open.min() {
                let age = asOf.days(since: oldest.day(utcOffsetMinutes: options.utcOffsetMinutes))
                signals.append(Signal(
                    kind: .openComplaints, reason: "\(open.count) open complaint\(open.count == 1 ? "" : "s") (oldest \(age) days)"
                ))
            }
            if let nps = latestNPS[account.id], nps.score <= 6 {
                signals.append(Signal(
                    kind: .npsDetractor, reason: "NPS detractor: scored \(nps.score) on \(nps.at.day(utcOffsetMinutes: options.utcOffsetMinutes))"
                ))
            }
            if let receivable = overdue[account.id] {
                signals.append(Signal(
                    kind: .overdueReceivables,
                    reason: "overdue receivables \(receivable.amounts.joined(separator: " + ")) (oldest \(receivable.oldest) days past due)"
                ))
            }
            guard !signals.isEmpty else { return nil }
            return Row(
                account: account.id, name: account.name, owner: account.owner, tier: account.tier,
                lifecycle: account.lifecycle, lastContactOn: last, daysSinceContact: days, signals: signals
            )
        }
        .sorted { lhs, rhs in
            let left = lhs.daysSinceContact ?? Int.max
            let right = rhs.daysSinceContact ?? Int.max
            return (rhs.signals.count, right, lhs.name, lhs.account) < (lhs.signals.count, left, rhs.name, rhs.account)
        }
        let riskIDs = Set(atRisk.map(\.account))
        unsyncedLocalEdits = dataSet.accounts.filter { riskIDs.contains($0.id) && $0.isUnsynced }.count
            + dataSet.activities.filter { $0.isUnsynced && $0.account.map(riskIDs.contains) == true }.count
            + dataSet.orders.filter { $0.isUnsynced && $0.account.map(riskIDs.contains) == true }.count
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
            title: "Churn risk as of \(options.asOf): \(atRisk.count) of \(accountsChecked) accounts with a warning signal",
            headers: ["account", "owner", "tier", "lifecycle", "last contact", "days", "signals"],
            alignments: [.left, .left, .left, .left, .left, .right, .left],
            rows: atRisk.map { row in
                [row.name, row.owner ?? "", row.tier ?? "", row.lifecycle ?? "",
                 row.lastContactOn?.description ?? "never", row.daysSinceContact.map(String.init) ?? ReportFormat.missing,
                 row.signals.map(\.reason).joined(separator: "; ")]
            },
            notes: ["signals: no contact for \(options.inactiveDays)+ days (activities and purchases count), orders down \(options.orderDropPercent) %+ over \(options.orderWindowDays) days, open complaints, NPS detractor (0–6), overdue receivables"]
                + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
