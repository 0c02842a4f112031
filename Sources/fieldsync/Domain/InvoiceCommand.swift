import ArgumentParser
import CRM
import FieldWork

/// `fieldsync invoice issue|pay|void`
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: CLIHelp.invoice(),
        discussion: "What is still owed is the invoice amount less its payments; `fieldsync report receivables` ages it by days past due.",
        subcommands: [IssueInvoiceCommand.self, PayInvoiceCommand.self, VoidInvoiceCommand.self]
    )
}

struct IssueInvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Invoice a confirmed or delivered order: fieldsync invoice issue SO-2026-0142 --terms net_30",
        discussion: "The amount is the order's total from its lines; the due day is the invoice day plus the payment terms' days (付款条件: \(PaymentTerms.allCases.map(\.rawValue).joined(separator: ", ")); default the account's payment_terms, else net_30). An order may be invoiced in parts (--amount); its live invoices add up to at most its total."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The order: an id, a unique prefix or its number.")
    var order: String

    @Option(help: "The invoice number (e.g. INV-2026-0088).")
    var number: String?

    @Option(help: ArgumentHelp("The payment terms: \(PaymentTerms.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "terms"))
    var terms: String?

    @Option(help: ArgumentHelp("When it was issued (issued_on is its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @Option(help: "Invoice a part of the order (a deposit, one delivery); default: all its invoices do not cover yet.")
    var amount: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let terms, PaymentTerms(rawValue: terms) == nil {
            throw ValidationError("--terms is one of \(PaymentTerms.allCases.map(\.rawValue).joined(separator: ", ")), not '\(terms)'")
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
        abstract: "Record a payment received against an invoice: fieldsync invoice pay INV-2026-0088 --amount 5000",
        discussion: "Each payment is a record of its own: partial payments recorded on several devices offline all count once synced. A payment above what this device knows is still owed is refused."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The invoice: an id, a unique prefix or its number.")
    var invoice: String

    @Option(help: "The amount received.")
    var amount: String

    @Option(help: "bank_transfer, cash, cheque, card, wechat_pay or alipay.")
    var method: String?

    @Option(help: "The bank or receipt reference.")
    var reference: String?

    @Option(help: ArgumentHelp("When it was received (received_on is its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
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
        abstract: "Void an unpaid invoice (作废): fieldsync invoice void INV-2026-0088 --reason \"抬头错误\"",
        discussion: "The invoice owes nothing afterwards and its order can be invoiced again. An invoice with payments is not voided."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The invoice: an id, a unique prefix or its number.")
    var invoice: String

    @Option(help: "Why it is voided (kept in its notes).")
    var reason: String

    @Option(help: ArgumentHelp("When it was voided: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).voidInvoice(invoice, reason: reason, at: try WorkflowArguments.time(at)), verb: .updated, json: output.json)
        }
    }
}
