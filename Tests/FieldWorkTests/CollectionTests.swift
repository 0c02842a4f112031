import CRM
import FieldWork
import SyncCore
import SyncStore
import Testing

/// Invoices, payments and contracts through the library alone.
struct CollectionTests {
    static let shanghaiMorning = "2026-11-20T00:30+08:00"
    /// Before the statements' day (2026-12-06): what is recorded here counts in them whatever
    /// day the tests run.
    static let decemberFirst = "2026-12-01T10:00+08:00"

    /// A confirmed order SO-1 of 4 × 12.5 = 50 on the fixture's account.
    static func confirmedOrder(_ fixture: FieldWorkFixture) throws -> RecordID {
        let order = try fixture.work.createOrder(FieldWork.NewOrder(account: fixture.account, number: "SO-1")).recordID
        _ = try fixture.work.addOrderLine(order, FieldWork.LinePricing(product: "VALVE-20", quantity: 4))
        _ = try fixture.work.submitOrder(order)
        _ = try fixture.work.moveOrder(order, .confirm)
        return order
    }

    @Test func anInvoiceIsDueAfterItsPaymentTermsAndPartialPaymentsAddUp() throws {
        let fixture = try FieldWorkFixture()
        let draft = try fixture.work.createOrder(FieldWork.NewOrder(account: fixture.account)).recordID
        #expect { try fixture.work.issueInvoice(FieldWork.NewInvoice(order: draft)) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        let order = try Self.confirmedOrder(fixture)

        let issued = try fixture.work.issueInvoice(FieldWork.NewInvoice(
            order: "SO-1", number: "INV-1", terms: .net15, at: try FieldTime.parse(Self.shanghaiMorning)
        ))
        let invoice = try #require(issued.after)
        #expect(invoice.value("amount") == .string("50"))
        #expect(invoice.value("issued_on") == .string("2026-11-20"), "the Shanghai day")
        #expect(invoice.value("due_on") == .string("2026-12-05"), "15 days later, derived by the rules")
        #expect(invoice.value("currency") == .string("CNY"))
        #expect(invoice.value("order") == .string(order))
        // One live invoice per order.
        #expect { try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order)) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }

        let first = try fixture.work.recordPayment(FieldWork.PaymentReceipt(
            invoice: "INV-1", amount: Amount(20), method: "wechat_pay", at: try FieldTime.parse(Self.decemberFirst)
        ))
        let second = try fixture.work.recordPayment(FieldWork.PaymentReceipt(invoice: "INV-1", amount: try #require(Amount("12.5")), at: try FieldTime.parse(Self.shanghaiMorning)))
        #expect(first.recordID != second.recordID, "each payment its own record")
        #expect(second.after?.value("received_on") == .string("2026-11-20"))
        #expect(try fixture.work.outstanding(of: invoice) == Amount("17.5"))
        #expect { try fixture.work.recordPayment(FieldWork.PaymentReceipt(invoice: "INV-1", amount: Amount(18))) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_value"
        }
        #expect { try fixture.work.recordPayment(FieldWork.PaymentReceipt(invoice: "INV-1", amount: .zero)) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_value"
        }

        // The account's terms are used when none are given.
        _ = try fixture.work.bench.apply(LocalEdit.update("account", id: fixture.account, [.set("payment_terms", .string("net_60"))]))
        let other = try fixture.work.createOrder(FieldWork.NewOrder(account: fixture.account)).recordID
        _ = try fixture.work.addOrderLine(other, FieldWork.LinePricing(product: "VALVE-20", quantity: 1))
        _ = try fixture.work.submitOrder(other)
        _ = try fixture.work.moveOrder(other, .confirm)
        let byAccount = try fixture.work.issueInvoice(FieldWork.NewInvoice(order: other, at: try FieldTime.parse(Self.shanghaiMorning)))
        #expect(byAccount.after?.value("payment_terms") == .string("net_60"))
        #expect(byAccount.after?.value("due_on") == .string("2027-01-19"))

        let statement = try fixture.work.statement(of: fixture.account, asOf: CalendarDay("2026-12-06"))
        #expect(statement.orders == 3, "the draft counts as an order, not as revenue")
        #expect(statement.revenue == ["CNY": Amount("62.5")])
        #expect(statement.outstanding == ["CNY": Amount(30)], "17.5 + 12.5")
        #expect(statement.overdue == ["CNY": Amount("17.5")], "INV-1 was due 2026-12-05")
    }

    @Test func anOrderIsInvoicedInPartsUpToItsTotal() throws {
        let fixture = try FieldWorkFixture()
        let order = try Self.confirmedOrder(fixture)
        let deposit = try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, number: "INV-D", amount: Amount(20)))
        #expect(deposit.after?.value("amount") == .string("20"))
        #expect { try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, amount: Amount(31))) } throws: { FieldWorkFixture.code(of: $0) == "invalid_value" }
        #expect { try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, amount: .zero)) } throws: { FieldWorkFixture.code(of: $0) == "invalid_value" }
        let rest = try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, number: "INV-R"))
        #expect(rest.after?.value("amount") == .string("30"), "what the deposit leaves of 50")
        #expect { try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, amount: Amount(1))) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        // Voiding the deposit frees its part again.
        _ = try fixture.work.voidInvoice("INV-D", reason: "金额错误")
        #expect(try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order)).after?.value("amount") == .string("20"))
    }

    @Test func anUnpaidInvoiceIsVoidedWithItsReasonAndTheOrderInvoicedAgain() throws {
        let fixture = try FieldWorkFixture()
        let order = try Self.confirmedOrder(fixture)
        let wrong = try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, number: "INV-9", terms: .net15))
        let voided = try fixture.work.voidInvoice("INV-9", reason: "抬头错误 wrong title", at: try FieldTime.parse(Self.shanghaiMorning))
        #expect(voided.recordID == wrong.recordID)
        #expect(voided.after?.value("status") == .string("void"))
        #expect(voided.after?.value("notes").stringValue?.contains("2026-11-20") == true, "the day it was voided, in Shanghai")
        #expect(voided.after?.value("notes").stringValue?.contains("抬头错误 wrong title") == true)
        #expect { try fixture.work.voidInvoice(wrong.recordID, reason: "again") } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        #expect { try fixture.work.recordPayment(FieldWork.PaymentReceipt(invoice: wrong.recordID, amount: Amount(1))) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_transition"
        }
        // The order has no live invoice now: it is invoiced again, and that one, once paid, stays.
        let right = try fixture.work.issueInvoice(FieldWork.NewInvoice(order: order, number: "INV-10", at: try FieldTime.parse(Self.shanghaiMorning)))
        _ = try fixture.work.recordPayment(FieldWork.PaymentReceipt(invoice: "INV-10", amount: Amount(5), at: try FieldTime.parse(Self.decemberFirst)))
        #expect { try fixture.work.voidInvoice(right.recordID, reason: "paid already") } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        #expect { try fixture.work.voidInvoice(right.recordID, reason: "  ") } throws: { FieldWorkFixture.code(of: $0) == "missing_required_field" }
        let statement = try fixture.work.statement(of: fixture.account, asOf: CalendarDay("2026-12-06"))
        #expect(statement.outstanding == ["CNY": Amount(45)], "the void invoice owes nothing")
    }

    @Test func aContractIsSignedRenewedAndLeavesTheRenewalList() throws {
        let fixture = try FieldWorkFixture()
        let order = try Self.confirmedOrder(fixture)
        let at = try FieldTime.parse(Self.shanghaiMorning)
        #expect {
            try fixture.work.createContract(FieldWork.NewContract(
                account: fixture.account, title: "backwards", startsOn: try #require(CalendarDay("2027-01-01")), endsOn: try #require(CalendarDay("2026-01-01"))
            ))
        } throws: { FieldWorkFixture.code(of: $0) == "invalid_value" }
        let created = try fixture.work.createContract(FieldWork.NewContract(
            account: "华东机械", title: "2026 阀门供货", startsOn: try #require(CalendarDay("2026-01-01")), endsOn: try #require(CalendarDay("2026-12-31")),
            order: "SO-1", value: Amount(50000), paymentTerms: .net30, terms: "季度交货", at: at
        ))
        let contract = created.recordID
        #expect(created.after?.value("status") == .string("draft"))
        #expect(created.after?.value("order") == .string(order))
        let signed = try fixture.work.moveContract(contract, to: .active, at: at)
        #expect(signed.after?.value("signed_on") == .string("2026-11-20"))

        let asOf = try #require(CalendarDay("2026-12-01"))
        #expect(try fixture.work.contractsDue(asOf: asOf).items.map(\.contract) == [contract], "30 days left, the default notice")
        #expect(try fixture.work.contractsDue(asOf: try #require(CalendarDay("2026-11-30"))).items.isEmpty)
        #expect(try fixture.work.contractsDue(asOf: try #require(CalendarDay("2026-11-30")), within: 31).items.count == 1)

        let renewed = try fixture.work.renewContract(contract, until: try #require(CalendarDay("2027-12-31")), at: at)
        #expect(renewed.map(\.entity) == ["contract", "contract"])
        let next = try #require(renewed.first?.after)
        #expect(next.value("starts_on") == .string("2027-01-01"))
        #expect(next.value("previous") == .string(contract))
        #expect(next.value("terms") == .string("季度交货"))
        #expect(next.value("value") == .string("50000"))
        #expect(renewed.last?.after?.value("renewed_by") == .string(next.id))
        #expect(try fixture.work.contractsDue(asOf: asOf).items.isEmpty)
        #expect { try fixture.work.renewContract(contract, until: try #require(CalendarDay("2028-12-31"))) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_transition"
        }
        _ = try fixture.work.moveContract(contract, to: .terminated)
        #expect { try fixture.work.moveContract(contract, to: .active) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
    }
}
