import ArgumentParser
import FieldWork

/// The options of a new quote or order line: `--product SKU --quantity N [--unit-price X]
/// [--discount PCT] [--tax PCT]`.
struct LinePricingOptions: ParsableArguments {
    @Option(help: "The product's sku, or its id or a unique prefix.")
    var product: String

    @Option(help: "How many.")
    var quantity: Int64

    @Option(name: .customLong("unit-price"), help: "The unit price (default: the product's list price).")
    var unitPrice: String?

    @Option(help: "Percent off the line, 0–100.")
    var discount: String?

    @Option(help: "Tax percent on the net amount, 0–100 (e.g. 13).")
    var tax: String?

    func validate() throws {
        if quantity < 1 { throw ValidationError("--quantity must be at least 1") }
    }

    /// The line as the library takes it; refused amounts carry the schema's codes.
    func pricing() throws -> FieldWork.LinePricing {
        FieldWork.LinePricing(
            product: product, quantity: quantity, unitPrice: try WorkflowArguments.amount(unitPrice, field: "unit_price"),
            discountPercent: try WorkflowArguments.amount(discount, field: "discount_percent"),
            taxRatePercent: try WorkflowArguments.amount(tax, field: "tax_rate_percent")
        )
    }
}
