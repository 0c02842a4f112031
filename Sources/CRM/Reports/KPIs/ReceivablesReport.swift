/// Receivables and overdue collection as of a day (应收账款账龄 / 催收).
///
/// Definitions: an invoice is owed its `amount` less the payments received by the end of
/// `asOf` (each payment its own record, so partial payments recorded on several devices all
/// count); void invoices, invoices issued after `asOf` and invoices paid in full are left
/// out. Days past due = `asOf` − `due_on`: below zero the invoice is *not due* yet; from 0 it
/// is overdue and falls in an aging bucket, 0–30, 31–60, 61–90 or 90+ days. Amounts are summed
/// per account and currency (never across currencies). Rows: most overdue first, then by
/// account name and currency; the collection list names each overdue invoice, oldest first.
/// Invoices paid beyond their amount (payments taken offline on several devices) are listed
/// as credits, the surplus per invoice.
public struct ReceivablesReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var asOf: CalendarDay
        public var owner: String?

        public init(asOf: CalendarDay, owner: String? = nil) {
            self.asOf = asOf
            self.owner = owner
        }
    }

    /// The aging buckets of overdue amounts, by days past due.
    public enum Bucket: String, CaseIterable, Hashable, Sendable, Codable {
        case notDue = "not due"
        case upTo30 = "0–30"
        case upTo60 = "31–60"
        case upTo90 = "61–90"
        case over90 = "90+"

        /// The bucket of an invoice `daysPastDue` days after its due day.
        public init(daysPastDue days: Int) {
            switch days {
            case ..<0: self = .notDue
            case 0...30: self = .upTo30
            case 31...60: self = .upTo60
            case 61...90: self = .upTo90
            default: self = .over90
            }
        }
    }

    /// One account's receivables in one currency.
    public struct Row: Hashable, Sendable, Codable {
        public var account: String
        public var accountName: String
        public var owner: String?
        public var currency: String
        /// The outstanding amount in each bucket, in `Bucket.allCases` order.
        public var buckets: [Amount]
        public var outstanding: Amount
        public var overdue: Amount
    }

    /// One overdue invoice to collect.
    public struct Item: Hashable, Sendable, Codable {
        public var invoice: String
        public var number: String?
        public var account: String
        public var accountName: String
        public var currency: String
        public var dueOn: CalendarDay
        public var daysPastDue: Int
        public var outstanding: Amount
    }

    /// An invoice paid beyond its amount: payments taken on several devices offline, each
    /// within what its device knew was owed, can add up to more. Money received is never
    /// refused after the fact; the surplus is the customer's credit, to refund or carry over.
    public struct Credit: Hashable, Sendable, Codable {
        public var invoice: String
        public var number: String?
        public var account: String
        public var accountName: String
        public var currency: String
        public var overpaid: Amount
    }

    public var options: Options
    public var rows: [Row]
    public var collection: [Item]
    /// Overpaid invoices, by account name.
    public var credits: [Credit]
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options) {
        self.options = options
        var rows: [String: Row] = [:]
        var collection: [Item] = []
        var credits: [Credit] = []
        var unsynced = 0
        for invoice in dataSet.invoices where invoice.isLive {
            guard let account = invoice.account, let dueOn = invoice.dueOn, (invoice.issuedOn ?? dueOn) <= options.asOf else { continue }
            guard options.owner == nil || (invoice.owner ?? dataSet.account(account)?.owner) == options.owner else { continue }
            let outstanding = invoice.outstanding(asOf: options.asOf)
            let currency = invoice.currency ?? "CNY"
            if outstanding < .zero {
                credits.append(Credit(
                    invoice: invoice.id, number: invoice.number, account: account, accountName: dataSet.accountName(account), currency: currency,
                    overpaid: .zero - outstanding
                ))
            }
            guard outstanding > .zero else { continue }
            let days = options.asOf.days(since: dueOn)
            let bucket = Bucket(daysPastDue: days)
            let key = account + "\u{0}" + currency
            var row = rows[key] ?? Row(
                account: account, accountName: dataSet.accountName(account), owner: dataSet.account(account)?.owner, currency: currency,
                buckets: Bucket.allCases.map { _ in .zero }, outstanding: .zero, overdue: .zero
            )
            if let index = Bucket.allCases.firstIndex(of: bucket) { row.buckets[index] += outstanding }
            row.outstanding += outstanding
            if bucket != .notDue {
                row.overdue += outstanding
                collection.append(Item(
                    invoice: invoice.id, number: invoice.number, account: account, accountName: row.accountName, currency: currency,
                    dueOn: dueOn, daysPastDue: days, outstanding: outstanding
                ))
            }
            rows[key] = row
            if invoice.isUnsynced || invoice.payments.contains(where: \.isUnsynced) { unsynced += 1 }
        }
        self.rows = rows.values.sorted { lhs, rhs in
            (rhs.overdue, lhs.accountName, lhs.currency, lhs.account) < (lhs.overdue, rhs.accountName, rhs.currency, rhs.account)
        }
        self.collection = collection.sorted { ($0.dueOn, $0.accountName, $0.invoice) < ($1.dueOn, $1.accountName, $1.invoice) }
        self.credits = credits.sorted { ($0.accountName, $0.invoice) < ($1.accountName, $1.invoice) }
        unsyncedLocalEdits = unsynced
    }

    /// The overdue amount per currency over every account.
    public var overdueByCurrency: [String: Amount] {
        rows.reduce(into: [:]) { totals, row in totals[row.currency, default: .zero] += row.overdue }
    }

    public var table: ReportTable {
        let overdue = overdueByCurrency.keys.sorted().map { ReportFormat.money(overdueByCurrency[$0], currency: $0) }
        return ReportTable(
            title: "Receivables as of \(options.asOf): \(rows.filter { $0.overdue > .zero }.count) of \(rows.count) accounts overdue",
            headers: ["account", "owner", "currency", "outstanding"] + Bucket.allCases.map(\.rawValue),
            alignments: [.left, .left, .left, .right] + Bucket.allCases.map { _ in .right },
            rows: rows.map { row in
                [row.accountName, row.owner ?? "", row.currency, ReportFormat.amount(row.outstanding)] + row.buckets.map { ReportFormat.amount($0) }
            },
            notes: ["buckets are days past due; outstanding = invoice amount − payments received by \(options.asOf)"]
                + (overdue.isEmpty ? [] : ["overdue in total: \(overdue.joined(separator: ", "))"])
                + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }

    /// The overdue invoices to collect, oldest due first.
    public var collectionTable: ReportTable {
        ReportTable(
            title: "Collection list: \(collection.count) overdue invoices",
            headers: ["due", "days overdue", "account", "invoice", "currency", "outstanding"],
            alignments: [.left, .right, .left, .left, .left, .right],
            rows: collection.map { item in
                [item.dueOn.description, String(item.daysPastDue), item.accountName, item.number ?? String(item.invoice.prefix(8)), item.currency,
                 ReportFormat.amount(item.outstanding)]
            }
        )
    }

    /// The overpaid invoices: the customers' credits.
    public var creditTable: ReportTable {
        ReportTable(
            title: "Credits: \(credits.count) overpaid invoices",
            headers: ["account", "invoice", "currency", "overpaid"],
            alignments: [.left, .left, .left, .right],
            rows: credits.map { credit in
                [credit.accountName, credit.number ?? String(credit.invoice.prefix(8)), credit.currency, ReportFormat.amount(credit.overpaid)]
            }
        )
    }

    public var tables: [ReportTable] { [table, collectionTable] + (credits.isEmpty ? [] : [creditTable]) }
}
