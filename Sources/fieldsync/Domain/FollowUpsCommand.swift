import ArgumentParser
import CRM
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync followups`: follow-ups due today and overdue.
struct FollowUpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followups",
        abstract: CLIHelp.followUps()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.followUpsDate(), valueName: "day"))
    var date: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.read(device) { bench in
            let day = try date.map { try Days.parse($0) } ?? Days.today()
            let agenda = try FollowUpAgenda(bench: bench, day: day)
            if output.json {
                try JSONOutput.print(agenda.items)
            } else {
                // Overdue rows in red on a terminal; the text is escaped already.
                TerminalOutput.writeStyled(try agenda.text(ids: bench.shortIDs))
            }
        }
    }
}

/// The follow-ups due on or before a day, with the names of their accounts and contacts.
struct FollowUpAgenda {
    struct Item: Encodable {
        struct Reference: Encodable {
            var id: RecordID
            var name: String
        }

        var id: RecordID
        var due: String
        var overdue: Bool
        var daysOverdue: Int
        var account: Reference?
        var contact: Reference?
        var type: String?
        var subject: String?
        var outcome: String?
        var at: String?
    }

    var day: String
    var items: [Item]

    init(bench: Workbench, day: String) throws {
        self.day = day
        var names: [String: String] = [:]
        func reference(_ entity: String, _ value: Value) throws -> Item.Reference? {
            guard let id = value.stringValue else { return nil }
            if names[id] == nil {
                names[id] = try bench.store.record(entity, id: id).map { RecordLabel.of($0, schema: bench.schema) } ?? CLIString.notOnThisDevice()
            }
            return Item.Reference(id: id, name: names[id] ?? "")
        }
        items = try bench.store.followUps(through: day).map { activity in
            let due = activity.value("next_follow_up").stringValue ?? ""
            let late = CalendarDay(day).flatMap { today in CalendarDay(due).map { today.days(since: $0) } } ?? 0
            return Item(
                id: activity.id, due: due, overdue: due < day, daysOverdue: max(0, late),
                account: try reference("account", activity.value("account")),
                contact: try reference("contact", activity.value("contact")),
                type: activity.value("type").stringValue, subject: activity.value("subject").stringValue,
                outcome: activity.value("outcome").stringValue, at: activity.value("at").stringValue
            )
        }
    }

    func text(ids: ShortIDs) throws -> String {
        let overdue = items.filter(\.overdue).count
        var lines = [TerminalStyle.styled(CLIString.followUpsOverdue(["n": overdue]), overdue > 0 ? .alert : .plain) + CLIString.followUpsDue(["n": items.count - overdue, "day": day])]
        guard !items.isEmpty else { return lines[0] }
        var table = TextTable(columns: [
            .init(CLIString.headerDue(), maxWidth: 10), .init(CLIString.headerDaysOverdue(), maxWidth: 12, alignRight: true),
            .init(CLIString.headerAccount(), maxWidth: 30), .init(CLIString.headerContact(), maxWidth: 16),
            .init(CLIString.headerType(), maxWidth: 8), .init(CLIString.headerLastOutcome(), maxWidth: 40), .init("ID", maxWidth: 36),
        ])
        let type = CRMSchema.activity.field("type")
        for item in items {
            table.append([
                item.due, item.overdue ? String(item.daysOverdue) : CLIString.today(), item.account?.name ?? "", item.contact?.name ?? "",
                Labels.value(item.type ?? "", of: type), item.outcome ?? item.subject ?? "", try ids("activity", item.id),
            ], emphasis: item.overdue ? .alert : .plain)
        }
        lines.append(table.render())
        lines.append(CLIString.followUpsHint())
        return lines.joined(separator: "\n")
    }
}
