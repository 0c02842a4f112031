import SyncCore

extension CRMRules {
    /// Checks a status move of an order, a quote or a contract between two stored values;
    /// entities without a status machine pass. The server runs it on every pushed change
    /// against its displayed status, so a device that skipped its rules is refused the same way.
    ///
    /// - Throws: `ValidationError` with code `.invalidTransition`.
    public static func checkStatusMove(of entity: String, from current: Value?, to proposed: Value?) throws(ValidationError) {
        switch entity {
        case CRMSchema.order.name: try OrderStatus.checkMove(from: current, to: proposed)
        case CRMSchema.quote.name: try QuoteStatus.checkMove(from: current, to: proposed)
        case CRMSchema.contract.name: try ContractStatus.checkMove(from: current, to: proposed)
        default: break
        }
    }

    /// The derived assignments of an order, quote or contract edit: the status move is
    /// checked, and a move to a new status stamps its day (`confirmed_on`, `sent_on`…) unless
    /// the edit gives it or the record has it.
    static func statusAssignments(
        of entity: String,
        current: [String: Value]?,
        proposed: [String: Value],
        now: String
    ) throws(ValidationError) -> [String: Value] {
        guard let target = proposed["status"] else { return [:] }
        let before = current?["status"]
        try checkStatusMove(of: entity, from: before, to: target)
        guard before != target, let day = dayField(of: entity, status: target), (current?[day] ?? .null) == .null else { return [:] }
        return [day: .string(String(now.prefix(10)))]
    }

    private static func dayField(of entity: String, status: Value) -> String? {
        guard let text = status.stringValue else { return nil }
        switch entity {
        case CRMSchema.order.name: return OrderStatus(rawValue: text)?.dayField
        case CRMSchema.quote.name: return QuoteStatus(rawValue: text)?.dayField
        case CRMSchema.contract.name: return ContractStatus(rawValue: text)?.dayField
        default: return nil
        }
    }

    /// The derived assignments of an invoice edit: `due_on` follows the invoice day and the
    /// payment terms whenever either changes, unless the edit gives it.
    static func invoiceAssignments(current: [String: Value]?, proposed: [String: Value]) -> [String: Value] {
        guard proposed["issued_on"] != nil || proposed["payment_terms"] != nil else { return [:] }
        let issued = (proposed["issued_on"] ?? current?["issued_on"])?.stringValue.flatMap(CalendarDay.init)
        let terms = (proposed["payment_terms"] ?? current?["payment_terms"])?.stringValue.flatMap(PaymentTerms.init(rawValue:))
        guard let issued, let terms else { return [:] }
        return ["due_on": .string(terms.dueDay(issuedOn: issued).description)]
    }

    /// The invariants of contracts, invoices and payments that involve a touched field: a
    /// contract ends on or after its start, an invoice is due on or after its day, an invoice
    /// and a payment are above zero.
    static func checkQuoteToCashInvariants(_ values: [String: Value], of entity: EntitySchema, touching touched: Set<String>) throws(ValidationError) {
        func day(_ field: String) -> CalendarDay? { values[field]?.stringValue.flatMap(CalendarDay.init) }
        func checkOrder(_ first: String, _ second: String) throws(ValidationError) {
            guard touched.contains(first) || touched.contains(second), let start = day(first), let end = day(second), end < start else { return }
            throw ValidationError(.invalidValue, .dateBeforeDate, ["second": second, "end": end, "first": first, "start": start])
        }
        switch entity.name {
        case CRMSchema.contract.name:
            try checkOrder("starts_on", "ends_on")
        case CRMSchema.invoice.name, CRMSchema.payment.name:
            if entity.name == CRMSchema.invoice.name { try checkOrder("issued_on", "due_on") }
            if touched.contains("amount"), let text = values["amount"]?.stringValue, let amount = Amount(text), amount <= .zero {
                throw ValidationError(.invalidValue, entity.name == CRMSchema.invoice.name ? .invoiceAmountNotPositive : .paymentAmountNotPositive, ["amount": text])
            }
        default:
            break
        }
    }
}
