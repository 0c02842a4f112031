import FieldSyncTestSupport
import Foundation
import SyncClient
import SyncCore
import Testing

/// The field workflows and device reports through the real executable, offline, on a device
/// loaded with the demo fixtures.
@Suite("Workflow commands on a device", .serialized)
struct WorkflowCommandTests {
    static let fixtures = Executables.packageRoot.appendingPathComponent("fixtures/crm-demo.json").path
    /// 宁波联创电子股份有限公司, 宁波, an east account of alice's.
    static let account = "74d7a291-52c7-4612-8c65-010936ec730b"

    static func device() async throws -> (TemporaryDirectory, CLIDevice) {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-workflows")
        let device = CLIDevice(name: "alice", database: directory.path("device.sqlite"))
        try await device.run(["init"])
        try await device.run(["import", fixtures])
        return (directory, device)
    }

    @Test("lead conversion: one transaction, stops at a probable duplicate account, converts into it when asked")
    func leadConversion() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let created = try await JSONValues.object(try device.run([
            "create", "lead", "name=王芳", "company=宁波联创电子 股份有限公司", "city=宁波市", "status=qualified", "territory=east", "phone=138 0000 1111", "--json",
        ]))
        let lead = try #require(created["id"] as? String)
        let before = try await device.run(["dump"])
        let duplicate = try await device.fail(["lead", "convert", lead])
        #expect(duplicate.stderr.contains("--account 74d7a291"), "\(duplicate.stderr)")
        await #expect(try device.run(["dump"]) == before, "a refused conversion writes nothing")

        let converted = try await JSONValues.array(try device.run(["lead", "convert", lead, "--account", "74d7a291", "--amount", "80000", "--json"]))
        #expect(converted.map { $0["entity"] as? String } == ["contact", "opportunity", "lead"], "no second account")
        let leadView = try #require(converted.last)
        #expect(JSONValues.string(leadView, ["fields", "status"]) == "converted")
        #expect(JSONValues.string(leadView, ["fields", "converted_account"]) == Self.account)
        let opportunity = try #require(converted.first { $0["entity"] as? String == "opportunity" })
        #expect(JSONValues.string(opportunity, ["fields", "stage"]) == "qualification")
        #expect(JSONValues.int(opportunity, ["fields", "probability"]) == 10, "the stage's default probability")
        #expect(JSONValues.string(leadView, ["fields", "converted_opportunity"]) == opportunity["id"] as? String)

        let disqualified = try await JSONValues.object(try device.run(["create", "lead", "name=X", "company=Nobody Ltd.", "status=disqualified", "territory=east", "--json"]))
        let refused = try await device.fail(["lead", "convert", try #require(disqualified["id"] as? String)])
        #expect(refused.stderr.contains("disqualified"))
    }

    @Test("orders: an opportunity of another account is refused; submit recomputes the total from the lines")
    func orders() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let foreign = try await device.fail(["order", "create", "--account", Self.account, "--opportunity", "423fa9ba"])
        #expect(foreign.stderr.contains("belongs to another account"))
        let order = try await JSONValues.object(try device.run(["order", "create", "--account", Self.account, "--opportunity", "f1957cb5", "--json"]))
        let id = try #require(order["id"] as? String)
        #expect(JSONValues.string(order, ["fields", "status"]) == "draft")
        #expect(JSONValues.string(order, ["fields", "currency"]) == "CNY", "taken from the opportunity")
        try await device.run(["order", "add-line", id, "--product", "FS-SEN-300", "--quantity", "3"])
        try await device.run(["order", "add-line", id, "--product", "FS-SEN-100", "--quantity", "5", "--unit-price", "350"])
        let submitted = try await JSONValues.object(try device.run(["order", "submit", id, "--json"]))
        #expect(JSONValues.string(submitted, ["fields", "status"]) == "submitted")
        #expect(JSONValues.string(submitted, ["fields", "total"]) == "9790", "3 × 2680 + 5 × 350")
        #expect(JSONValues.string(submitted, ["fields", "ordered_on"]) != nil)
        let twice = try await device.fail(["order", "submit", id])
        #expect(twice.stderr.contains("only a draft order"))
    }

    @Test("tickets record their opening, first response and resolution times; surveys check their scale")
    func ticketsAndSurveys() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let ticket = try await JSONValues.object(try device.run([
            "ticket", "open", "--account", Self.account, "--title", "发票抬头错误", "--severity", "high", "--json",
        ]))
        let id = try #require(ticket["id"] as? String)
        #expect(JSONValues.string(ticket, ["fields", "opened_at"]) != nil)
        #expect(JSONValues.string(ticket, ["fields", "first_response_at"]) == nil)
        let acknowledged = try await JSONValues.object(try device.run(["ticket", "ack", id, "--json"]))
        #expect(JSONValues.string(acknowledged, ["fields", "first_response_at"]) != nil)
        try await device.run(["ticket", "start", id])
        let resolved = try await JSONValues.object(try device.run(["ticket", "resolve", id, "--resolution", "重开发票", "--json"]))
        #expect(JSONValues.string(resolved, ["fields", "resolved_at"]) != nil)

        let survey = try await JSONValues.object(try device.run([
            "survey", "record", "--account", Self.account, "--kind", "nps", "--score", "10", "--channel", "phone", "--json",
        ]))
        #expect(JSONValues.string(survey, ["fields", "answered_at"]) != nil)
        let offScale = try await runCommand(Executables.fieldsync, ["survey", "record", "--account", Self.account, "--kind", "nps", "--score", "11", "--db", device.database])
        #expect(offScale.status == 2)
        #expect(offScale.stderr.contains("0 to 10"))
    }

    @Test("--at takes a time with an offset: stored in UTC, stamps where the rules derive them, days where it happened")
    func timesWithAZone() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let ticket = try await JSONValues.object(try device.run([
            "ticket", "open", "--account", Self.account, "--title", "送货延误", "--at", "2026-11-20T09:00+08:00", "--json",
        ]))
        let id = try #require(ticket["id"] as? String)
        #expect(JSONValues.string(ticket, ["fields", "opened_at"]) == "2026-11-20T01:00:00Z")
        let acknowledged = try await JSONValues.object(try device.run(["ticket", "ack", id, "--at", "2026-11-20T09:45+08:00", "--json"]))
        #expect(JSONValues.string(acknowledged, ["fields", "first_response_at"]) == "2026-11-20T01:45:00Z")
        let early = try await device.fail(["ticket", "start", id, "--at", "2026-11-20T08:00+08:00"])
        #expect(early.stderr.contains("invalid_value") && early.stderr.contains("before"), "\(early.stderr)")
        try await device.run(["ticket", "start", id, "--at", "2026-11-20T10:00+08:00"])
        let resolved = try await JSONValues.object(try device.run(["ticket", "resolve", id, "--at", "2026-11-21T02:00:00Z", "--json"]))
        #expect(JSONValues.string(resolved, ["fields", "resolved_at"]) == "2026-11-21T02:00:00Z")

        let visit = try await JSONValues.object(try device.run(["visit", "log", "--account", Self.account, "--at", "2026-11-20T00:30+08:00", "--json"]))
        #expect(JSONValues.string(visit, ["fields", "at"]) == "2026-11-19T16:30:00Z")

        let lead = try await JSONValues.object(try device.run([
            "create", "lead", "name=赵磊", "company=温州远航阀门", "city=温州", "status=qualified", "territory=east", "--json",
        ]))
        let converted = try await JSONValues.array(try device.run([
            "lead", "convert", try #require(lead["id"] as? String), "--at", "2026-11-20T00:30+08:00", "--json",
        ]))
        let opportunity = try #require(converted.first { $0["entity"] as? String == "opportunity" })
        #expect(JSONValues.string(opportunity, ["fields", "created_on"]) == "2026-11-20", "the Shanghai day, not the UTC one")
        let lost = try await JSONValues.object(try device.run([
            "opportunity", "stage", try #require(opportunity["id"] as? String), "lost", "--reason", "price", "--at", "2026-11-20T00:30+08:00", "--json",
        ]))
        #expect(JSONValues.string(lost, ["fields", "closed_on"]) == "2026-11-20")
        #expect(JSONValues.int(lost, ["fields", "probability"]) == 0)

        let before = try await device.run(["dump"])
        let noZone = try await device.fail(["ticket", "close", id, "--at", "2026-11-21T10:00"])
        #expect(noZone.status == 1)
        #expect(noZone.stderr.contains("type_mismatch: --at:"), "\(noZone.stderr)")
        await #expect(try device.run(["dump"]) == before, "a refused time writes nothing")
    }

    @Test("classify: a dry run changes nothing; --apply writes tiers and stages in one go; then nothing is left to change")
    func classify() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let before = try await device.run(["dump"])
        let dry = try await device.run(["classify", "--as-of", "2026-11-23"])
        #expect(dry.contains("dry run: nothing was changed"), "\(dry)")
        await #expect(try device.run(["dump"]) == before)
        let plan = try await JSONValues.object(try device.run(["classify", "--as-of", "2026-11-23", "--cutoffs", "70,90", "--json"]))
        let changed = try #require(JSONValues.int(plan, ["changed"]))
        #expect(changed > 0)
        let status = try await JSONValues.object(try device.run(["status", "--json"]))
        let pending = try #require(JSONValues.int(status, ["unsyncedChanges"]))
        let applied = try await device.run(["classify", "--as-of", "2026-11-23", "--cutoffs", "70,90", "--apply"])
        #expect(applied.contains("updated \(changed) accounts in one transaction"), "\(applied)")
        await #expect(JSONValues.int(try JSONValues.object(try device.run(["status", "--json"])), ["unsyncedChanges"]) == pending + changed)
        let again = try await device.run(["classify", "--as-of", "2026-11-23", "--cutoffs", "70,90"])
        #expect(again.contains("nothing to change"))
        // The ABC report now agrees with every stored tier.
        let abc = try await device.run(["report", "abc", "--cutoffs", "70,90", "--as-of", "2026-11-23", "--csv"])
        #expect(!abc.contains(" *"))
    }

    @Test("device reports: tables, CSV, the pipeline chart, the morning follow-ups, refused options")
    func reports() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let followups = try await device.run(["report", "followups", "--as-of", "2026-11-23"])
        #expect(followups.hasPrefix("Follow-ups as of 2026-11-23: 25 overdue, 10 due today"), "\(followups.prefix(120))")
        let chart = try await device.run(["report", "pipeline", "--chart", "--currency", "CNY"])
        for stage in ["qualification", "needs_analysis", "proposal", "negotiation", "won"] {
            #expect(chart.contains(stage))
        }
        #expect(chart.contains("█"))
        #expect(chart.contains("unsynced local edits"), "an imported data set is not synced yet")
        let csv = try await device.run(["report", "pipeline", "--csv"])
        #expect(csv.hasPrefix("currency,stage,count,amount,weighted amount\r\n"))
        let weekly = try await device.run(["report", "visits", "--csv", "--period", "2026-Q4"])
        #expect(weekly.hasPrefix("rep,week,week starts,visits\r\n"))
        for name in ["conversion", "deals", "churn", "retention", "complaints", "satisfaction", "abc", "lifecycle"] {
            let text = try await device.run(["report", name, "--as-of", "2026-11-23"])
            #expect(text.contains("computed on this device from"), "\(name)")
        }
        let foreign = try await runCommand(Executables.fieldsync, ["report", "pipeline", "--days", "30", "--db", device.database])
        #expect(foreign.status == 2)
        #expect(foreign.stderr.contains("does not take --days"), "\(foreign.stderr)")
        let unknown = try await runCommand(Executables.fieldsync, ["report", "forecast", "--db", device.database])
        #expect(unknown.status == 2)
        let notEnrolled = try await device.fail(["report", "pipeline", "--server"])
        #expect(notEnrolled.stderr.contains("not enrolled"))
    }

    @Test("export --format csv writes what import-csv reads back")
    func exportRoundTrip() async throws {
        let (directory, device) = try await Self.device()
        defer { withExtendedLifetime(directory) {} }
        let csv = try await device.run(["export", "account", "--format", "csv", "--fields", "name,city,territory,phone"])
        #expect(csv.hasPrefix("id,name,territory,phone,city\r\n"))
        let path = directory.path("accounts.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let other = CLIDevice(name: "bob", database: directory.path("other.sqlite"))
        try await other.run(["init"])
        let result = try await runCommand(Executables.fieldsync, ["import-csv", "account", path, "--on-duplicate", "allow", "--db", other.database])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("imported 203 account records"), "\(result.stdout.suffix(300))")
    }
}
