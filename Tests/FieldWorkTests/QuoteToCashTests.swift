import CRM
import FieldWork
import SyncCore
import SyncStore
import Testing

/// Quotes from the price list to an accepted order, and the order's later steps, through the
/// library alone.
struct QuoteToCashTests {
    static let shanghaiMidnight = "2026-11-20T00:30+08:00"

    /// A draft quote QT-1 with two lines: 4 × 12.5 at 10 % off and 13 % tax, 2 × 30 without.
    static func quoteWithLines(_ fixture: FieldWorkFixture) throws -> RecordID {
        let quote = try fixture.work.createQuote(FieldWork.NewQuote(account: "华东机械", number: "QT-1", validUntil: CalendarDay("2026-12-31")))
        _ = try fixture.work.addQuoteLine("QT-1", FieldWork.LinePricing(product: "VALVE-20", quantity: 4, discountPercent: 10, taxRatePercent: 13))
        _ = try fixture.work.addQuoteLine("QT-1", FieldWork.LinePricing(product: "VALVE-20", quantity: 2, unitPrice: Amount(30)))
        return quote.recordID
    }

    @Test func aQuotesTotalIsDerivedFromItsLinesAndFrozenWhenSent() throws {
        let fixture = try FieldWorkFixture()
        let quote = try Self.quoteWithLines(fixture)
        let stored = try #require(try fixture.record("quote", quote))
        #expect(stored.value("status") == .string("draft"))
        #expect(stored.value("version") == .int(1))
        #expect(stored.value("owner") == .string("rep1"))
        #expect(stored.value("currency") == .string("CNY"), "taken from the first line's product")
        // Adding lines writes only the lines: a draft's total is derived, never stored.
        #expect(stored.value("total") == .null)
        let lines = try fixture.work.quoteLines(quote)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.value("account") == .string(fixture.account) })
        // 4 × 12.5 = 50, −10 % = 45, +13 % = 5.85; 2 × 30 = 60.
        let totals = try fixture.work.quoteTotals(quote)
        #expect(totals.net == Amount(105))
        #expect(totals.tax == Amount("5.85"))
        #expect(totals.gross == Amount("110.85"))

        let sent = try fixture.work.moveQuote("QT-1", .send, at: try FieldTime.parse(Self.shanghaiMidnight))
        #expect(sent.after?.value("status") == .string("sent"))
        #expect(sent.after?.value("total") == .string("110.85"))
        #expect(sent.after?.value("sent_on") == .string("2026-11-20"))
        #expect { try fixture.work.addQuoteLine(quote, FieldWork.LinePricing(product: "VALVE-20", quantity: 1)) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_transition"
        }
        #expect { try fixture.work.addQuoteLine(quote, FieldWork.LinePricing(product: "VALVE-20", quantity: 1, discountPercent: 150)) } throws: {
            FieldWorkFixture.code(of: $0) != nil
        }
    }

    @Test func acceptingAQuoteMakesOneOrderWithItsLinesInOneTransaction() throws {
        let fixture = try FieldWorkFixture()
        let quote = try Self.quoteWithLines(fixture)
        // A draft is sent before it is accepted.
        #expect { try fixture.work.acceptQuote(quote) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        #expect(try fixture.store.records("order", limit: Int.max).isEmpty)
        _ = try fixture.work.moveQuote(quote, .send)

        let edits = try fixture.work.acceptQuote(quote, number: "SO-9", at: try FieldTime.parse(Self.shanghaiMidnight))
        #expect(edits.map(\.entity) == ["order", "order_line", "order_line", "quote"])
        let orderEdit = try #require(edits.first("order"))
        let order = try #require(try fixture.record("order", orderEdit.recordID))
        #expect(order.value("status") == .string("submitted"))
        #expect(order.value("quote") == .string(quote))
        #expect(order.value("number") == .string("SO-9"))
        #expect(order.value("ordered_on") == .string("2026-11-20"))
        #expect(order.value("total") == .string("110.85"))
        let orderLines = try fixture.store.records("order_line", matching: [.equals("order", .string(order.id))], limit: Int.max)
        #expect(orderLines.count == 2)
        #expect(Set(orderLines.map { $0.value("discount_percent") }) == [.string("10"), .null])
        let accepted = try #require(try fixture.record("quote", quote))
        #expect(accepted.value("status") == .string("accepted"))
        #expect(accepted.value("order") == .string(order.id))
        #expect(accepted.value("decided_on") == .string("2026-11-20"))

        // The order's total recomputed from its lines at submit-time rules equals the quote's.
        #expect(try FieldWork.total(orderLines.compactMap { LinePrice($0.value) }) == "110.85")

        // Accepting again is idempotent: no edit, still one order.
        #expect(try fixture.work.acceptQuote(quote).isEmpty)
        #expect(try fixture.store.records("order", limit: Int.max).count == 1)
        // An accepted quote is final.
        #expect { try fixture.work.moveQuote(quote, .reject) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        #expect { try fixture.work.reviseQuote(quote) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
    }

    @Test func aRevisionIsANewVersionWithCopiedLinesAndTheOldOneSuperseded() throws {
        let fixture = try FieldWorkFixture()
        let first = try Self.quoteWithLines(fixture)
        _ = try fixture.work.moveQuote(first, .send)
        _ = try fixture.work.moveQuote(first, .reject)

        let edits = try fixture.work.reviseQuote("QT-1")
        #expect(edits.map(\.entity) == ["quote", "quote_line", "quote_line", "quote"])
        let revision = try #require(edits.first?.recordID)
        let second = try #require(try fixture.record("quote", revision))
        #expect(second.value("version") == .int(2))
        #expect(second.value("previous") == .string(first))
        #expect(second.value("status") == .string("draft"))
        #expect(second.value("number") == .string("QT-1"))
        #expect(try fixture.record("quote", first)?.value("status") == .string("superseded"))
        #expect(try fixture.work.quoteTotals(revision) == fixture.work.quoteTotals(first))

        // The number names the current version; the old one can no longer be accepted.
        #expect(try fixture.work.quote("QT-1").id == revision)
        _ = try fixture.work.addQuoteLine("QT-1", FieldWork.LinePricing(product: "VALVE-20", quantity: 1))
        #expect(try fixture.work.quoteLines(revision).count == 3)
        #expect(try fixture.work.quoteLines(first).count == 2)
        #expect { try fixture.work.acceptQuote(first) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
    }

    @Test func twoDevicesRevisingOneQuoteOfflineMakeOneNextVersion() throws {
        let phone = try FieldWorkFixture()
        let first = try Self.quoteWithLines(phone)
        _ = try phone.work.moveQuote(first, .send)
        _ = try phone.store.pendingChanges()
        let tablet = try FieldWorkFixture.replica(of: phone)

        // Offline, both hear the customer ask for changes and revise QT-1; each adds a line.
        let fromPhone = try phone.work.reviseQuote("QT-1"), fromTablet = try tablet.work.reviseQuote("QT-1")
        #expect(fromPhone.map(\.recordID) == fromTablet.map(\.recordID), "the same version 2 and the same copied lines on both")
        _ = try phone.work.addQuoteLine("QT-1", FieldWork.LinePricing(product: "VALVE-20", quantity: 1))
        _ = try tablet.work.addQuoteLine("QT-1", FieldWork.LinePricing(product: "VALVE-20", quantity: 5, unitPrice: Amount(11)))
        try FieldWorkFixture.exchange(phone, tablet)

        for device in [phone, tablet] {
            let current = try device.work.quote("QT-1")
            #expect(current.value("version") == .int(2))
            let versions = try device.store.records("quote", matching: [.equals("number", .string("QT-1"))], limit: 10)
            #expect(versions.count == 2, "one version 1 and one version 2")
            #expect(try device.work.quoteLines(current.id).count == 4, "two copied lines and one added on each device")
            #expect(try device.store.openConflicts().isEmpty, "identical copies do not conflict")
        }
        #expect(try phone.work.quoteTotals("QT-1") == tablet.work.quoteTotals("QT-1"))

        // Version 2 revised again, and accepted: the order's id is none of the quotes'.
        let third = try #require(try phone.work.reviseQuote("QT-1").first?.recordID)
        #expect(![first, fromPhone[0].recordID].contains(third))
        _ = try phone.work.moveQuote(third, .send)
        let order = try #require(try phone.work.acceptQuote(third).first { $0.entity == "order" }?.recordID)
        #expect(![first, fromPhone[0].recordID, third].contains(order))
    }

    @Test func anOrderIsConfirmedDeliveredOrCancelledOnlyAlongItsStatuses() throws {
        let fixture = try FieldWorkFixture()
        let order = try fixture.work.createOrder(FieldWork.NewOrder(account: fixture.account, number: "SO-1")).recordID
        #expect { try fixture.work.moveOrder(order, .confirm) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        _ = try fixture.work.addOrderLine(order, FieldWork.LinePricing(product: "VALVE-20", quantity: 2))
        _ = try fixture.work.submitOrder(order)

        let at = try FieldTime.parse(Self.shanghaiMidnight)
        let confirmed = try fixture.work.moveOrder("SO-1", .confirm, at: at)
        #expect(Set(confirmed.fields) == ["status", "confirmed_on"])
        #expect(confirmed.after?.value("confirmed_on") == .string("2026-11-20"), "the Shanghai day, not the UTC one")
        let delivered = try fixture.work.moveOrder(order, .deliver, at: at)
        #expect(delivered.after?.value("status") == .string("delivered"))
        #expect(delivered.after?.value("delivered_on") == .string("2026-11-20"))
        #expect { try fixture.work.moveOrder(order, .cancel, reason: "customer changed mind") } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_transition"
        }
        #expect(try fixture.record("order", order)?.value("status") == .string("delivered"))

        let other = try fixture.work.createOrder(FieldWork.NewOrder(account: fixture.account)).recordID
        let cancelled = try fixture.work.moveOrder(other, .cancel, reason: "duplicate")
        #expect(cancelled.after?.value("cancel_reason") == .string("duplicate"))
        #expect(cancelled.after?.value("cancelled_on") != .null)
    }
}
