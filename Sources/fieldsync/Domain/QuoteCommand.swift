import ArgumentParser
import CRM
import FieldWork
import SyncCore

/// `fieldsync quote create|add-line|total|send|reject|expire|revise|accept`
struct QuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: CLIHelp.quote(),
        discussion: """
            draft → sent → accepted, rejected or expired; `revise` makes the next version (a draft with the same lines) and \
            supersedes the old one. A quote's total is derived from its lines (frozen when sent and accepted); accepting \
            creates the order with the same lines in one transaction, once.
            """,
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
        static let abstract = "Send a draft quote to the customer: its lines are checked and its total frozen (stamps sent_on)."
    }

    enum Reject: Step {
        static let action = FieldWork.QuoteAction.reject
        static let abstract = "Record that the customer rejected a sent quote (stamps decided_on); revise it for a new offer."
    }

    enum Expire: Step {
        static let action = FieldWork.QuoteAction.expire
        static let abstract = "Mark a sent quote expired (stamps decided_on)."
    }
}

extension QuoteCommand.Step {
    static var commandName: String { action.rawValue }
    static var discussion: String { "draft → sent → accepted, rejected or expired; other moves are refused (invalid_transition)." }
    static var recordHelp: String { "The quote: an id, a unique prefix or its number (the current version)." }

    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit {
        try work.moveQuote(record, action, at: at)
    }
}

struct CreateQuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Start a draft quote (version 1) for an account: fieldsync quote create --account 3f2a --number QT-2026-0031",
        discussion: "Then add lines with `quote add-line`, and `quote send` it."
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Option(help: "The opportunity it prices (must belong to the account).")
    var opportunity: String?

    @Option(help: "The quote number, kept by every version (e.g. QT-2026-0031); commands take it instead of an id.")
    var number: String?

    @Option(help: "The currency (default: the opportunity's, else the first line's product's).")
    var currency: String?

    @Option(name: .customLong("valid-until"), help: "The last day the offer holds: YYYY-MM-DD, today, tomorrow or +Nd.")
    var validUntil: String?

    @Option(help: "Notes.")
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
        abstract: "Add a line to a draft quote, priced from the product list.",
        discussion: "Only the line is written: the quote's total is derived from its lines, so lines added on two devices offline both count."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The quote: an id, a unique prefix or its number (the current version).")
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
        abstract: "Show a quote's net, tax and gross totals, derived from its lines as they are on this device."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The quote: an id, a unique prefix or its number (the current version).")
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
        abstract: "Make the next version of a quote: a draft with the same lines, linked to the old one, which is superseded."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The quote: an id, a unique prefix or its number (the current version).")
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
        abstract: "Accept a sent quote: the order and its lines are created from it in one transaction.",
        discussion: "The order is submitted, with the quote's lines, discounts, taxes and total. Accepting an accepted quote again changes nothing."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The quote: an id, a unique prefix or its number (the current version).")
    var quote: String

    @Option(help: "The new order's number (e.g. SO-2026-0142).")
    var number: String?

    @Option(help: ArgumentHelp("When the customer accepted (the order's ordered_on and the quote's decided_on are its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
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
