import ArgumentParser
import CRM
import FieldWork
import SyncCore

/// `fieldsync quote create|add-line|total|send|reject|expire|revise|accept`
struct QuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: CLIHelp.quote(),
        discussion: CLIHelp.quoteDiscussion(),
        subcommands: [
            CreateQuoteCommand.self, AddQuoteLineCommand.self, QuoteTotalCommand.self, StatusStepCommand<Send>.self,
            StatusStepCommand<Reject>.self, StatusStepCommand<Expire>.self, ReviseQuoteCommand.self, AcceptQuoteCommand.self,
        ]
    )

    /// One status move of a quote besides accepting and revising it.
    protocol Step: StatusStep {
        static var action: FieldWork.QuoteAction { get }
    }

    enum Send: Step {
        static let action = FieldWork.QuoteAction.send
        static let abstract = CLIHelp.quoteSendAbstract()
    }

    enum Reject: Step {
        static let action = FieldWork.QuoteAction.reject
        static let abstract = CLIHelp.quoteRejectAbstract()
    }

    enum Expire: Step {
        static let action = FieldWork.QuoteAction.expire
        static let abstract = CLIHelp.quoteExpireAbstract()
    }
}

extension QuoteCommand.Step {
    static var commandName: String { action.rawValue }
    static var discussion: String { CLIHelp.quoteStepDiscussion() }
    static var recordHelp: String { CLIHelp.quoteArgument() }

    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit {
        try work.moveQuote(record, action, at: at)
    }
}

struct CreateQuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: CLIHelp.createQuoteAbstract(),
        discussion: CLIHelp.createQuoteDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.createQuoteOpportunity()))
    var opportunity: String?

    @Option(help: ArgumentHelp(CLIHelp.createQuoteNumber()))
    var number: String?

    @Option(help: ArgumentHelp(CLIHelp.createQuoteCurrency()))
    var currency: String?

    @Option(name: .customLong("valid-until"), help: ArgumentHelp(CLIHelp.createQuoteValidUntil()))
    var validUntil: String?

    @Option(help: ArgumentHelp(CLIHelp.notes()))
    var notes: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let new = FieldWork.NewQuote(
                account: account, opportunity: opportunity, number: number, currency: currency, validUntil: try WorkflowArguments.day(validUntil),
                notes: notes
            )
            try bench.report(try FieldWork(bench: bench).createQuote(new), verb: .created, json: output.json)
        }
    }
}

struct AddQuoteLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-line",
        abstract: CLIHelp.addQuoteLineAbstract(),
        discussion: CLIHelp.addQuoteLineDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.quoteArgument()))
    var quote: String

    @OptionGroup var line: LinePricingOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).addQuoteLine(quote, try line.pricing()), verb: .updated, json: output.json)
        }
    }
}

struct QuoteTotalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "total",
        abstract: CLIHelp.quoteTotalAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.quoteArgument()))
    var quote: String

    @OptionGroup var output: OutputOptions

    struct Totals: Encodable {
        var quote: String
        var lines: Int
        var net: String
        var tax: String
        var gross: String
    }

    func run() throws {
        try Workbench.read(device) { bench in
            let work = FieldWork(bench: bench)
            let record = try work.quote(quote)
            let lines = try work.quoteLines(record.id)
            let totals = DocumentTotals(lines.compactMap { LinePrice($0.value) })
            let result = Totals(
                quote: record.id, lines: lines.count, net: totals.net.formatted(), tax: totals.tax.formatted(), gross: totals.gross.formatted()
            )
            if output.json { return try JSONOutput.print(result) }
            print(CLIString.quoteLines(["label": RecordLabel.of(record, schema: bench.schema), "version": record.value("version").intValue ?? 1, "n": lines.count]))
            print(CLIString.quoteTotals(["net": ReportFormat.grouped(result.net), "tax": ReportFormat.grouped(result.tax), "total": ReportFormat.grouped(result.gross)]))
        }
    }
}

struct ReviseQuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revise",
        abstract: CLIHelp.reviseQuoteAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.quoteArgument()))
    var quote: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).reviseQuote(quote), verb: .updated, json: output.json)
        }
    }
}

struct AcceptQuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: CLIHelp.acceptQuoteAbstract(),
        discussion: CLIHelp.acceptQuoteDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.quoteArgument()))
    var quote: String

    @Option(help: ArgumentHelp(CLIHelp.acceptQuoteNumber()))
    var number: String?

    @Option(help: ArgumentHelp(CLIHelp.acceptQuoteAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let work = FieldWork(bench: bench)
            let applied = try work.acceptQuote(quote, number: number, at: try WorkflowArguments.time(at))
            if applied.isEmpty {
                let record = try work.quote(quote)
                if output.json { return try bench.report([AppliedEdit](), verb: .accepted, json: true) }
                return print(CLIString.quoteAlreadyAccepted(["label": RecordLabel.of(record, schema: bench.schema), "order": record.value("order").stringValue ?? ""]))
            }
            try bench.report(applied, verb: .accepted, json: output.json)
        }
    }
}
