import ArgumentParser
import CRM
import FieldWork

/// `fieldsync contract create|sign|terminate|renew|due`
struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: CLIHelp.contract(),
        discussion: "draft → active → terminated. An active contract is due for renewal renewal_notice_days (default 30) before it ends; `contract due` lists them.",
        subcommands: [
            CreateContractCommand.self, StatusStepCommand<Sign>.self, StatusStepCommand<Terminate>.self, RenewContractCommand.self,
            ContractsDueCommand.self,
        ]
    )

    /// One status move of a contract.
    protocol Step: StatusStep {
        static var status: ContractStatus { get }
    }

    enum Sign: Step {
        static let status = ContractStatus.active
        static let commandName = "sign"
        static let abstract = "Sign a draft contract: it becomes active (stamps signed_on)."
    }

    enum Terminate: Step {
        static let status = ContractStatus.terminated
        static let commandName = "terminate"
        static let abstract = "Terminate a contract (stamps terminated_on); final."
    }
}

extension ContractCommand.Step {
    static var discussion: String { "draft → active → terminated; other moves are refused (invalid_transition)." }
    static var recordHelp: String { "The contract: an id, a unique prefix or its title." }

    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit {
        try work.moveContract(record, to: status, at: at)
    }
}

struct CreateContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Record a contract: fieldsync contract create --account 3f2a --title \"2027 supply\" --starts 2027-01-01 --ends 2027-12-31 --signed"
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Option(help: "The contract's title.")
    var title: String

    @Option(help: "The first day it runs: YYYY-MM-DD, today, tomorrow or +Nd.")
    var starts: String

    @Option(help: "The last day it runs: YYYY-MM-DD, today, tomorrow or +Nd.")
    var ends: String

    @Option(help: "The contract number.")
    var number: String?

    @Option(help: "The order it was signed for (must belong to the account).")
    var order: String?

    @Option(help: "Its value.")
    var value: String?

    @Option(help: "The currency of its value.")
    var currency: String?

    @Option(name: .customLong("payment-terms"), help: ArgumentHelp("The payment terms: \(PaymentTerms.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "terms"))
    var paymentTerms: String?

    @Option(help: "The contract terms, as text (合同条款).")
    var terms: String?

    @Option(name: .customLong("notice-days"), help: "How many days before it ends the renewal is due (default 30).")
    var noticeDays: Int?

    @Flag(help: "It is signed: active from the start, signed_on the day of --at.")
    var signed = false

    @Option(help: ArgumentHelp("When it was signed: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let paymentTerms, PaymentTerms(rawValue: paymentTerms) == nil {
            throw ValidationError("--payment-terms is one of \(PaymentTerms.allCases.map(\.rawValue).joined(separator: ", ")), not '\(paymentTerms)'")
        }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            guard let startsOn = try WorkflowArguments.day(starts), let endsOn = try WorkflowArguments.day(ends) else { return }
            let new = FieldWork.NewContract(
                account: account, title: title, startsOn: startsOn, endsOn: endsOn, number: number, order: order,
                value: try WorkflowArguments.amount(value, field: "value"), currency: currency,
                paymentTerms: paymentTerms.flatMap(PaymentTerms.init(rawValue:)), terms: terms, renewalNoticeDays: noticeDays, signed: signed,
                at: try WorkflowArguments.time(at)
            )
            try bench.report(try FieldWork(bench: bench).createContract(new), verb: .created, json: output.json)
        }
    }
}

struct RenewContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Renew an active contract: a new contract from the day after it ends until --until, with the same terms."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The contract: an id, a unique prefix or its title.")
    var contract: String

    @Option(help: "The last day of the renewed contract: YYYY-MM-DD, today, tomorrow or +Nd.")
    var until: String

    @Option(help: "The renewed contract's value (default: the old one's).")
    var value: String?

    @Option(help: ArgumentHelp("When the renewal was signed: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            guard let endsOn = try WorkflowArguments.day(until) else { return }
            let applied = try FieldWork(bench: bench).renewContract(
                contract, until: endsOn, value: try WorkflowArguments.amount(value, field: "value"), at: try WorkflowArguments.time(at)
            )
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}

struct ContractsDueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Contracts due for renewal: active, not renewed, past their renewal day (or ending within --within days); expired ones stay listed."
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "List the contracts ending within this many days instead of by their own renewal notice.")
    var within: Int?

    @Option(name: .customLong("as-of"), help: "The day (default today, China time): YYYY-MM-DD, today, tomorrow or +Nd.")
    var asOf: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let within, within < 0 { throw ValidationError("--within must be 0 or more") }
    }

    func run() throws {
        try Workbench.read(device) { bench in
            let due = try FieldWork(bench: bench).contractsDue(asOf: try WorkflowArguments.day(asOf), within: within)
            if output.json { return try JSONOutput.print(due.items) }
            print(CLIString.contractsDue(["day": due.asOf, "n": due.items.count]))
            guard !due.items.isEmpty else { return }
            var table = TextTable(columns: [
                TextTable.Column("ID", maxWidth: 36), TextTable.Column(CLIString.headerEnds()), TextTable.Column(CLIString.headerLeft()),
                TextTable.Column(CLIString.headerAccount()), TextTable.Column(CLIString.headerContract()),
            ])
            for item in due.items {
                let left = item.isExpired ? CLIString.expiredAgo(["n": -item.daysLeft]) : CLIString.daysLeft(["n": item.daysLeft])
                table.append([try bench.shortIDs("contract", item.contract), item.endsOn.description, left, item.accountName, item.title], emphasis: item.isExpired ? .alert : .plain)
            }
            print(table.render())
        }
    }
}
