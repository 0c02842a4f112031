import Foundation

/// ABC classification of accounts by revenue (客户分级): the simple, computable form of
/// customer value.
///
/// Revenue of an account = Σ `total` of its purchases (orders submitted, confirmed or
/// delivered; with a period, those dated in it) in `currency`; orders in another currency are
/// converted with `exchangeRates` or left out (counted in `excludedOrders`). Accounts with
/// revenue are ranked by revenue, highest first (ties by id, for a stable order).
///
/// The rule (`Rule`), with percentages as exact decimals:
/// - `.revenueShare(aPercent: 80, bPercent: 95)` (the default, Pareto): walking down the
///   ranking, an account is A while the revenue of the accounts ranked *before* it is under
///   `aPercent`% of the total, B while it is under `bPercent`%, C after. So A is the smallest
///   set of top accounts that together reach 80% of revenue, and B the next accounts up to 95%.
///   With revenues 50, 30, 15, 5: A = {50, 30} (exactly 80%), B = {15}, C = {5}.
/// - `.customerShare(aPercent: 20, bPercent: 50)`: the top ⌈n × 20%⌉ of the n accounts with
///   revenue are A, the next up to ⌈n × 50%⌉ are B, the rest C ("top ~20% of customers").
///
/// Under both rules accounts with equal revenue always get the same class (the class of the
/// first of them in the ranking), and accounts without revenue are C.
public struct ABCClassification: TabularReport, Hashable, Codable {
    /// How ranks become classes.
    public enum Rule: Hashable, Sendable, Codable {
        case revenueShare(aPercent: Decimal, bPercent: Decimal)
        case customerShare(aPercent: Decimal, bPercent: Decimal)

        /// Pareto by revenue: A up to 80%, B up to 95%.
        public static let standard = Rule.revenueShare(aPercent: 80, bPercent: 95)
    }

    public struct Options: Hashable, Sendable, Codable {
        public var rule: Rule
        public var currency: String
        /// Units of `currency` per unit of another currency.
        public var exchangeRates: [String: Amount]
        public var period: ReportPeriod?

        public init(rule: Rule = .standard, currency: String = "CNY", exchangeRates: [String: Amount] = [:], period: ReportPeriod? = nil) {
            self.rule = rule
            self.currency = currency
            self.exchangeRates = exchangeRates
            self.period = period
        }
    }

    /// One account's class.
    public struct Row: Hashable, Sendable, Codable {
        public var account: String
        public var name: String
        public var revenue: Amount
        /// 1 for the highest revenue; nil for accounts without revenue.
        public var rank: Int?
        /// This account's share of the total revenue, from 0 to 1 (for display).
        public var share: Double
        /// The share of the accounts up to and including this one (for display).
        public var cumulativeShare: Double
        public var currentTier: String?
        public var suggestedTier: String
        /// True when the suggestion differs from the stored tier.
        public var changed: Bool
    }

    public var options: Options
    public var totalRevenue: Amount
    /// Ranked accounts first, then accounts without revenue by name.
    public var rows: [Row]
    /// The number of accounts suggested for A, B and C.
    public var classCounts: [String: Int]
    public var excludedOrders: Int
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options = Options()) {
        self.options = options
        var revenue: [String: Amount] = [:]
        var excluded = 0
        var unsynced = 0
        for order in dataSet.orders where order.isPurchase {
            guard let account = order.account else { continue }
            if let period = options.period, !(order.day.map(period.contains) ?? false) { continue }
            let currency = order.currency ?? options.currency
            let rate = currency == options.currency ? Amount(1) : options.exchangeRates[currency]
            guard let total = order.total, let rate else {
                excluded += 1
                continue
            }
            revenue[account, default: .zero] += total * rate
            if order.isUnsynced { unsynced += 1 }
        }
        let total = revenue.values.sum()
        totalRevenue = total
        excludedOrders = excluded

        let ranked = dataSet.accounts.filter { (revenue[$0.id] ?? .zero) > .zero }
            .sorted { lhs, rhs in
                let left = revenue[lhs.id] ?? .zero
                let right = revenue[rhs.id] ?? .zero
                return left != right ? left > right : lhs.id < rhs.id
            }
        let classes = Self.classes(of: ranked.map { revenue[$0.id] ?? .zero }, total: total, rule: options.rule)
        var rows: [Row] = []
        var cumulative = Amount.zero
        for (index, account) in ranked.enumerated() {
            let amount = revenue[account.id] ?? .zero
            cumulative += amount
            rows.append(Row(
                account: account.id, name: account.name, revenue: amount, rank: index + 1,
                share: Amount.ratio(amount, total) ?? 0, cumulativeShare: Amount.ratio(cumulative, total) ?? 0,
                currentTier: account.tier, suggestedTier: classes[index], changed: account.tier != classes[index]
            ))
        }
        let idle = dataSet.accounts.filter { (revenue[$0.id] ?? .zero) <= .zero }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        for account in idle {
            rows.append(Row(
                account: account.id, name: account.name, revenue: revenue[account.id] ?? .zero, rank: nil,
                share: 0, cumulativeShare: rows.last?.cumulativeShare ?? 0,
                currentTier: account.tier, suggestedTier: "C", changed: account.tier != "C"
            ))
        }
        self.rows = rows
        classCounts = Dictionary(grouping: rows, by: \.suggestedTier).mapValues(\.count)
        unsyncedLocalEdits = unsynced + dataSet.accounts.filter(\.isUnsynced).count
    }

    /// The class of each revenue of a ranking (highest first, all positive).
    static func classes(of revenues: [Amount], total: Amount, rule: Rule) -> [String] {
        var classes: [String] = []
        var before = Amount.zero
        let count = Decimal(revenues.count)
        for (index, revenue) in revenues.enumerated() {
            let tier: String
            if index > 0, revenues[index - 1] == revenue {
                tier = classes[index - 1]
            } else {
                switch rule {
                case .revenueShare(let aPercent, let bPercent):
                    let consumed = before.decimal * 100
                    tier = consumed < aPercent * total.decimal ? "A" : consumed < bPercent * total.decimal ? "B" : "C"
                case .customerShare(let aPercent, let bPercent):
                    let rank = Decimal(index + 1)
                    tier = rank <= ceiling(count * aPercent / 100) ? "A" : rank <= ceiling(count * bPercent / 100) ? "B" : "C"
                }
            }
            classes.append(tier)
            before += revenue
        }
        return classes
    }

    static func ceiling(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .up)
        return result
    }

    /// The suggested class of one account, if it is in the report.
    public func suggestedTier(of account: String) -> String? {
        rows.first { $0.account == account }?.suggestedTier
    }

    public var table: ReportTable {
        let counts = ["A", "B", "C"].map { "\($0) \(classCounts[$0] ?? 0)" }.joined(separator: ", ")
        let rule: String
        switch options.rule {
        case .revenueShare(let a, let b): rule = "A = top accounts making \(a)% of revenue, B up to \(b)%, C the rest"
        case .customerShare(let a, let b): rule = "A = top \(a)% of accounts by revenue, B up to \(b)%, C the rest"
        }
        return ReportTable(
            title: "ABC classification by revenue (\(options.currency)): \(counts)",
            headers: ["rank", "account", "revenue", "share", "cumulative", "tier", "suggested"],
            alignments: [.right, .left, .amount, .right, .right, .left, .left],
            rows: rows.map { row in
                [row.rank.map(String.init) ?? ReportFormat.missing, row.name, ReportFormat.amount(row.revenue),
                 ReportFormat.percent(row.share), ReportFormat.percent(row.cumulativeShare), row.currentTier ?? "",
                 row.suggestedTier + (row.changed ? " *" : "")]
            },
            notes: ["rule: \(rule); total revenue \(ReportFormat.money(totalRevenue, currency: options.currency)); * = differs from the stored tier"]
                + (excludedOrders > 0 ? ["\(excludedOrders) orders left out (no total, or another currency without a rate)"] : [])
                + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
