import ArgumentParser
import FieldWork

/// `fieldsync order create|add-line|submit|confirm|deliver|cancel`
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: CLIHelp.order(),
        subcommands: [
            CreateOrderCommand.self, AddOrderLineCommand.self, SubmitOrderCommand.self, StatusStepCommand<ConfirmOrder>.self,
            StatusStepCommand<DeliverOrder>.self, StatusStepCommand<CancelOrder>.self,
        ]
    )
}

struct AddOrderLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-line",
        abstract: CLIHelp.addOrderLineAbstract(),
        discussion: CLIHelp.addOrderLineDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.orderArgument()))
    var order: String

    @OptionGroup var line: LinePricingOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).addOrderLine(order, try line.pricing())
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}
