/// Lifecycle stage suggestions from purchase history and last contact (客户生命周期).
///
/// For each account, as of `asOf` (later orders and activities are ignored):
/// - purchases = orders submitted, confirmed or delivered, dated on or before `asOf`;
/// - last contact = the latest day of a purchase or an activity (any type);
///
/// and the suggestion is the first rule that applies:
/// 1. `prospect` (潜在): no purchase;
/// 2. `churned` (流失): no contact for `churnedAfterDays` days or more (default 180);
/// 3. `loyal` (忠诚): at least `loyalMinimumPurchases` purchases (default 4);
/// 4. `repeat` (重复购买): at least 2 purchases;
/// 5. `first_purchase` (初次购买): exactly 1 purchase.
public struct LifecycleReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var asOf: CalendarDay
        public var churnedAfterDays: Int
        public var loyalMinimumPurchases: Int
        public var utcOffsetMinutes: Int

        public init(asOf: CalendarDay, churnedAfterDays: Int = 180, loyalMinimumPurchases: Int = 4, utcOffsetMinutes: Int = 480) {
            self.asOf = asOf
            self.churnedAfterDays = churnedAfterDays
            self.loyalMinimumPurchases = loyalMinimumPurchases
            self.utcOffsetMinutes = utcOffsetMinutes
        }
    }

    /// One account's suggestion.
    public struct Row: Hashable, Sendable, Codable {
        public var account: String
        public var name: String
        public var purchases: Int
        public var firstPurchaseOn: CalendarDay?
        public var lastPurchaseOn: CalendarDay?
        public var lastContactOn: CalendarDay?
        public var currentLifecycle: String?
        public var suggestedLifecycle: String
        public var changed: Bool
    }

    public var options: Options
    /// Accounts sorted by name, then id.
    public var rows: [Row]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        var purchases: [String: [CalendarDay]] = [:]
        var unsynced = 0
        for order in dataSet.orders where order.isPurchase {
            guard let account = order.account, let day = order.day, day <= options.asOf else { continue }
            purchases[account, default: []].append(day)
            if order.isUnsynced { unsynced += 1 }
        }
        let activityDays = ChurnRiskReport.lastContactDays(dataSet, asOf: options.asOf, utcOffsetMinutes: options.utcOffsetMinutes)
        rows = dataSet.accounts.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map { account in
            let days = purchases[account.id] ?? []
            let lastPurchase = days.max()
            let lastContact = [lastPurchase, activityDays[account.id]].compactMap { $0 }.max()
            let suggested = Self.suggestion(
                purchases: days.count, lastContact: lastContact, options: options
            )
            return Row(
                account: account.id, name: account.name, purchases: days.count, firstPurchaseOn: days.min(),
                lastPurchaseOn: lastPurchase, lastContactOn: lastContact, currentLifecycle: account.lifecycle,
                suggestedLifecycle: suggested, changed: account.lifecycle != suggested
            )
        }
        unsyncedLocalEdits = unsynced + dataSet.accounts.filter(\.isUnsynced).count
    }

    /// The lifecycle stage the rules give for a purchase count and a last contact day.
    public static func suggestion(purchases: Int, lastContact: CalendarDay?, options: Options) -> String {
        guard purchases > 0 else { return "prospect" }
        if let lastContact, options.asOf.days(since: lastContact) >= options.churnedAfterDays { return "churned" }
        if purchases >= options.loyalMinimumPurchases { return "loyal" }
        return purchases >= 2 ? "repeat" : "first_purchase"
    }

    /// The suggested stage of one account, if it is in the report.
    public func suggestedLifecycle(of account: String) -> String? {
        rows.first { $0.account == account }?.suggestedLifecycle
    }

    public var table: ReportTable {
        let changed = rows.filter(\.changed).count
        return ReportTable(
            title: "Lifecycle stages as of \(options.asOf): \(changed) of \(rows.count) differ from the stored stage",
            headers: ["account", "purchases", "last purchase", "last contact", "stage", "suggested"],
            alignments: [.left, .right, .left, .left, .left, .left],
            rows: rows.map { row in
                [row.name, String(row.purchases), row.lastPurchaseOn?.description ?? ReportFormat.missing,
                 row.lastContactOn?.description ?? ReportFormat.missing, row.currentLifecycle ?? "",
                 row.suggestedLifecycle + (row.changed ? " *" : "")]
            },
            notes: [
                "prospect: no purchase; churned: no contact for \(options.churnedAfterDays)+ days; "
                    + "loyal: \(options.loyalMinimumPurchases)+ purchases; repeat: 2+; first_purchase: 1",
            ] + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
