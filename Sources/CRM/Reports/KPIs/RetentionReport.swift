/// Customer retention, churn and repeat purchase over a period (客户保留率, 流失率, 复购率).
///
/// Definitions:
/// - a *purchase* is an order with status submitted, confirmed or delivered (drafts and
///   cancelled orders do not count), dated by `ordered_on` (or `signed_on` when unset);
///   undated orders are left out;
/// - the *customers of a period* are the accounts with at least one purchase in it;
/// - retention rate = customers of the previous period who are also customers of this period
///   / customers of the previous period;
/// - churn rate = customers of the previous period who are not customers of this period
///   / customers of the previous period (= 1 − retention rate);
/// - repeat-purchase rate = customers with at least two purchases in this period / customers
///   of this period;
/// - the previous period is `previousPeriod`, or by default the period of the same length just
///   before (`ReportPeriod.preceding`: the previous quarter for a quarter).
///
/// The handbooks' target keeps churn under 5%; the retention target defaults to its
/// complement, 95%. Both are met when the rate is on the right side of the target or equal.
public struct RetentionReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var period: ReportPeriod
        public var previousPeriod: ReportPeriod?
        public var retentionTarget: KPITarget?
        public var churnTarget: KPITarget?
        public var repeatPurchaseTarget: KPITarget?

        public init(
            period: ReportPeriod, previousPeriod: ReportPeriod? = nil,
            retentionTarget: KPITarget? = KPITarget(0.95, .atLeast), churnTarget: KPITarget? = KPITarget(0.05, .atMost),
            repeatPurchaseTarget: KPITarget? = nil
        ) {
            self.period = period
            self.previousPeriod = previousPeriod
            self.retentionTarget = retentionTarget
            self.churnTarget = churnTarget
            self.repeatPurchaseTarget = repeatPurchaseTarget
        }
    }

    /// An account named in the report.
    public struct AccountReference: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
    }

    public var options: Options
    public var previousPeriod: ReportPeriod
    public var previousCustomers: Int
    public var currentCustomers: Int
    public var retainedCustomers: Int
    /// Customers of the current period who did not buy in the previous one.
    public var newCustomers: Int
    /// Customers with at least two purchases in the current period.
    public var repeatCustomers: Int
    public var retentionRate: KPI
    public var churnRate: KPI
    public var repeatPurchaseRate: KPI
    /// Previous-period customers who did not buy again, sorted by name.
    public var churnedAccounts: [AccountReference]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        let previous = options.previousPeriod ?? options.period.preceding
        previousPeriod = previous
        var purchasesNow: [String: Int] = [:]
        var buyersBefore = Set<String>()
        var unsynced = 0
        for order in dataSet.orders where order.isPurchase {
            guard let account = order.account, let day = order.day else { continue }
            if options.period.contains(day) {
                purchasesNow[account, default: 0] += 1
            } else if previous.contains(day) {
                buyersBefore.insert(account)
            } else {
                continue
            }
            if order.isUnsynced { unsynced += 1 }
        }
        let buyersNow = Set(purchasesNow.keys)
        let retained = buyersBefore.intersection(buyersNow)
        previousCustomers = buyersBefore.count
        currentCustomers = buyersNow.count
        retainedCustomers = retained.count
        newCustomers = buyersNow.subtracting(buyersBefore).count
        repeatCustomers = purchasesNow.values.filter { $0 >= 2 }.count
        retentionRate = .rate(retained.count, of: buyersBefore.count, target: options.retentionTarget)
        churnRate = .rate(buyersBefore.count - retained.count, of: buyersBefore.count, target: options.churnTarget)
        repeatPurchaseRate = .rate(repeatCustomers, of: buyersNow.count, target: options.repeatPurchaseTarget)
        churnedAccounts = buyersBefore.subtracting(buyersNow)
            .map { AccountReference(id: $0, name: dataSet.accountName($0)) }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        unsyncedLocalEdits = unsynced
    }

    public var table: ReportTable {
        func row(_ name: String, _ kpi: KPI, _ detail: String) -> [String] {
            [name, ReportFormat.percent(kpi.value), ReportFormat.target(kpi), detail]
        }
        return ReportTable(
            title: "Retention \(options.period) against \(previousPeriod)",
            headers: ["measure", "value", "target", "detail"],
            alignments: [.left, .right, .left, .left],
            rows: [
                row("retention rate", retentionRate, "\(retainedCustomers) of \(previousCustomers) previous customers bought again"),
                row("churn rate", churnRate, "\(previousCustomers - retainedCustomers) of \(previousCustomers) previous customers did not"),
                row("repeat-purchase rate", repeatPurchaseRate, "\(repeatCustomers) of \(currentCustomers) customers bought twice or more"),
            ],
            notes: ["customers: \(currentCustomers) now, \(newCustomers) new; purchases = submitted, confirmed or delivered orders"]
                + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
