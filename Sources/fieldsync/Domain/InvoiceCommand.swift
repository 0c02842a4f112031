import ArgumentParser
import CRM
import FieldWork

/// `fieldsync invoice issue|pay|void`
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: CLIHelp.invoice(),
        discussion: CLIHelp.invoiceDiscussion(),
        subcommands: [IssueInvoiceCommand.self, PayInvoiceCommand.self, VoidInvoiceCommand.self]
    )
}

struct IssueInvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: CLIHelp.issueInvoiceAbstract(),
        discussion: CLIHelp.issueInvoiceDiscussion(["terms": CLIHelp.paymentTermsList])
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.orderArgument()))
    var order: String

    @Option(help: ArgumentHelp(CLIHelp.issueInvoiceNumber()))
    var number: String?

    @Option(help: ArgumentHelp(CLIHelp.paymentTerms(["terms": CLIHelp.paymentTermsList]), valueName: "terms"))
    var terms: String?

    @Option(help: ArgumentHelp(CLIHelp.issueInvoiceAt(), valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp(CLIHelp.issueInvoiceAmount()))
    var amount: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let terms, PaymentTerms(rawValue: terms) == nil {
            throw ValidationError(UsageText.termsChoices(["option": "--terms", "choices": PaymentTerms.allCases.map(\.rawValue).joined(separator: ", "), "value": terms]))
        }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let part = try WorkflowArguments.amount(amount, field: "amount")
            let new = FieldWork.NewInvoice(
                order: order, number: number, terms: terms.flatMap(PaymentTerms.init(rawValue:)), at: try WorkflowArguments.time(at), amount: part
            )
            try bench.report(try FieldWork(bench: bench).issueInvoice(new), verb: .created, json: output.json)
        }
    }
}

struct PayInvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: CLIHelp.payInvoiceAbstract(),
        discussion: CLIHelp.payInvoiceDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.invoiceArgument()))
    var invoice: String

    @Option(help: ArgumentHelp(CLIHelp.payInvoiceAmount()))
    var amount: String

    @Option(help: ArgumentHelp(CLIHelp.payInvoiceMethod()))
    var method: String?

    @Option(help: ArgumentHelp(CLIHelp.payInvoiceReference()))
    var reference: String?

    @Option(help: ArgumentHelp(CLIHelp.payInvoiceAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            guard let paid = try WorkflowArguments.amount(amount, field: "amount") else { return }
            let receipt = FieldWork.PaymentReceipt(invoice: invoice, amount: paid, method: method, reference: reference, at: try WorkflowArguments.time(at))
            try bench.report(try FieldWork(bench: bench).recordPayment(receipt), verb: .created, json: output.json)
        }
    }
}

struct VoidInvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void",
        abstract: CLIHelp.voidInvoiceAbstract(),
        discussion: CLIHelp.voidInvoiceDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.invoiceArgument()))
    var invoice: String

    @Option(help: ArgumentHelp(CLIHelp.voidInvoiceReason()))
    var reason: String

    @Option(help: ArgumentHelp(CLIHelp.voidInvoiceAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).voidInvoice(invoice, reason: reason, at: try WorkflowArguments.time(at)), verb: .updated, json: output.json)
        }
    }
}
