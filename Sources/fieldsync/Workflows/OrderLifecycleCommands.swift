import ArgumentParser
import FieldWork

/// `fieldsync order create --account A`
struct CreateOrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: CLIHelp.createOrderAbstract(),
        discussion: CLIHelp.createOrderDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.createOrderOpportunity()))
    var opportunity: String?

    @Option(help: ArgumentHelp(CLIHelp.createOrderNumber()))
    var number: String?

    @Option(help: ArgumentHelp(CLIHelp.createOrderCurrency()))
    var currency: String?

    @Option(help: ArgumentHelp(CLIHelp.notes()))
    var notes: String?

    @Option(help: ArgumentHelp(CLIHelp.createOrderAt(), valueName: "time"))
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
        abstract: CLIHelp.submitOrderAbstract(),
        discussion: CLIHelp.submitOrderDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.orderArgument()))
    var order: String

    @Option(help: ArgumentHelp(CLIHelp.submitOrderAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).submitOrder(order, at: try WorkflowArguments.time(at))
            try bench.report(applied, verb: .submitted, json: output.json)
        }
    }
}
