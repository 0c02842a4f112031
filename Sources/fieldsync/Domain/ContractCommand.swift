import ArgumentParser
import CRM
import FieldWork

/// `fieldsync contract create|sign|terminate|renew|due`
struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: CLIHelp.contract(),
        discussion: CLIHelp.contractDiscussion(),
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
        static let abstract = CLIHelp.contractSignAbstract()
    }

    enum Terminate: Step {
        static let status = ContractStatus.terminated
        static let commandName = "terminate"
        static let abstract = CLIHelp.contractTerminateAbstract()
    }
}

extension ContractCommand.Step {
    static var discussion: String { CLIHelp.contractStepDiscussion() }
    static var recordHelp: String { CLIHelp.contractArgument() }

    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit {
        try work.moveContract(record, to: status, at: at)
    }
}

struct CreateContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: CLIHelp.createContractAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.createContractTitle()))
    var title: String

    @Option(help: ArgumentHelp(CLIHelp.createContractStarts()))
    var starts: String

    @Option(help: ArgumentHelp(CLIHelp.createContractEnds()))
    var ends: String

    @Option(help: ArgumentHelp(CLIHelp.createContractNumber()))
    var number: String?

    @Option(help: ArgumentHelp(CLIHelp.createContractOrder()))
    var order: String?

    @Option(help: ArgumentHelp(CLIHelp.createContractValue()))
    var value: String?

    @Option(help: ArgumentHelp(CLIHelp.createContractCurrency()))
    var currency: String?

    @Option(name: .customLong("payment-terms"), help: ArgumentHelp(CLIHelp.paymentTerms(["terms": CLIHelp.paymentTermsList]), valueName: "terms"))
    var paymentTerms: String?

    @Option(help: ArgumentHelp(CLIHelp.createContractTerms()))
    var terms: String?

    @Option(name: .customLong("notice-days"), help: ArgumentHelp(CLIHelp.createContractNoticeDays()))
    var noticeDays: Int?

    @Flag(help: ArgumentHelp(CLIHelp.createContractSigned()))
    var signed = false

    @Option(help: ArgumentHelp(CLIHelp.createContractAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let paymentTerms, PaymentTerms(rawValue: paymentTerms) == nil {
            throw ValidationError(UsageText.termsChoices(["option": "--payment-terms", "choices": PaymentTerms.allCases.map(\.rawValue).joined(separator: ", "), "value": paymentTerms]))
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
        abstract: CLIHelp.renewContractAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.contractArgument()))
    var contract: String

    @Option(help: ArgumentHelp(CLIHelp.renewContractUntil()))
    var until: String

    @Option(help: ArgumentHelp(CLIHelp.renewContractValue()))
    var value: String?

    @Option(help: ArgumentHelp(CLIHelp.renewContractAt(), valueName: "time"))
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
        abstract: CLIHelp.contractsDueAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.contractsDueWithin()))
    var within: Int?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(CLIHelp.contractsDueAsOf()))
    var asOf: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let within, within < 0 { throw ValidationError(UsageText.withinNotNegative()) }
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
