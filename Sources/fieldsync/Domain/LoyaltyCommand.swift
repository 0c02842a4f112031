import ArgumentParser
import CRM
import FieldWork

/// `fieldsync points earn|redeem|reserve|release|balance|history` (and the old `add` and
/// `subtract`, now names of `earn` and `redeem`).
struct PointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: CLIHelp.points(),
        discussion: CLIHelp.pointsDiscussion(),
        subcommands: [
            EarnPointsCommand.self, RedeemPointsCommand.self, ReservePointsCommand.self, ReleasePointsCommand.self,
            PointsBalanceCommand.self, PointsHistoryCommand.self,
        ]
    )
}

struct PointsAccount: ParsableArguments {
    @Argument(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String
}

/// A positive whole number of points, optional where an order or reward decides it.
private func checkPositive(_ points: Int64?) throws {
    if let points, points <= 0 { throw ValidationError(UsageText.pointsPositive()) }
}

/// What an earning and a redemption both take: the account, the points (optional where an
/// order or a reward decides them) and a reason.
struct PointsMovementArguments: ParsableArguments {
    @Argument(help: ArgumentHelp(CLIHelp.accountArgument())) var account: String
    @Argument(help: ArgumentHelp(CLIHelp.pointsMovementPoints())) var points: Int64?
    @Option(help: ArgumentHelp(CLIHelp.why())) var reason: String?

    /// Points given must be positive; without them `source` (the order or reward) must be.
    func check(source: String?, _ missing: String) throws {
        try checkPositive(points)
        if points == nil && source == nil { throw ValidationError(missing) }
    }
}

struct EarnPointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earn",
        abstract: CLIHelp.earnPointsAbstract(),
        aliases: ["add"]
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var movement: PointsMovementArguments
    @Option(help: ArgumentHelp(CLIHelp.earnPointsOrder())) var order: String?
    @OptionGroup var output: OutputOptions

    func validate() throws { try movement.check(source: order, "give the points or an order (--order ORDER)") }

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).earnPoints(movement.points, to: movement.account, order: order, reason: movement.reason)
            try bench.report(applied, verb: .created, json: output.json)
        }
    }
}

struct RedeemPointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeem",
        abstract: CLIHelp.redeemPointsAbstract(),
        aliases: ["subtract"]
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var movement: PointsMovementArguments
    @Option(help: ArgumentHelp(CLIHelp.redeemPointsReward())) var reward: String?
    @OptionGroup var output: OutputOptions

    func validate() throws { try movement.check(source: reward, "give the points or a reward (--reward NAME)") }

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).redeemPoints(movement.points, from: movement.account, reward: reward, reason: movement.reason)
            try bench.report(applied, verb: .created, json: output.json)
        }
    }
}

struct ReservePointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve",
        abstract: CLIHelp.reservePointsAbstract()
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var account: PointsAccount
    @Argument(help: ArgumentHelp(CLIHelp.reservePointsPoints())) var points: Int64
    @OptionGroup var output: OutputOptions

    func validate() throws { try checkPositive(points) }

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).reservePoints(points, on: account.account), verb: .created, json: output.json)
        }
    }
}

struct ReleasePointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: CLIHelp.releasePointsAbstract()
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var account: PointsAccount
    @Argument(help: ArgumentHelp(CLIHelp.releasePointsPoints())) var points: Int64?
    @OptionGroup var output: OutputOptions

    func validate() throws { try checkPositive(points) }

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).releasePoints(points, on: account.account), verb: .created, json: output.json)
        }
    }
}

struct PointsBalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: CLIHelp.pointsBalanceAbstract())

    @OptionGroup var device: DeviceOptions
    @OptionGroup var account: PointsAccount
    @OptionGroup var output: OutputOptions

    struct View: Encodable {
        var account: String
        var balance: Int64
        var lifetime: Int64
        var level: String
        var escrow: Int64
    }

    func run() throws {
        try Workbench.read(device) { bench in
            let loyalty = try FieldWork(bench: bench).loyalty(of: account.account)
            if output.json {
                try JSONOutput.print(View(account: loyalty.account.id, balance: loyalty.ledger.balance, lifetime: loyalty.ledger.lifetimePoints, level: loyalty.level.name, escrow: loyalty.escrow))
            } else {
                print("\(RecordLabel.of(loyalty.account, schema: bench.schema))\(cliLanguage == .chinese ? "：" : ": ")\(CLIPhrases.text(loyalty.summary, cliLanguage))")
            }
        }
    }
}

struct PointsHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: CLIHelp.pointsHistoryAbstract())

    @OptionGroup var device: DeviceOptions
    @OptionGroup var account: PointsAccount

    func run() throws {
        try Workbench.read(device) { bench in
            let (loyalty, entries) = try FieldWork(bench: bench).loyaltyHistory(of: account.account)
            var table = TextTable(columns: [
                TextTable.Column(CLIString.headerAt(), maxWidth: 20), TextTable.Column(CLIString.headerKind(), maxWidth: 8),
                TextTable.Column(CLIString.headerPoints(), maxWidth: 12, alignRight: true), TextTable.Column(CLIString.headerDevice(), maxWidth: 12),
                TextTable.Column(CLIString.headerReason(), maxWidth: 60),
            ])
            let kind = CRMSchema.loyaltyEntry.field("kind")
            for entry in entries {
                table.append([
                    entry.at ?? "", Labels.value(entry.movement.rawValue, of: kind), String(entry.points),
                    entry.device.map { $0 == loyalty.device ? CLIString.thisDevice() : String($0.prefix(8)) } ?? "", entry.reason ?? "",
                ])
            }
            print(table.render())
            print("\(RecordLabel.of(loyalty.account, schema: bench.schema))\(cliLanguage == .chinese ? "：" : ": ")\(CLIPhrases.text(loyalty.summary, cliLanguage))")
        }
    }
}
