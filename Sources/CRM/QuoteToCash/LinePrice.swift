import Foundation
import SyncCore

/// The price of one quote or order line: quantity × unit price, less a discount, plus tax.
///
/// Totals of a quote or an order are derived from their lines with this one function, never
/// merged: a line is its own record, so two devices adding lines offline both keep theirs and
/// the total is the same on every replica that holds the same lines. Money is rounded half away
/// from zero to cents once per line (the net after discount, then the tax on it), as an
/// invoice prints it.
public struct LinePrice: Hashable, Sendable {
    public var quantity: Int64
    public var unitPrice: Amount
    /// Percent off the list amount, 0–100.
    public var discountPercent: Amount
    /// Tax percent added to the net amount (增值税 13 % is `13`).
    public var taxRatePercent: Amount

    public init(quantity: Int64, unitPrice: Amount, discountPercent: Amount = .zero, taxRatePercent: Amount = .zero) {
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discountPercent = discountPercent
        self.taxRatePercent = taxRatePercent
    }

    /// A line's price from its stored fields (`quantity`, `unit_price`, `discount_percent`,
    /// `tax_rate_percent`); nil without a usable quantity or unit price.
    public init?(_ value: (String) -> Value) {
        guard let quantity = value("quantity").intValue, let unitPrice = value("unit_price").stringValue.flatMap(Amount.init) else {
            return nil
        }
        self.init(
            quantity: quantity, unitPrice: unitPrice,
            discountPercent: value("discount_percent").stringValue.flatMap(Amount.init) ?? .zero,
            taxRatePercent: value("tax_rate_percent").stringValue.flatMap(Amount.init) ?? .zero
        )
    }

    /// Quantity × unit price less the discount, rounded to cents.
    public var net: Amount {
        (Amount(Decimal(quantity)) * unitPrice * Amount((100 - discountPercent.decimal) / 100)).rounded()
    }

    /// The tax on the net amount, rounded to cents.
    public var tax: Amount { (net * Amount(taxRatePercent.decimal / 100)).rounded() }

    /// Net plus tax: what the customer pays for the line.
    public var gross: Amount { net + tax }
}

/// The totals of a quote or an order, summed from its lines' `LinePrice`s.
public struct DocumentTotals: Hashable, Sendable {
    public var net: Amount
    public var tax: Amount
    public var gross: Amount { net + tax }

    public init(_ lines: [LinePrice]) {
        net = lines.map(\.net).sum()
        tax = lines.map(\.tax).sum()
    }
}
