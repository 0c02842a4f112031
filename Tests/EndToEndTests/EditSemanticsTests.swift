import Foundation
import Testing

/// What an edit records: nothing when it changes nothing, an add for a tag already there.
@Suite struct EditSemanticsTests {
    /// The number of local changes waiting for the server.
    static func pending(_ cli: FieldSyncCLI) async throws -> Int {
        let status = try await cli.succeed(["status", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any])
        return try #require(object["unsyncedChanges"] as? Int)
    }

    @Test func anEditThatChangesNothingRecordsNothing() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        let shown = try await cli.succeed(["show", "account", base.account, "--json"])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        let values = try #require(record["fields"] as? [String: Any])
        let name = try #require(values["name"] as? String)
        let before = try await Self.pending(cli)
        let history = try await cli.succeed(["history", "account", base.account])

        let output = try await cli.succeed(["edit", "account", base.account, "name=\(name)"])
        #expect(output.contains("nothing changed"), "\(output)")
        #expect(try await Self.pending(cli) == before)
        #expect(try await cli.succeed(["history", "account", base.account]) == history)

        // A real change among unchanged ones records only the real one.
        _ = try await cli.succeed(["edit", "account", base.account, "name=\(name)", "city=苏州"])
        #expect(try await Self.pending(cli) == before + 1)
    }

    @Test func reAddingATagThatIsThereRecordsAnAdd() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        _ = try await cli.succeed(["tag", "add", base.account, "重点客户"])
        let before = try await Self.pending(cli)
        // The add-wins set keeps a tag re-added here against a remove made concurrently elsewhere.
        _ = try await cli.succeed(["tag", "add", base.account, "重点客户"])
        #expect(try await Self.pending(cli) == before + 1)
    }
}

/// CSV for spreadsheet programs on Chinese Windows: `--bom` puts a UTF-8 byte order mark first.
@Suite struct CSVByteOrderMarkTests {
    @Test func exportsAndReportsCarryABOMOnlyWhenAsked() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let bom = "\u{FEFF}"
        let plain = try await cli.succeed(["export", "account", "--format", "csv"])
        #expect(!plain.hasPrefix(bom))
        let marked = try await cli.succeed(["export", "account", "--format", "csv", "--bom"])
        #expect(marked == bom + plain)
        let report = try await cli.succeed(["report", "pipeline", "--csv", "--bom", "--as-of", "2026-11-23"])
        #expect(report.hasPrefix(bom + "currency,stage"), "\(report.prefix(40))")
        let refused = try await cli.run(["export", "account", "--bom"])
        #expect(refused.status == 2)
    }

    @Test("reports print in Chinese when the locale asks for it; --csv and --json keep their English words")
    func reportsFollowTheLocale() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let chinese = ["LANG": "zh_CN.UTF-8"]
        let text = try await cli.run(["report", "pipeline", "--as-of", "2026-11-23"], environment: chinese)
        #expect(text.status == 0)
        #expect(text.stdout.contains("销售管道（按阶段）") && text.stdout.contains("商务谈判") && text.stdout.contains("在本设备上由"), "\(text.stdout)")
        let english = try await cli.succeed(["report", "pipeline", "--as-of", "2026-11-23"])
        #expect(english.contains("Pipeline by stage") && english.contains("negotiation") && !english.contains("销售管道"))
        let overridden = try await cli.run(["report", "pipeline", "--as-of", "2026-11-23"], environment: ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"])
        #expect(overridden.stdout == english, "LC_ALL wins over LANG")
        let chart = try await cli.run(["report", "conversion", "--chart"], environment: chinese)
        #expect(chart.stdout.contains("线索漏斗"), "\(chart.stdout)")
        let csv = try await cli.run(["report", "pipeline", "--csv"], environment: chinese)
        #expect(csv.stdout.hasPrefix("currency,stage,count,amount,weighted amount"))
        let json = try await cli.run(["report", "pipeline", "--json"], environment: chinese)
        #expect(json.stdout.contains("\"negotiation\"") && !json.stdout.contains("商务谈判"))
    }
}
