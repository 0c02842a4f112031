import ArgumentParser
import FieldWork

/// The options of a new quote or order line: `--product SKU --quantity N [--unit-price X]
/// [--discount PCT] [--tax PCT]`.
struct LinePricingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(CLIHelp.lineProduct()))
    var product: String

    @Option(help: ArgumentHelp(CLIHelp.lineQuantity()))
    var quantity: Int64

    @Option(name: .customLong("unit-price"), help: ArgumentHelp(CLIHelp.lineUnitPrice()))
    var unitPrice: String?

    @Option(help: ArgumentHelp(CLIHelp.lineDiscount()))
    var discount: String?

    @Option(help: ArgumentHelp(CLIHelp.lineTax()))
    var tax: String?

    func validate() throws {
        if quantity < 1 { throw ValidationError(UsageText.quantityAtLeastOne()) }
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
