import CRM
import SyncCore
import Testing

/// Receivables, aging and the contracts due for renewal, over records given by hand so every
/// figure is computed independently here.
@Suite("Receivables, overdue collection and contract renewals")
struct ReceivablesReportTests {
    static let asOf = CalendarDay(year: 2026, month: 11, day: 30)!
    static let east = "0192f0c4-0000-7000-8000-00000000000a"
    static let west = "0192f0c4-0000-7000-8000-00000000000b"

    static func record(_ entity: String, _ id: Int, _ values: [String: Value]) -> CRMDataSet.Record {
        CRMDataSet.Record(entity: entity, id: String(format: "0192f0c4-0000-7000-8000-%012d", id), values: values)
    }

    static func invoice(_ id: Int, account: String, amount: String, due: String, issued: String = "2026-01-01", currency: String = "CNY", status: String = "issued") -> CRMDataSet.Record {
        record("invoice", id, [
            "account": .string(account), "order": .string(account), "amount": .string(amount), "currency": .string(currency),
            "status": .string(status), "issued_on": .string(issued), "payment_terms": .string("net_30"), "due_on": .string(due),
        ])
    }

    static func payment(_ id: Int, invoice: Int, amount: String, on day: String) -> CRMDataSet.Record {
        record("payment", id, [
            "account": .string(east), "invoice": .string(String(format: "0192f0c4-0000-7000-8000-%012d", invoice)), "amount": .string(amount),
            "received_on": .string(day),
        ])
    }

    static var dataSet: CRMDataSet { CRMDataSet(records: records) }

    static var records: [CRMDataSet.Record] {
        [
            record("account", 10, ["name": .string("华东机械"), "territory": .string("east"), "owner": .string("rep1")]).renamed(east),
            record("account", 11, ["name": .string("西部能源"), "territory": .string("west")]).renamed(west),
            // 1000 due 2026-11-30 (0 days past due), two partial payments of 300 and 200: 500 owed in 0–30.
            invoice(1, account: east, amount: "1000", due: "2026-11-30"),
            payment(101, invoice: 1, amount: "300", on: "2026-11-10"),
            payment(102, invoice: 1, amount: "200", on: "2026-11-20"),
            // 400 due 2026-09-15: 76 days past due → 61–90; a payment after as-of does not count yet.
            invoice(2, account: east, amount: "400", due: "2026-09-15"),
            payment(103, invoice: 2, amount: "400", on: "2026-12-02"),
            // Not due yet: 250.
            invoice(3, account: east, amount: "250", due: "2026-12-20"),
            // Paid in full: left out.
            invoice(4, account: east, amount: "80", due: "2026-10-01"),
            payment(104, invoice: 4, amount: "80", on: "2026-10-01"),
            // Void: left out. Issued after as-of: left out.
            invoice(5, account: west, amount: "999", due: "2026-01-01", status: "void"),
            invoice(6, account: west, amount: "999", due: "2026-12-31", issued: "2026-12-01"),
            // 120 days past due (2026-08-02) → 90+, and 31–60 in USD.
            invoice(7, account: west, amount: "7000", due: "2026-08-02"),
            invoice(8, account: west, amount: "50.5", due: "2026-10-15", currency: "USD"),
        ]
    }

    @Test("payments taken on two devices offline that add up to more than the invoice: the surplus is the customer's credit, nothing refused or lost")
    func overpaymentIsACredit() throws {
        var records = Self.records
        // 600 invoiced; one device took 400, another 350, each within what it knew was owed.
        records.append(Self.invoice(9, account: Self.east, amount: "600", due: "2026-12-10"))
        records.append(Self.payment(105, invoice: 9, amount: "400", on: "2026-11-21"))
        records.append(Self.payment(106, invoice: 9, amount: "350", on: "2026-11-22"))
        let dataSet = CRMDataSet(records: records)
        let report = ReceivablesReport(dataSet, options: .init(asOf: Self.asOf))
        #expect(report.credits.map(\.overpaid) == [Amount(150)], "\(report.credits)")
        #expect(report.credits.first?.accountName == "华东机械")
        #expect(report.tables.map(\.title).last == "Credits: 1 overpaid invoices")
        let before = ReceivablesReport(Self.dataSet, options: .init(asOf: Self.asOf))
        #expect(report.rows == before.rows, "an overpaid invoice owes nothing and takes nothing from the others")
        #expect(before.credits.isEmpty && before.tables.count == 2)
        // Before the second payment arrived, it was owed 200.
        #expect(ReceivablesReport(dataSet, options: .init(asOf: CalendarDay(year: 2026, month: 11, day: 21)!)).credits.isEmpty)
        let statement = AccountStatement(dataSet, account: Self.east, asOf: Self.asOf)
        #expect(statement.credit == ["CNY": Amount(150)])
        #expect(statement.lines.last?.hasPrefix("credit: ") == true, "\(statement.lines)")
    }

    @Test("outstanding is the amount less payments received by the day, aged by days past due, per account and currency")
    func aging() throws {
        let report = ReceivablesReport(Self.dataSet, options: .init(asOf: Self.asOf))
        #expect(report.rows.map(\.accountName) == ["西部能源", "华东机械", "西部能源"], "most overdue first")
        let west = report.rows[0], east = report.rows[1], westUSD = report.rows[2]
        #expect(west.currency == "CNY" && west.outstanding == Amount(7000) && west.overdue == Amount(7000))
        #expect(west.buckets == [.zero, .zero, .zero, .zero, Amount(7000)])
        #expect(east.currency == "CNY")
        #expect(east.buckets == [Amount(250), Amount(500), .zero, Amount(400), .zero])
        #expect(east.outstanding == Amount(1150))
        #expect(east.overdue == Amount(900))
        #expect(westUSD.currency == "USD" && westUSD.buckets == [.zero, .zero, Amount("50.5"), .zero, .zero])
        #expect(report.collection.map(\.daysPastDue) == [120, 76, 46, 0])
        #expect(report.collection.first?.accountName == "西部能源")
        #expect(report.overdueByCurrency == ["CNY": Amount(7900), "USD": Amount("50.5")])

        // A day later the late payment of invoice 2 has arrived... only once as-of passes it.
        let later = ReceivablesReport(Self.dataSet, options: .init(asOf: CalendarDay(year: 2026, month: 12, day: 2)!))
        #expect(later.rows.first { $0.accountName == "华东机械" }?.buckets[3] == .zero)
        // By owner: only rep1's account.
        #expect(ReceivablesReport(Self.dataSet, options: .init(asOf: Self.asOf, owner: "rep1")).rows.map(\.accountName) == ["华东机械"])
    }

    @Test("the report reads in Chinese, through the catalog as `report receivables`")
    func chinese() throws {
        let parameters = try ReportParameters(query: ["as_of": "2026-11-30"], for: .receivables)
        let result = ReportCatalog.compute(.receivables, over: Self.dataSet, parameters: parameters, now: Instant(secondsSinceEpoch: 0))
        let text = result.text(.chinese)
        #expect(text.contains("应收账款（截至 2026-11-30）：3 个客户中 3 个逾期"), "\(text)")
        #expect(text.contains("90 天以上") && text.contains("未到期") && text.contains("未收金额"))
        #expect(text.contains("催收清单：4 张逾期发票"))
        #expect(text.contains("7,000.00") || text.contains("7000.00"))
        #expect(result.text().contains("Receivables as of 2026-11-30"))
    }

    @Test("an account with overdue receivables shows the churn signal with its amount and age")
    func churnSignal() {
        let report = ChurnRiskReport(Self.dataSet, options: .init(asOf: Self.asOf))
        let west = report.atRisk.first { $0.name == "西部能源" }
        let signal = west?.signals.first { $0.kind == .overdueReceivables }
        #expect(signal?.reason == "overdue receivables CNY 7,000.00 + USD 50.50 (oldest 120 days past due)")
        #expect(ReportPhrases.cell(signal?.reason ?? "", .chinese) == "逾期应收账款 CNY 7,000.00 + USD 50.50（最早的已逾期 120 天）")
    }

    @Test("a contract is due for renewal from its notice day, stays due once expired, and leaves the list when renewed")
    func renewals() {
        func contract(_ id: Int, ends: String, notice: Int64? = nil, status: String = "active", renewedBy: String? = nil) -> CRMDataSet.Record {
            var values: [String: Value] = [
                "account": .string(Self.east), "title": .string("合同 \(id)"), "status": .string(status), "starts_on": .string("2026-01-01"),
                "ends_on": .string(ends),
            ]
            if let notice { values["renewal_notice_days"] = .int(notice) }
            if let renewedBy { values["renewed_by"] = .string(renewedBy) }
            return Self.record("contract", id, values)
        }
        let dataSet = CRMDataSet(records: [
            contract(1, ends: "2026-12-30"),  // 30 days left, default notice 30: due.
            contract(2, ends: "2026-12-31"),  // 31 days left: not yet.
            contract(3, ends: "2027-02-28", notice: 90),  // 90 days left, notice 90: due.
            contract(4, ends: "2026-11-01"),  // expired 29 days ago, not renewed: due.
            contract(5, ends: "2026-11-01", renewedBy: "x"),  // renewed.
            contract(6, ends: "2026-12-01", status: "terminated"),
            contract(7, ends: "2026-12-01", status: "draft"),
        ])
        let due = ContractRenewals(dataSet, asOf: Self.asOf)
        #expect(due.items.map(\.title) == ["合同 4", "合同 1", "合同 3"])
        #expect(due.items.map(\.daysLeft) == [-29, 30, 90])
        #expect(due.items.first?.isExpired == true)
        let within = ContractRenewals(dataSet, asOf: Self.asOf, within: 31)
        #expect(within.items.map(\.title) == ["合同 4", "合同 1", "合同 2"])
    }

    @Test("an account's statement: orders and revenue, open quotes, contracts and receivables")
    func statement() {
        var records = Self.dataSet.records(of: "account") + Self.dataSet.records(of: "invoice") + Self.dataSet.records(of: "payment")
        records += [
            Self.record("order", 201, ["account": .string(Self.east), "status": .string("delivered"), "total": .string("1000"), "currency": .string("CNY")]),
            Self.record("order", 202, ["account": .string(Self.east), "status": .string("submitted"), "total": .string("99")]),
            Self.record("order", 203, ["account": .string(Self.east), "status": .string("cancelled"), "total": .string("5")]),
            Self.record("quote", 301, ["account": .string(Self.east), "status": .string("sent")]),
            Self.record("quote", 302, ["account": .string(Self.east), "status": .string("superseded")]),
            Self.record("contract", 401, [
                "account": .string(Self.east), "title": .string("供货"), "status": .string("active"), "starts_on": .string("2026-01-01"),
                "ends_on": .string("2026-12-15"),
            ]),
        ]
        let statement = AccountStatement(CRMDataSet(records: records), account: Self.east, asOf: Self.asOf)
        #expect(statement.orders == 3)
        #expect(statement.revenue == ["CNY": Amount(1000)])
        #expect(statement.openQuotes == 1)
        #expect(statement.activeContracts == 1 && statement.contractsDue == 1)
        #expect(statement.outstanding == ["CNY": Amount(1150)])
        #expect(statement.overdue == ["CNY": Amount(900)])
        #expect(statement.lines.last == "receivables: CNY 1,150.00 outstanding, CNY 900.00 overdue")
    }

    @Test("an invoice's due day follows its day and payment terms when either changes; a payment is more than zero")
    func invoiceRules() throws {
        let issued: [String: Value] = [
            "account": .string(Self.east), "order": .string(Self.east), "amount": .string("10"), "status": .string("issued"),
            "issued_on": .string("2026-11-20"), "payment_terms": .string("net_30"), "due_on": .string("2026-12-20"),
        ]
        let terms = try CRMRules.assignments(for: CRMSchema.invoice, current: issued, proposed: ["payment_terms": .string("net_45")], now: "2026-11-21T01:00:00Z")
        #expect(terms["due_on"] == .string("2027-01-04"))
        let day = try CRMRules.assignments(for: CRMSchema.invoice, current: issued, proposed: ["issued_on": .string("2026-11-25")], now: "2026-11-21T01:00:00Z")
        #expect(day["due_on"] == .string("2026-12-25"))
        #expect(PaymentTerms.dueOnReceipt.dueDay(issuedOn: try #require(CalendarDay("2026-11-20"))) == CalendarDay("2026-11-20"))
        let early = #expect(throws: ValidationError.self) {
            try CRMRules.assignments(for: CRMSchema.invoice, current: issued, proposed: ["due_on": .string("2026-11-01")], now: "2026-11-21T01:00:00Z")
        }
        #expect(early?.code == .invalidValue)
        let error = #expect(throws: ValidationError.self) {
            try CRMRules.assignments(for: CRMSchema.payment, current: nil, proposed: [
                "account": .string(Self.east), "invoice": .string(Self.east), "amount": .string("0"), "received_on": .string("2026-11-20"),
            ], now: "2026-11-20T01:00:00Z")
        }
        #expect(error?.code == .invalidValue)
    }
}

extension CRMDataSet.Record {
    /// The record with another id.
    func renamed(_ id: String) -> CRMDataSet.Record {
        CRMDataSet.Record(entity: entity, id: id, values: values, sets: sets)
    }
}
