/// What an account has bought, been offered, signed and still owes (the quote-to-cash part of
/// the customer 360 `show account` prints), as of a day.
///
/// Revenue is the total of its confirmed and delivered orders, per currency; receivables are
/// `ReceivablesReport`'s row of the account: outstanding and overdue per currency.
public struct AccountStatement: Hashable, Sendable {
    public var orders: Int
    /// Confirmed and delivered orders' totals by currency.
    public var revenue: [String: Amount]
    /// Quotes that are the current version and not yet decided (draft or sent).
    public var openQuotes: Int
    /// Active contracts, and those of them due for renewal.
    public var activeContracts: Int
    public var contractsDue: Int
    public var outstanding: [String: Amount]
    public var overdue: [String: Amount]
    /// What the account paid beyond its invoices (`ReceivablesReport.credits`) by currency.
    public var credit: [String: Amount]

    public init(_ dataSet: CRMDataSet, account: String, asOf: CalendarDay) {
        let orders = dataSet.orders.filter { $0.account == account }
        self.orders = orders.count
        revenue = orders.filter { OrderStatus(rawValue: $0.status)?.isRevenue ?? false }
            .reduce(into: [:]) { totals, order in totals[order.currency ?? "CNY", default: .zero] += order.total ?? .zero }
        openQuotes = dataSet.records(of: CRMSchema.quote.name).filter { quote in
            quote.text("account") == account && [QuoteStatus.draft.rawValue, QuoteStatus.sent.rawValue].contains(quote.text("status") ?? "")
        }.count
        activeContracts = dataSet.contracts.filter { $0.account == account && $0.status == ContractStatus.active.rawValue }.count
        contractsDue = ContractRenewals(dataSet, asOf: asOf).items.filter { $0.account == account }.count
        let receivables = ReceivablesReport(dataSet, options: .init(asOf: asOf))
        let rows = receivables.rows.filter { $0.account == account }
        credit = receivables.credits.filter { $0.account == account }.reduce(into: [:]) { totals, credit in totals[credit.currency, default: .zero] += credit.overpaid }
        outstanding = rows.reduce(into: [:]) { totals, row in totals[row.currency, default: .zero] += row.outstanding }
        overdue = rows.reduce(into: [:]) { totals, row in totals[row.currency, default: .zero] += row.overdue }
    }

    /// One line per subject: "orders: 3, revenue CNY 12,000.00", "quotes: 1 open", …
    public var lines: [String] {
        func money(_ amounts: [String: Amount]) -> String {
            amounts.isEmpty ? "none" : amounts.keys.sorted().map { ReportFormat.money(amounts[$0], currency: $0) }.joined(separator: ", ")
        }
        return [
            "orders: \(orders), revenue \(money(revenue)) (confirmed and delivered)",
            "quotes: \(openQuotes) open",
            "contracts: \(activeContracts) active, \(contractsDue) due for renewal",
            "receivables: \(money(outstanding)) outstanding, \(money(overdue)) overdue",
        ] + (credit.isEmpty ? [] : ["credit: \(money(credit)) paid beyond its invoices (to refund or carry over)"])
    }
}
