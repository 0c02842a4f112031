import ArgumentParser
import FieldWork

/// `fieldsync order create --account A`
struct CreateOrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Start a draft order for an account: fieldsync order create --account 3f2a --opportunity 9c1e",
        discussion: "Then add lines with `order add-line` and send it with `order submit`."
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Option(help: "The opportunity the order closes (must belong to the account).")
    var opportunity: String?

    @Option(help: "The order number (e.g. SO-2026-0142).")
    var number: String?

    @Option(help: "The currency (default: the opportunity's).")
    var currency: String?

    @Option(help: "Notes.")
    var notes: String?

    @Option(help: ArgumentHelp("When the customer ordered (sets ordered_on to its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let new = FieldWork.NewOrder(
                account: account, opportunity: opportunity, number: number, currency: currency, notes: notes, at: try WorkflowArguments.time(at)
            )
            try bench.report(try FieldWork(bench: bench).createOrder(new), verb: .created, json: output.json)
        }
    }
}

/// `fieldsync order submit ORDER`
struct SubmitOrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a draft order: its lines are checked, the total recomputed from them, the status set to submitted.",
        discussion: "Refused when the order has no lines, a line has no quantity or price, or two people changed a line's quantity or price concurrently (resolve that conflict first)."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The order: an id, a unique prefix or its number.")
    var order: String

    @Option(help: ArgumentHelp("When it was submitted (ordered_on is its day unless the order has one): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).submitOrder(order, at: try WorkflowArguments.time(at))
            try bench.report(applied, verb: .submitted, json: output.json)
        }
    }
}
