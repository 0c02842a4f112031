/// Won deals: average deal size per currency and the sales cycle length (平均成交金额, 销售周期).
///
/// Definitions:
/// - won deals are opportunities at stage `won`; with a period, those whose `closed_on` falls
///   in it;
/// - average deal size = Σ amount of won deals with an amount / their count, per currency
///   (no currency counts as `defaultCurrency`), exact, rounded half away from zero to 2
///   decimals;
/// - sales cycle = `closed_on` − `created_on` in days, for won deals that have both; the report
///   gives the average, the median (mean of the two middle values for an even count), the
///   90th percentile (nearest rank), the minimum and the maximum;
/// - quota attainment: the won amount in `defaultCurrency` against `quota` (a sales quota for
///   the owner or the company, see `KPITargets`).
public struct DealReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var period: ReportPeriod?
        public var owner: String?
        public var defaultCurrency: String
        /// The sales quota the won amount (in `defaultCurrency`) is held against.
        public var quota: KPITarget?

        public init(period: ReportPeriod? = nil, owner: String? = nil, defaultCurrency: String = "CNY", quota: KPITarget? = nil) {
            self.period = period
            self.owner = owner
            self.defaultCurrency = defaultCurrency
            self.quota = quota
        }
    }

    /// Won deals in one currency.
    public struct CurrencyRow: Hashable, Sendable, Codable {
        public var currency: String
        public var wonCount: Int
        public var wonAmount: Amount
        /// nil when no won deal of the currency has an amount.
        public var averageDealSize: Amount?
    }

    public var options: Options
    public var wonCount: Int
    public var byCurrency: [CurrencyRow]
    /// Days from creation to close of won deals.
    public var salesCycleDays: DurationStatistics
    /// The won amount in `defaultCurrency` against the quota; nil without a quota.
    public var quotaAttainment: KPI?
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options = Options()) {
        self.options = options
        let won = dataSet.opportunities.filter { opportunity in
            guard opportunity.stage == .won, options.owner == nil || opportunity.owner == options.owner else { return false }
            guard let period = options.period else { return true }
            return opportunity.closedOn.map(period.contains) ?? false
        }
        wonCount = won.count
        byCurrency = Dictionary(grouping: won) { $0.currency ?? options.defaultCurrency }
            .sorted { $0.key < $1.key }
            .map { currency, deals in
                let amounts = deals.compactMap(\.amount)
                let total = amounts.sum()
                return CurrencyRow(currency: currency, wonCount: deals.count, wonAmount: total, averageDealSize: total.divided(by: amounts.count))
            }
        salesCycleDays = DurationStatistics(won.compactMap { deal in
            guard let created = deal.createdOn, let closed = deal.closedOn else { return nil }
            return Int64(closed.days(since: created))
        })
        let wonInCurrency = byCurrency.first { $0.currency == options.defaultCurrency }?.wonAmount ?? .zero
        quotaAttainment = options.quota.map { KPI(value: Double(wonInCurrency.formatted(places: 2)), target: $0) }
        unsyncedLocalEdits = won.filter(\.isUnsynced).count
    }

    public var table: ReportTable {
        let cycle = salesCycleDays
        var rows = byCurrency.map { row in
            ["average deal size (\(row.currency))", ReportFormat.amount(row.averageDealSize), "\(row.wonCount) won, total \(ReportFormat.money(row.wonAmount, currency: row.currency))"]
        }
        rows.append(["sales cycle, average (days)", ReportFormat.fixed(cycle.average), "\(cycle.count) won deals with both dates"])
        rows.append(["sales cycle, median (days)", ReportFormat.fixed(cycle.median), ""])
        rows.append(["sales cycle, 90th percentile (days)", ReportFormat.fixed(cycle.percentile90, places: 0), ""])
        if let quota = quotaAttainment {
            rows.append([
                "won against quota (\(options.defaultCurrency))", ReportFormat.fixed(quota.value, places: 2),
                ReportFormat.target(quota, asPercent: false),
            ])
        }
        return ReportTable(
            title: "Won deals: average size and sales cycle",
            headers: ["measure", "value", "detail"],
            alignments: [.left, .right, .left],
            rows: rows,
            notes: ["sales cycle = closed_on − created_on"] + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
