import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncClient
import SyncCore

/// `fieldsync admin`: what an admin does with the server's conflict log and audit history,
/// from an enrolled admin device (its token and server come from the device store).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: CLIHelp.admin(),
        subcommands: [AdminConflictsCommand.self, AdminMergeDuplicatesCommand.self, AdminHistoryCommand.self]
    )
}

/// `fieldsync admin conflicts …`.
struct AdminConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: CLIHelp.adminConflictsAbstract(),
        subcommands: [ListConflicts.self, ShowConflict.self, ResolveConflict.self, DismissConflict.self],
        defaultSubcommand: ListConflicts.self
    )
}

/// Options every admin command shares: the device, and JSON output.
struct AdminOptions: ParsableArguments {
    @OptionGroup var device: DeviceOptions

    @Flag(help: ArgumentHelp(CLIHelp.adminJSON()))
    var json = false

    func client() throws -> AdminClient {
        let store = try device.openStore()
        return try CommandErrors.report { try AdminClient(store: store, language: serverLanguage(json: json)) }
    }
}

extension AdminConflictsCommand {
    struct ListConflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: CLIHelp.listConflictsAbstract())

        @OptionGroup var options: AdminOptions

        @Option(help: ArgumentHelp(CLIHelp.listConflictsStatus()))
        var status = "open"

        @Option(help: ArgumentHelp(CLIHelp.listConflictsEntity()))
        var entity: String?

        @Option(help: ArgumentHelp(CLIHelp.listConflictsKind()))
        var kind: String?

        @Option(help: ArgumentHelp(CLIHelp.listConflictsTerritory()))
        var territory: String?

        @Option(help: ArgumentHelp(CLIHelp.listConflictsUser()))
        var user: String?

        @Option(name: .customLong("older-than"), help: ArgumentHelp(CLIHelp.listConflictsOlderThan()))
        var olderThan: String?

        @Option(help: ArgumentHelp(CLIHelp.listConflictsLimit()))
        var limit = 100

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError(UsageText.adminLimit()) }
        }

        func run() async throws {
            let client = try options.client()
            var query = ["status": status, "limit": String(limit)]
            query["entity"] = entity
            query["kind"] = kind
            query["territory"] = territory
            query["user"] = user
            query["older_than"] = olderThan
            let list = try await CommandErrors.report { try await client.conflicts(query) }
            if options.json { return try JSONOutput.print(list) }
            let counts = list.byStatus.sorted { $0.key < $1.key }.map { "\(AdminTable.status($0.key)) \($0.value)" }.joined(separator: ", ")
            print(CLIString.adminMatch(["n": list.total]) + (counts.isEmpty ? "" : CLIString.adminByStatus(["counts": counts])))
            guard !list.conflicts.isEmpty else { return }
            print(AdminTable.render(
                [
                    "ID", CLIString.headerKind(), CLIString.headerRecord(), CLIString.headerField(), CLIString.headerCompeting(), CLIString.headerUsers(),
                    CLIString.headerTerritory(), CLIString.headerOpened(), CLIString.headerStatus(),
                ],
                list.conflicts.map { entry in
                    [
                        String(entry.id), Labels.conflictKind(entry.key.kind.rawValue),
                        "\(Labels.entity(entry.key.entity)) \(entry.recordLabel ?? String(entry.key.recordID.prefix(8)))",
                        entry.key.field.isEmpty ? "-" : Labels.field(entry.key.field),
                        entry.competitors.map { ($0.isDisplayed ? "*" : "") + $0.label }.joined(separator: " | "),
                        entry.users.joined(separator: ","), entry.territory ?? "-", AdminTable.time(entry.openedAt),
                        AdminTable.status(entry.status.rawValue),
                    ]
                }
            ))
        }
    }

    struct ShowConflict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: CLIHelp.showConflictAbstract())

        @OptionGroup var options: AdminOptions

        @Argument(help: ArgumentHelp(CLIHelp.showConflictId()))
        var id: Int64

        func run() async throws {
            let client = try options.client()
            let detail = try await CommandErrors.report { try await client.conflict(id: id) }
            if options.json { return try JSONOutput.print(detail) }
            let entry = detail.conflict
            print(CLIString.adminConflict([
                "id": entry.id, "kind": Labels.conflictKind(entry.key.kind.rawValue), "entity": Labels.entity(entry.key.entity),
                "label": entry.recordLabel ?? "", "record": entry.key.recordID,
                "field": entry.key.field.isEmpty ? "" : CLIString.adminConflictField(["field": Labels.field(entry.key.field)]),
            ]))
            if let reason = entry.reason { print("  \(AdminTable.phrase(reason))") }
            print(CLIString.adminStatus([
                "status": AdminTable.status(entry.status.rawValue), "time": AdminTable.time(entry.openedAt),
                "by": entry.openedBy.map { CLIString.adminBy(["user": $0]) } ?? "", "territory": entry.territory.map { CLIString.adminTerritory(["territory": $0]) } ?? "",
            ]))
            if let closedAt = entry.closedAt {
                print(CLIString.adminClosed([
                    "time": AdminTable.time(closedAt), "by": entry.closedBy.map { CLIString.adminBy(["user": $0]) } ?? "",
                    "resolution": entry.resolution.map { (cliLanguage == .chinese ? "：" : ": ") + AdminTable.phrase($0) } ?? "",
                ]))
            }
            print((entry.isSettled ? CLIString.adminOutcome : CLIString.adminDisplayed)(["value": entry.displayed ?? "-"]))
            print("")
            print(AdminTable.render(
                [
                    "#", CLIString.headerValue(), (entry.isSettled ? CLIString.headerOutcome : CLIString.headerShown)(), CLIString.headerUser(),
                    CLIString.headerDevice(), CLIString.headerWrittenHLC(), CLIString.headerReceived(), CLIString.headerWrite(),
                ],
                entry.competitors.enumerated().map { index, value in
                    [
                        String(index + 1), value.label,
                        entry.isSettled ? (value.isDisplayed ? CLIString.kept() : CLIString.rejected()) : (value.isDisplayed ? CLIString.yes() : ""),
                        value.author.user ?? "?",
                        value.author.deviceName ?? String((value.author.device ?? "?").prefix(8)), AdminTable.time(value.hlc.physical),
                        value.author.receivedAt.map(AdminTable.time) ?? "-", "\(value.dot.replica.rawValue):\(value.dot.counter)",
                    ]
                }
            ))
            let fields = Set((detail.before?.values.keys.map { $0 } ?? []) + (detail.after?.values.keys.map { $0 } ?? [])).sorted()
            if !fields.isEmpty {
                print("")
                let yesNo = { (deleted: Bool) in deleted ? CLIString.yes() : CLIString.no() }
                print(AdminTable.render(
                    [CLIString.headerField(), CLIString.headerBefore(), CLIString.headerNow()],
                    fields.map { [Labels.field($0), AdminTable.text(detail.before?.values[$0]), AdminTable.text(detail.after?.values[$0])] }
                        + [[CLIString.deletedMark(), detail.before.map { yesNo($0.deleted) } ?? "-", detail.after.map { yesNo($0.deleted) } ?? "-"]]
                ))
            }
            if !detail.actions.isEmpty {
                print("")
                print(CLIString.adminResolveWith(["id": entry.id, "flags": detail.actions.map(AdminConflictsCommand.ResolveConflict.flag(for:)).joined(separator: " | ")]))
            }
        }
    }

    struct ResolveConflict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: CLIHelp.resolveConflictAbstract()
        )

        @OptionGroup var options: AdminOptions

        @Argument(help: ArgumentHelp(CLIHelp.resolveConflictId()))
        var id: Int64

        @Option(help: ArgumentHelp(CLIHelp.resolveConflictPick()))
        var pick: Int?

        @Option(help: ArgumentHelp(CLIHelp.resolveConflictChoose()))
        var choose: String?

        @Option(help: ArgumentHelp(CLIHelp.resolveConflictValue()))
        var value: String?

        @Flag(help: ArgumentHelp(CLIHelp.resolveConflictKeep()))
        var keep = false

        @Flag(help: ArgumentHelp(CLIHelp.resolveConflictDelete()))
        var delete = false

        @Flag(name: .customLong("restore-target"), help: ArgumentHelp(CLIHelp.resolveConflictRestoreTarget()))
        var restoreTarget = false

        @Option(help: ArgumentHelp(CLIHelp.resolveConflictSurvivor()))
        var survivor: String?

        @Option(help: ArgumentHelp(CLIHelp.resolveConflictNote()))
        var note: String?

        static func flag(for action: ResolutionAction) -> String {
            switch action {
            case .choose: return "--pick N"
            case .value: return "--value TEXT"
            case .keep: return "--keep"
            case .delete: return "--delete"
            case .restoreTarget: return "--restore-target"
            case .merge: return "--survivor ID"
            }
        }

        func validate() throws {
            let given = [pick != nil, choose != nil, value != nil, keep, delete, restoreTarget, survivor != nil].filter { $0 }.count
            guard given == 1 else {
                throw ValidationError(UsageText.oneResolution())
            }
            if let pick, pick < 1 { throw ValidationError(UsageText.pickFromOne()) }
        }

        func run() async throws {
            let client = try options.client()
            var resolution: ConflictResolution
            if let pick {
                let detail = try await CommandErrors.report { try await client.conflict(id: id) }
                guard pick <= detail.conflict.competitors.count else {
                    throw CommandErrors.failure(CLIString.adminNoSuchValue(["id": id, "n": detail.conflict.competitors.count]))
                }
                resolution = ConflictResolution(action: .choose, sibling: detail.conflict.competitors[pick - 1].dot)
            } else if let choose {
                let parts = choose.split(separator: ":")
                guard parts.count == 2, let replica = ReplicaID(string: String(parts[0])), let counter = UInt64(parts[1]) else {
                    throw CommandErrors.failure(CLIString.adminChooseFormat())
                }
                resolution = ConflictResolution(action: .choose, sibling: Dot(replica: replica, counter: counter))
            } else if let value {
                resolution = ConflictResolution(action: .value, text: value)
            } else if keep {
                resolution = ConflictResolution(action: .keep)
            } else if delete {
                resolution = ConflictResolution(action: .delete)
            } else if restoreTarget {
                resolution = ConflictResolution(action: .restoreTarget)
            } else {
                resolution = ConflictResolution(action: .merge, survivor: survivor)
            }
            resolution.note = note
            let result = try await CommandErrors.report { try await client.resolve(id: id, resolution) }
            if options.json { return try JSONOutput.print(result) }
            print(CLIString.adminResolved([
                "id": id, "status": AdminTable.status(result.conflict.status.rawValue),
                "resolution": result.conflict.resolution.map { (cliLanguage == .chinese ? "：" : ": ") + AdminTable.phrase($0) } ?? "",
                "n": result.sequences.count, "log": result.sequences.map(String.init).joined(separator: ", #"),
            ]))
        }
    }

    struct DismissConflict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dismiss", abstract: CLIHelp.dismissConflictAbstract())

        @OptionGroup var options: AdminOptions

        @Argument(help: ArgumentHelp(CLIHelp.resolveConflictId()))
        var id: Int64

        @Option(help: ArgumentHelp(CLIHelp.dismissConflictReason()))
        var reason: String

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError(UsageText.reasonEmpty()) }
        }

        func run() async throws {
            let client = try options.client()
            let result = try await CommandErrors.report { try await client.dismiss(id: id, reason: reason) }
            if options.json { return try JSONOutput.print(result) }
            print(CLIString.adminDismissed(["id": id, "reason": AdminTable.phrase(result.conflict.resolution ?? reason)]))
        }
    }
}

/// `fieldsync admin merge-duplicates SURVIVOR DUPLICATE`.
struct AdminMergeDuplicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-duplicates",
        abstract: CLIHelp.adminMergeDuplicatesAbstract()
    )

    @OptionGroup var options: AdminOptions

    @Argument(help: ArgumentHelp(CLIHelp.adminMergeDuplicatesSurvivor()))
    var survivor: String

    @Argument(help: ArgumentHelp(CLIHelp.adminMergeDuplicatesDuplicate()))
    var duplicate: String

    @Option(help: ArgumentHelp(CLIHelp.adminMergeDuplicatesEntity()))
    var entity = "account"

    @Option(help: ArgumentHelp(CLIHelp.adminMergeDuplicatesNote()))
    var note: String?

    func validate() throws {
        guard survivor != duplicate else { throw ValidationError(UsageText.survivorIsDuplicate()) }
    }

    func run() async throws {
        let client = try options.client()
        let result = try await CommandErrors.report {
            try await client.mergeDuplicates(DuplicateMergeRequest(entity: entity, survivor: survivor, duplicate: duplicate, note: note))
        }
        if options.json { return try JSONOutput.print(result) }
        print(CLIString.adminMerged([
            "entity": Labels.entity(entity), "duplicate": duplicate, "survivor": survivor, "repointed": result.repointed.count,
            "filled": result.filledFields.count, "n": result.sequences.count,
            "fields": result.filledFields.isEmpty ? "" : CLIString.adminMergedFields(["fields": result.filledFields.map(Labels.field).joined(separator: ", ")]),
        ]))
        for record in result.repointed { print("  \(Labels.entity(record.entity)) \(record.id)") }
    }
}

/// `fieldsync admin history ENTITY ID`.
struct AdminHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: CLIHelp.adminHistoryAbstract()
    )

    @OptionGroup var options: AdminOptions

    @Argument(help: ArgumentHelp(CLIHelp.adminHistoryEntity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.adminHistoryId()))
    var id: String

    func run() async throws {
        let client = try options.client()
        let history = try await CommandErrors.report { try await client.history(entity: entity, id: id) }
        if options.json { return try JSONOutput.print(history) }
        print(CLIString.adminHistoryTitle([
            "entity": Labels.entity(entity), "id": history.id, "deleted": history.current.map { $0.deleted ? " " + CLIString.deletedMark() : "" } ?? "",
            "n": history.entries.count,
        ]))
        let writers = Dictionary(history.entries.map { ($0.dot, "\($0.author.user ?? "?") #\($0.sequence)") }, uniquingKeysWith: { first, _ in first })
        var rows: [[String]] = []
        for entry in history.entries {
            let who = [
                AdminTable.time(entry.author.receivedAt ?? entry.hlc.physical), entry.author.user ?? "?",
                entry.author.deviceName ?? String((entry.author.device ?? "?").prefix(8)),
            ]
            let what = entry.created ? CLIString.created() : entry.deleted ? RecordVerb.deleted() : ""
            if entry.fields.isEmpty {
                rows.append([String(entry.sequence)] + who + [what.isEmpty ? CLIString.kept() : what, "", "", entry.conflicted ? CLIString.conflict() : ""])
            }
            for (index, field) in entry.fields.enumerated() {
                // For an assignment: what its writer had seen → what it wrote.
                let seen = field.seen.map { $0.isEmpty ? "-" : $0.map { AdminTable.text($0) }.joined(separator: " | ") } ?? AdminTable.text(field.old)
                let wrote = field.wrote.map { AdminTable.text($0) } ?? AdminTable.text(field.new)
                var notes = index == 0 ? [what, entry.conflicted ? CLIString.conflict() : ""] : []
                if let wrote = field.wrote, wrote != field.new { notes.append(CLIString.adminShownValue(["value": AdminTable.text(field.new)])) }
                let concurrent = (field.concurrentWith ?? []).map { writers[$0] ?? "\($0.replica.short):\($0.counter)" }
                if !concurrent.isEmpty { notes.append(CLIString.adminConcurrentWith(["writes": concurrent.joined(separator: ", ")])) }
                rows.append(
                    (index == 0 ? [String(entry.sequence)] + who : ["", "", "", ""])
                        + [Labels.field(field.field), seen, wrote, notes.filter { !$0.isEmpty }.joined(separator: cliLanguage == .chinese ? "；" : "; ")]
                )
            }
        }
        print(AdminTable.render(
            [
                CLIString.headerLog(), CLIString.headerReceived(), CLIString.headerUser(), CLIString.headerDevice(), CLIString.headerField(),
                CLIString.headerSeen(), CLIString.headerWrote(), CLIString.headerNote(),
            ],
            rows
        ))
    }
}
