import CRM
import FieldSyncTestSupport
import Foundation
import SyncClient
import Testing

/// A CLI that behaves like the ones people like (issue 15 item 9): records by name, tables that
/// fit the terminal, colour only where it helps, JSON from every command that changes something.
@Suite struct CLIUsabilityTests {
    @Test func recordsAreAddressableByAUniqueName() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let byName = try #require(try await cli.json(["show", "account", "上海凯达商贸有限公司"]) as? [String: Any])
        let id = try #require(byName["id"] as? String)
        // A unique part of the name is enough; letter case and surrounding spaces do not matter.
        let byPart = try await cli.json(["show", "account", " 凯达商贸 "])
        #expect(byPart["id"].string == id)

        // Wherever an id is taken: options, references, filters.
        let contact = try await cli.json(["create", "contact", "account=上海凯达商贸", "name=李四"])
        #expect(contact["fields"]["account"].string == id)
        let visit = try await cli.json(["visit", "log", "--account", "上海凯达商贸有限公司", "--type", "call"])
        #expect(visit["fields"]["account"].string == id)
        let contacts = try await cli.json(["list", "contact", "--account", "凯达商贸"])
        #expect(contacts.array?.contains { ($0 as Any?)["fields"]["name"].string == "李四" } == true)

        // Several matches: refused with a stable code and the list to choose from.
        let ambiguous = try await cli.run(["show", "account", "上海"])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.errorLines.count == 1, "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.hasPrefix("error: ambiguous_name: "), "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.contains("上海凯达商贸有限公司") && ambiguous.stderr.contains("上海银河物流有限公司"), "\(ambiguous.stderr)")
        let unknown = try await cli.run(["show", "account", "没有这家公司"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: record_not_found: "), "\(unknown.stderr)")
    }

    /// Values typed in Chinese that the CSV import understands mean the same in `create` and
    /// `edit` (issue 15 item 8).
    @Test func chineseEnumerationValuesAreTakenByCreateAndEdit() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        let lead = try await cli.json(["create", "lead", "name=王芳", "company=宁波联创电子", "territory=east", "status=new", "source=展会"])
        #expect(lead["fields"]["source"].string == "trade_show")
        // The tier is the classification's once the account exists (a plain edit of it is
        // refused): a creation may give it.
        let created = try await cli.json(["create", "account", "name=宁波联创电子", "territory=east", "tier=C类"])
        #expect(created["fields"]["tier"].string == "C")
        let account = try await cli.json(["edit", "account", base.account, "lifecycle=忠诚"])
        #expect(account["fields"]["lifecycle"].string == "loyal")
        let unknown = try await cli.run(["edit", "account", base.account, "lifecycle=忠诚客户了"])
        #expect(unknown.status == 1)
    }

    @Test func tablesFitTheTerminalWidth() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let wide = try await cli.succeed(["list", "account", "--limit", "10"])
        #expect(wide.split(separator: "\n").contains { TableRenderingTests.columns($0) > 60 }, "the table needs more than 60 columns on a pipe")

        let narrow = try await cli.run(["list", "account", "--limit", "10"], environment: ["COLUMNS": "60"])
        #expect(narrow.status == 0, "\(narrow.stderr)")
        let lines = narrow.stdout.split(separator: "\n").filter { !$0.hasPrefix("(") }
        #expect(lines.count == 12)
        for line in lines {
            #expect(TableRenderingTests.columns(line) <= 60, "too wide for COLUMNS=60: \(line)")
        }
        #expect(lines.contains { $0.contains("…") }, "cut cells end in …")
        // Ids are never cut: the first column of a row still names its record.
        let id = try #require(lines.dropFirst(2).first?.split(separator: " ").first)
        try await cli.succeed(["show", "account", String(id)])
    }

    @Test func overdueFollowUpsAreRedOnlyOnATerminalWithoutNoColor() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let red = "\u{1B}[31m"
        // Everything due before 2030 is overdue on that day.
        let plain = try await cli.run(["followups", "--date", "2030-01-01"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("overdue"))
        #expect(!plain.stdout.contains("\u{1B}"), "no colour on a pipe")
        let coloured = try await cli.run(["followups", "--date", "2030-01-01"], environment: ["CLICOLOR_FORCE": "1"])
        #expect(coloured.stdout.contains(red), "overdue rows in red: \(coloured.stdout.prefix(200))")
        let noColour = try await cli.run(["followups", "--date", "2030-01-01"], environment: ["CLICOLOR_FORCE": "1", "NO_COLOR": "1"])
        #expect(!noColour.stdout.contains("\u{1B}"))
        #expect(noColour.stdout == plain.stdout)
    }

    /// On a terminal (a pseudo-terminal from `script`), `sync` shows the bootstrap's records
    /// against the total the server counted; on a pipe it shows no progress at all.
    @Test func bootstrapProgressShowsTheTotalOnATerminalOnly() async throws {
        try Executables.require()
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "util-linux script(1) gives the test a terminal")
        let directory = try TemporaryDirectory("fieldsync-progress")
        defer { directory.remove() }
        let accounts = (1...40).map { index in
            #"{"entity": "account", "id": "0192f0c4-0000-7000-8000-\#(String(format: "%012d", index))", "fields": {"name": "客户 \#(index)", "territory": "east"}}"#
        }
        let (store, server) = try await CLIServerStore.seeded(#"{"records": [\#(accounts.joined(separator: ","))]}"#, in: directory)
        let codes = [try await store.addUser("alice"), try await store.addUser("bob")]
        let url = try await server.start()
        defer { server.terminate() }

        let alice = directory.path("alice.sqlite")
        try await CLIDevice(name: "alice", database: alice).run(["enroll", "--server", url.absoluteString, "--code", codes[0], "--name", "alice-phone"])
        let command = "\(Executables.fieldsync.path) sync --db \(alice)"
        let onTerminal = try await runCommand(script, ["-qec", command, "/dev/null"])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("snapshot 40 of 40 records (100%)"), "\(onTerminal.stdout)")

        let bob = CLIDevice(name: "bob", database: directory.path("bob.sqlite"))
        try await bob.run(["enroll", "--server", url.absoluteString, "--code", codes[1], "--name", "bob-phone"])
        let onPipe = try await runCommand(Executables.fieldsync, ["sync", "--db", bob.database])
        #expect(onPipe.status == 0)
        #expect(onPipe.stderr.isEmpty, "no progress on a pipe: \(onPipe.stderr)")
    }

    /// A long import shows how many records it has written of the total on a terminal, and
    /// nothing on a pipe.
    @Test func importProgressShowsTheTotalOnATerminalOnly() async throws {
        try Executables.require()
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "util-linux script(1) gives the test a terminal")
        let directory = try TemporaryDirectory("fieldsync-import-progress")
        defer { directory.remove() }
        let accounts = (1...1200).map { index in
            #"{"entity": "account", "id": "0192f0c4-0000-7000-8000-\#(String(format: "%012d", index))", "fields": {"name": "客户 \#(index)", "territory": "east"}}"#
        }
        let file = directory.path("accounts.json")
        try Data(#"{"format": "fieldsync-fixture/1", "records": [\#(accounts.joined(separator: ","))]}"#.utf8).write(to: URL(fileURLWithPath: file))
        let terminal = CLIDevice(name: "terminal", database: directory.path("terminal.sqlite"))
        try await terminal.run(["init"])
        let onTerminal = try await runCommand(script, ["-qec", "\(Executables.fieldsync.path) import \(file) --db \(terminal.database)", "/dev/null"])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("importing 500 of 1,200 records (41%)"), "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("importing 1,200 of 1,200 records (100%)"), "\(onTerminal.stdout)")

        let pipe = CLIDevice(name: "pipe", database: directory.path("pipe.sqlite"))
        try await pipe.run(["init"])
        let onPipe = try await runCommand(Executables.fieldsync, ["import", file, "--db", pipe.database])
        #expect(onPipe.status == 0)
        #expect(onPipe.stderr.isEmpty, "no progress on a pipe: \(onPipe.stderr)")
        #expect(onPipe.stdout.contains("imported 1200 records"))
    }

    /// `import-csv --progress` shows how many records it has written of the total on stderr
    /// even on a pipe, a line per 500 records and the last, with digits grouped by thousands,
    /// in the CLI's language; stdout and `--json` are the same as without it, and the rows
    /// are written in one transaction either way.
    @Test func importCSVProgressOnAPipeWithTheFlag() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-csv-progress")
        defer { directory.remove() }
        let file = directory.path("accounts.csv")
        let rows = (1...1200).map { "客户 \($0),east,上海" }
        try Data((["客户名称,territory,城市"] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: file))
        func device(_ name: String) async throws -> CLIDevice {
            let device = CLIDevice(name: name, database: directory.path("\(name).sqlite"))
            try await device.run(["init"])
            return device
        }

        let plain = try await device("plain")
        let quiet = try await runCommand(Executables.fieldsync, ["import-csv", "account", file, "--db", plain.database])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stderr.isEmpty, "no progress on a pipe without --progress: \(quiet.stderr)")

        let shown = try await device("shown")
        let progress = try await runCommand(Executables.fieldsync, ["import-csv", "account", file, "--progress", "--db", shown.database])
        #expect(progress.status == 0, "\(progress.stderr)")
        #expect(progress.stdout == quiet.stdout, "stdout is the same with --progress")
        let lines = progress.stderr.split(separator: "\n").map(String.init)
        // A line per report (an estimate of the time left may follow once a second has passed).
        let expected = ["importing 500 of 1,200 records (41%)", "importing 1,000 of 1,200 records (83%)", "importing 1,200 of 1,200 records (100%)"]
        #expect(lines.count == expected.count && zip(lines, expected).allSatisfy { $0.hasPrefix($1) }, "\(progress.stderr)")
        let listed = try await runCommand(Executables.fieldsync, ["list", "account", "--json", "--db", shown.database])
        #expect((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any])?.count == 1200)

        let chinese = try await device("chinese")
        let zh = try await runCommand(Executables.fieldsync, ["import-csv", "account", file, "--progress", "--db", chinese.database], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.status == 0, "\(zh.stderr)")
        #expect(zh.stderr.hasPrefix("正在导入 500/1,200 条记录（41%）") && zh.stderr.contains("正在导入 1,200/1,200 条记录（100%）"), "\(zh.stderr)")

        // --json: stdout holds the JSON object alone, the progress goes to stderr.
        let json = try await device("json")
        let jsonRun = try await runCommand(Executables.fieldsync, ["import-csv", "account", file, "--json", "--progress", "--db", json.database])
        #expect(jsonRun.status == 0 && jsonRun.stderr.contains("importing 1,200 of 1,200 records (100%)"), "\(jsonRun.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonRun.stdout.utf8)) as? [String: Any])
        #expect(object["applied"] as? Bool == true && (object["created"] as? [Any])?.count == 1200)

        // A file with a bad row writes nothing, with or without --progress.
        let broken = directory.path("broken.csv")
        try Data((["客户名称,territory,城市"] + rows + [",east,上海"]).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: broken))
        let refused = try await device("refused")
        let failed = try await runCommand(Executables.fieldsync, ["import-csv", "account", broken, "--progress", "--db", refused.database])
        #expect(failed.status == 1, "\(failed.stdout)")
        let none = try await runCommand(Executables.fieldsync, ["list", "account", "--json", "--db", refused.database])
        #expect((try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [Any])?.isEmpty == true, "\(none.stdout.prefix(200))")
    }

    /// The stage probability table the pipeline weights by is in the command's help, from
    /// the one table the rules use.
    @Test func stageHelpListsEveryStagesProbability() async throws {
        let help = try await runCommand(try Executables.url("fieldsync"), ["opportunity", "stage", "--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for stage in OpportunityStage.allCases {
            #expect(text.contains("\(stage.rawValue) \(stage.defaultProbability) %"), "\(stage) in: \(help.stdout)")
        }
        // And how a company changes them.
        #expect(text.contains("stage_probability_proposal"), "\(help.stdout)")
    }

    @Test func everyCommandThatChangesSomethingTakesJSON() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        let created = try #require(try await cli.json(["create", "account", "name=苏州新客户", "territory=east"]) as? [String: Any], "an object")
        let id = try #require(created["id"] as? String)
        let edited = try await cli.json(["edit", "account", id, "city=苏州"])
        #expect(edited["fields"]["city"].string == "苏州")
        let unchanged = try await cli.json(["edit", "account", id, "city=苏州"])
        #expect(unchanged["id"].string == id, "an edit that changes nothing prints the record too")
        let tagged = try await cli.json(["tag", "add", id, "新客户"])
        #expect(tagged["fields"]["tags"].array?.count == 1)
        let deleted = try await cli.json(["delete", "account", id])
        #expect(deleted["deleted"] as? Bool == true)
        let fresh = FieldSyncCLI(database: scratch.path("fresh.sqlite"))
        let initialised = try await fresh.json(["init"])
        #expect(initialised["created"] as? Bool == true)
        #expect(initialised["replica"].string != nil)
        _ = base
    }
}
