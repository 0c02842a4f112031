import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// The order statuses that still take new lines.
    public static let editableOrderStatuses: Set<Value> = [.string("draft")]

    /// A new line on a draft order, priced from the product list unless a price is given, with
    /// its discount and tax rate, and the order's total recomputed over all its lines: two edits
    /// in one transaction, the line's and the order's.
    public func addOrderLine(_ orderID: String, _ pricing: LinePricing) throws -> [AppliedEdit] {
        let orderSchema = try bench.entity("order")
        let lineSchema = try bench.entity("order_line")
        let order = try bench.liveRecord(orderSchema, orderID)
        guard Self.editableOrderStatuses.contains(order.value("status")) else {
            throw SyncCore.ValidationError(.invalidValue, .orderNotDraftForLines, ["order": RecordLabel.of(order, schema: bench.schema), "status": order.value("status")])
        }
        let line = try newLine(of: order, in: lineSchema, pricing)
        let lines = try bench.store.records(lineSchema.name, matching: [.equals("order", .string(order.id))], limit: Int.max)
        let total = try Self.total(lines.compactMap { LinePrice($0.value) } + [line.price].compactMap { $0 })
        var orderUpdate: [LocalOperation] = [.set("total", .string(total))]
        if order.value("currency") == .null, let currency = line.currency {
            orderUpdate.append(.set("currency", currency))
        }
        return try bench.apply([.create(lineSchema.name, line.operations), .update(orderSchema.name, id: order.id, orderUpdate)])
    }

    /// What a rep gives for a new quote or order line.
    public struct LinePricing: Sendable {
        /// The product's sku, or its id or a unique id prefix.
        public var product: String
        public var quantity: Int64
        /// The unit price (default: the product's list price).
        public var unitPrice: Amount?
        /// Percent off, 0–100.
        public var discountPercent: Amount?
        /// Tax percent on the net amount, 0–100.
        public var taxRatePercent: Amount?

        public init(product: String, quantity: Int64, unitPrice: Amount? = nil, discountPercent: Amount? = nil, taxRatePercent: Amount? = nil) {
            self.product = product
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.discountPercent = discountPercent
            self.taxRatePercent = taxRatePercent
        }
    }

    /// The operations that create a line of `document` (an order or a quote) from the price
    /// list, its price, and the product's currency when the list price was used.
    func newLine(of document: RecordSnapshot, in lineSchema: EntitySchema, _ pricing: LinePricing) throws
        -> (operations: [LocalOperation], price: LinePrice?, currency: Value?)
    {
        guard let account = document.value("account").stringValue else {
            throw SyncCore.ValidationError(.missingRequiredField, .documentWithoutAccount, ["entity": document.entity, "id": document.id])
        }
        let product = try self.product(pricing.product)
        if product.value("active") == .bool(false) {
            throw SyncCore.ValidationError(.invalidValue, .productInactive, ["sku": product.value("sku")])
        }
        let editor = bench.editor(lineSchema, current: nil)
        let price: Value
        if let unitPrice = pricing.unitPrice {
            price = try editor.value(of: try editor.field("unit_price"), unitPrice.description)
        } else {
            guard product.value("unit_price") != .null else {
                throw SyncCore.ValidationError(.missingRequiredField, .productWithoutPrice, ["sku": product.value("sku")])
            }
            let documentCurrency = document.value("currency"), productCurrency = product.value("currency")
            if documentCurrency != .null && productCurrency != .null && documentCurrency != productCurrency {
                throw SyncCore.ValidationError(
                    .invalidValue,
                    .productOtherCurrency, ["sku": product.value("sku"), "productCurrency": productCurrency, "entity": document.entity, "documentCurrency": documentCurrency]
                )
            }
            price = product.value("unit_price")
        }
        var operations: [LocalOperation] = [
            .set(document.entity, .string(document.id)), .set("account", .string(account)), .set("product", .string(product.id)),
            .set("quantity", .int(pricing.quantity)), .set("unit_price", price),
        ]
        for field in ["sku", "name"] where product.value(field) != .null {
            operations.append(.set(field == "name" ? "description" : field, product.value(field)))
        }
        for (field, percent) in [("discount_percent", pricing.discountPercent), ("tax_rate_percent", pricing.taxRatePercent)] {
            if let percent { operations.append(.set(field, try editor.value(of: try editor.field(field), percent.description))) }
        }
        var values: [String: Value] = [:]
        for case .set(let field, let value) in operations { values[field] = value }
        let currency = pricing.unitPrice == nil && product.value("currency") != .null ? product.value("currency") : nil
        return (operations, LinePrice { values[$0] ?? .null }, currency)
    }

    /// A product by exact sku, or by id or id prefix.
    private func product(_ text: String) throws -> RecordSnapshot {
        let productSchema = try bench.entity("product")
        if let bySKU = try bench.store.records(productSchema.name, matching: [.equals("sku", .string(text))], limit: 1).first {
            return bySKU
        }
        do {
            return try bench.liveRecord(productSchema, text)
        } catch let error as StoreError where error.code == "record_not_found" || error.code == "invalid_record_id" {
            throw StoreError(code: "record_not_found", .noProductNamed, ["text": text])
        }
    }

    /// Why the lines of an order or quote cannot be sent on (an order submitted, a quote sent
    /// or accepted): a conflict on a quantity or price, a missing or bad one, a line of another
    /// account; empty when they can.
    func lineProblems(_ lines: [RecordSnapshot], of document: RecordSnapshot) -> [Refusal] {
        var problems: [Refusal] = []
        for line in lines {
            let name = line.value("sku").stringValue ?? line.value("description").stringValue ?? String(line.id.prefix(8))
            for field in ["quantity", "unit_price", "discount_percent", "tax_rate_percent"] where line.conflicts[field] != nil {
                let values = line.conflicts[field]?.map { $0.value.description }.joined(separator: " vs ") ?? ""
                problems.append(Refusal(.lineFieldConflict, ["line": name, "field": field, "values": values]))
            }
            if let quantity = line.value("quantity").intValue {
                if quantity < 1 { problems.append(Refusal(.lineQuantityNotPositive, ["line": name, "quantity": quantity])) }
            } else {
                problems.append(Refusal(.lineWithoutQuantity, ["line": name]))
            }
            if let price = line.value("unit_price").stringValue.flatMap(Amount.init) {
                if price < .zero { problems.append(Refusal(.lineNegativePrice, ["line": name, "price": price])) }
            } else {
                problems.append(Refusal(.lineWithoutPrice, ["line": name]))
            }
            if line.value("account") != document.value("account") {
                problems.append(Refusal(.lineOfAnotherAccount, ["line": name, "entity": document.entity]))
            }
        }
        return problems
    }

    /// The sum of the lines' gross amounts (`LinePrice`), in canonical decimal text.
    public static func total(_ lines: [LinePrice]) throws -> String {
        let text = DocumentTotals(lines).gross.description
        guard let canonical = Decimals.canonical(text) else {
            throw SyncCore.ValidationError(.invalidValue, .totalNotDecimal, ["text": text])
        }
        return canonical
    }
}
