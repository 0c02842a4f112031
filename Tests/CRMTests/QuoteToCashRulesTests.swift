import CRM
import SyncCore
import Testing

@Suite("Quote to cash: line prices and the order and quote status machines")
struct QuoteToCashRulesTests {
    static let now = "2026-11-23T09:30:00Z"
    static let account = "0192f0c4-0000-7000-8000-000000000001"

    @Test("a line's net is quantity × price less the discount, its tax is on the net, each rounded to cents")
    func linePrice() throws {
        let line = LinePrice(quantity: 3, unitPrice: try #require(Amount("99.5")), discountPercent: 10, taxRatePercent: 13)
        // 3 × 99.5 = 298.5; less 10 % = 268.65; 13 % tax = 34.9245 → 34.92.
        #expect(line.net == Amount("268.65"))
        #expect(line.tax == Amount("34.92"))
        #expect(line.gross == Amount("303.57"))
        let plain = LinePrice(quantity: 4, unitPrice: try #require(Amount("12.5")))
        #expect(plain.gross == Amount(50))
        let totals = DocumentTotals([line, plain])
        #expect(totals.net == Amount("318.65"))
        #expect(totals.tax == Amount("34.92"))
        #expect(totals.gross == Amount("353.57"))
    }

    @Test("a line read from its fields takes the discount and tax when present, and nothing without a quantity or price")
    func linePriceFromFields() {
        let fields: [String: Value] = ["quantity": .int(2), "unit_price": .string("10"), "discount_percent": .string("50")]
        #expect(LinePrice { fields[$0] ?? .null }?.gross == Amount(10))
        #expect(LinePrice { ["quantity": Value.int(2)][$0] ?? .null } == nil)
    }

    static let orderTransitions: [(OrderStatus, [OrderStatus])] = [
        (.draft, [.submitted, .cancelled]), (.submitted, [.confirmed, .cancelled]), (.confirmed, [.delivered, .cancelled]),
        (.delivered, []), (.cancelled, []),
    ]

    @Test("an order moves only draft → submitted → confirmed → delivered, or to cancelled before delivery", arguments: orderTransitions)
    func orderMoves(from: OrderStatus, allowed: [OrderStatus]) {
        for target in OrderStatus.allCases where target != from {
            do throws(ValidationError) {
                try CRMRules.checkStatusMove(of: "order", from: .string(from.rawValue), to: .string(target.rawValue))
                #expect(allowed.contains(target), "\(from) → \(target) should be refused")
            } catch {
                #expect(!allowed.contains(target), "\(from) → \(target) should be allowed")
                #expect(error.code == .invalidTransition)
            }
        }
    }

    @Test("a quote is accepted, rejected or expired only once sent; accepted and superseded are final")
    func quoteMoves() {
        let allowed: [QuoteStatus: Set<QuoteStatus>] = [
            .draft: [.sent, .superseded], .sent: [.accepted, .rejected, .expired, .superseded], .rejected: [.superseded],
            .expired: [.superseded], .accepted: [], .superseded: [],
        ]
        for from in QuoteStatus.allCases {
            for target in QuoteStatus.allCases where target != from {
                #expect(from.canMove(to: target) == allowed[from]?.contains(target), "\(from) → \(target)")
            }
        }
        let error = #expect(throws: ValidationError.self) { try QuoteStatus.accepted.checkMove(to: .sent) }
        #expect(error?.code == .invalidTransition)
        #expect(error?.message == "cannot move quote from accepted to sent; accepted is final")
    }

    @Test("confirming an order stamps confirmed_on with the edit's day; a delivered order cannot be cancelled")
    func orderRule() throws {
        let submitted: [String: Value] = ["account": .string(Self.account), "status": .string("submitted")]
        let confirmed = try CRMRules.assignments(for: CRMSchema.order, current: submitted, proposed: ["status": .string("confirmed")], now: Self.now)
        #expect(confirmed == ["status": .string("confirmed"), "confirmed_on": .string("2026-11-23")])
        // A day the workflow gives (the rep's local day) is kept.
        let given = try CRMRules.assignments(
            for: CRMSchema.order, current: submitted, proposed: ["status": .string("confirmed"), "confirmed_on": .string("2026-11-24")], now: Self.now
        )
        #expect(given["confirmed_on"] == .string("2026-11-24"))
        let delivered: [String: Value] = ["account": .string(Self.account), "status": .string("delivered")]
        let error = #expect(throws: ValidationError.self) {
            try CRMRules.assignments(for: CRMSchema.order, current: delivered, proposed: ["status": .string("cancelled")], now: Self.now)
        }
        #expect(error?.code == .invalidTransition)
        // An edit that leaves the status alone is not a move.
        #expect(try CRMRules.assignments(for: CRMSchema.order, current: delivered, proposed: ["notes": .string("ok")], now: Self.now) == ["notes": .string("ok")])
    }

    @Test("a line's discount and tax rate are percents from 0 to 100", arguments: ["discount_percent", "tax_rate_percent"])
    func percents(field: String) throws {
        let line: [String: Value] = [
            "quote": .string(Self.account), "account": .string(Self.account), "quantity": .int(1), "unit_price": .string("5"),
        ]
        let error = #expect(throws: ValidationError.self) {
            try CRMRules.assignments(for: CRMSchema.quoteLine, current: line, proposed: [field: .string("120")], now: Self.now)
        }
        #expect(error?.code == .invalidValue)
        #expect(try CRMRules.assignments(for: CRMSchema.quoteLine, current: line, proposed: [field: .string("13")], now: Self.now) == [field: .string("13")])
    }
}
