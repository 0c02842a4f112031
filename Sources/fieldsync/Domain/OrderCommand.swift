import ArgumentParser
import FieldWork

/// `fieldsync order create|add-line|submit`
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Take orders: create a draft, add lines, submit it.",
        subcommands: [CreateOrderCommand.self, AddOrderLineCommand.self, SubmitOrderCommand.self]
    )
}

struct AddOrderLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-line",
        abstract: "Add a line to a draft order and update its total.",
        discussion: "The unit price comes from the product list unless --unit-price is given; the line and the new order total are written in one transaction."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The order: an id, a unique prefix or its number.")
    var order: String

    @Option(help: "The product's sku, or its id or a unique prefix.")
    var product: String

    @Option(help: "How many.")
    var quantity: Int64

    @Option(name: .customLong("unit-price"), help: "The unit price (default: the product's list price).")
    var unitPrice: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if quantity < 1 { throw ValidationError("--quantity must be at least 1") }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let price = try WorkflowArguments.amount(unitPrice, field: "unit_price")
            let applied = try FieldWork(bench: bench).addOrderLine(order, product: product, quantity: quantity, unitPrice: price)
            try bench.report(applied, verb: "updated", json: output.json)
        }
    }
}
