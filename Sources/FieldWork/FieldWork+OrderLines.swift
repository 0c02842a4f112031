import CRM
import Foundation
import SyncCore
import SyncStore

extension FieldWork {
    /// The order statuses that still take new lines.
    public static let editableOrderStatuses: Set<Value> = [.string("draft")]

    /// A new line on a draft order, priced from the product list unless a price is given, and
    /// the order's total recomputed over all its lines: two edits in one transaction, the line's
    /// and the order's. `product` is a sku, an id or a unique id prefix.
    public func addOrderLine(_ orderID: String, product productText: String, quantity: Int64, unitPrice: Amount? = nil) throws -> [AppliedEdit] {
        let orderSchema = try bench.entity("order")
        let lineSchema = try bench.entity("order_line")
        let order = try bench.liveRecord(orderSchema, orderID)
        guard Self.editableOrderStatuses.contains(order.value("status")) else {
            throw SyncCore.ValidationError(.invalidValue, "order \(RecordLabel.of(order, schema: bench.schema)) is \(order.value("status")); only a draft order takes new lines")
        }
        guard let account = order.value("account").stringValue else {
            throw SyncCore.ValidationError(.missingRequiredField, "order \(order.id) has no account")
        }
        let product = try self.product(productText)
        if product.value("active") == .bool(false) {
            throw SyncCore.ValidationError(.invalidValue, "product \(product.value("sku")) is inactive and cannot be ordered")
        }
        let lineEditor = bench.editor(lineSchema, current: nil)
        let price: Value
        if let unitPrice {
            price = try lineEditor.value(of: try lineEditor.field("unit_price"), unitPrice.description)
        } else {
            guard product.value("unit_price") != .null else {
                throw SyncCore.ValidationError(.missingRequiredField, "product \(product.value("sku")) has no list price; give --unit-price")
            }
            let orderCurrency = order.value("currency"), productCurrency = product.value("currency")
            if orderCurrency != .null && productCurrency != .null && orderCurrency != productCurrency {
                throw SyncCore.ValidationError(.invalidValue, "product \(product.value("sku")) is priced in \(productCurrency), the order in \(orderCurrency); give --unit-price in \(orderCurrency)")
            }
            price = product.value("unit_price")
        }
        var line: [LocalOperation] = [
            .set("order", .string(order.id)), .set("account", .string(account)), .set("product", .string(product.id)),
            .set("quantity", .int(quantity)), .set("unit_price", price),
        ]
        for field in ["sku", "name"] where product.value(field) != .null {
            line.append(.set(field == "name" ? "description" : field, product.value(field)))
        }
        let lines = try bench.store.records(lineSchema.name, matching: [.equals("order", .string(order.id))])
        let total = try Self.total(lines.map { ($0.value("quantity"), $0.value("unit_price")) } + [(.int(quantity), price)])
        var orderUpdate: [LocalOperation] = [.set("total", .string(total))]
        if order.value("currency") == .null && unitPrice == nil && product.value("currency") != .null {
            orderUpdate.append(.set("currency", product.value("currency")))
        }
        return try bench.apply([.create(lineSchema.name, line), .update(orderSchema.name, id: order.id, orderUpdate)])
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
            throw StoreError(code: "record_not_found", message: "no product with sku or id '\(text)' (see `fieldsync list product`)")
        }
    }

    /// Σ quantity × unit price, in canonical decimal text.
    public static func total(_ lines: [(quantity: Value, unitPrice: Value)]) throws -> String {
        var sum = Decimal(0)
        for line in lines {
            guard let quantity = line.quantity.intValue, let text = line.unitPrice.stringValue, let price = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                continue  // A line without a usable quantity or price adds nothing.
            }
            sum += Decimal(quantity) * price
        }
        let text = NSDecimalNumber(decimal: sum).stringValue
        guard let canonical = Decimals.canonical(text) else {
            throw SyncCore.ValidationError(.invalidValue, "the order total \(text) is not a decimal the schema takes")
        }
        return canonical
    }
}
