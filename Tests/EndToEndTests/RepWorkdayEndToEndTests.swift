import CRM
import Foundation
import SyncClient
import SyncCore
import SyncStore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A field rep's working day from the demo fixtures, played with real `fieldsync` processes
/// against a real `fieldsync-server`, and the manager's reports checked against numbers the
/// test computes itself from the server's records.
@Suite("A rep's working day reaches the manager's reports", .serialized)
struct RepWorkdayEndToEndTests {
    static let managerTerritories: Set<String> = ["east", "north"]
    static let fixtures = Executables.packageRoot.appendingPathComponent("fixtures/crm-demo.json").path
    /// A qualified lead of alice's in the fixtures (Jade River Medical Inc., 苏州).
    static let lead = "2d6f815b-a8a3-43b9-a36a-eb62ed81f275"
    /// An open complaint of an east account.
    static let ticket = "87c5faa3-f5d4-4d05-a121-e2a795d9ee39"

    /// A server seeded with the demo fixtures, and users: alice and bob (reps, east), mgr-wang
    /// (manager of east and north) and mgr-east (a manager whose scope is alice's: east), with
    /// their enrollment codes.
    struct World {
        var directory: TemporaryDirectory
        var serverStore: CLIServerStore
        var server: ServerProcess
        var url: URL
        var codes: [String: String]

        func device(_ name: String) async throws -> CLIDevice {
            let device = CLIDevice(name: name, database: directory.path("\(name).sqlite"))
            try await device.run(["enroll", "--server", url.absoluteString, "--code", codes[name] ?? "", "--name", "\(name)-phone"])
            return device
        }
    }

    static func world() async throws -> World {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-workday")
        let serverStore = CLIServerStore(database: directory.path("server.sqlite"))
        try await serverStore.importRecords(fixtures)
        var codes: [String: String] = [:]
        codes["alice"] = try await serverStore.addUser("alice")
        codes["bob"] = try await serverStore.addUser("bob")
        codes["mgr-wang"] = try await serverStore.addUser("mgr-wang", role: "manager", territories: Array(managerTerritories))
        codes["mgr-east"] = try await serverStore.addUser("mgr-east", role: "manager", territories: ["east"])
        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverStore.database, "--log-level", "error",
        ])
        let url = try await server.start()
        return World(directory: directory, serverStore: serverStore, server: server, url: url, codes: codes)
    }

    /// The id of the first record of `entity` in a `--json` edit report.
    static func id(of entity: String, in output: String) throws -> String {
        // A command that changes one record prints it as an object, several as an array.
        let views = try (try? JSONValues.array(output)) ?? [JSONValues.object(output)]
        return try #require(views.first { $0["entity"] as? String == entity }?["id"] as? String, "no \(entity) in \(output)")
    }

    @Test("leads converted, visits logged, an order taken, a ticket resolved, a survey recorded: the manager's reports agree with the records")
    func repsDay() async throws {
        let world = try await Self.world()
        defer { world.server.terminate() }
        let alice = try await world.device("alice")
        try await alice.run(["sync"])
        let manager = try await world.device("mgr-wang")

        // Morning: what is due.
        let agenda = try await alice.run(["followups", "--date", "2026-11-23"])
        #expect(agenda.hasPrefix("17 overdue, 5 due 2026-11-23"), "east's follow-ups in the demo come first thing: \(agenda.prefix(80))")

        // A qualified lead becomes a customer.
        let converted = try await alice.run(["lead", "convert", Self.lead, "--opportunity-title", "无菌包装线 Aseptic line", "--amount", "250000", "--currency", "CNY", "--json"])
        let account = try Self.id(of: "account", in: converted)
        let opportunity = try Self.id(of: "opportunity", in: converted)
        #expect(try JSONValues.array(converted).map { $0["entity"] as? String } == ["account", "contact", "opportunity", "lead"])
        let again = try await alice.fail(["lead", "convert", Self.lead])
        #expect(again.stderr.contains("already converted"))

        // Visits with outcomes and a follow-up.
        try await alice.run(["visit", "log", "--account", account, "--outcome", "需求确认 Needs confirmed", "--next-follow-up", "+7d"])
        try await alice.run(["visit", "log", "--account", account, "--type", "call", "--outcome", "Sent the proposal"])

        // The deal moves through the pipeline and is won.
        for stage in ["needs_analysis", "proposal", "won"] {
            try await alice.run(["opportunity", "stage", opportunity, stage])
        }

        // An order with lines, submitted.
        let order = try await Self.id(of: "order", in: try alice.run(["order", "create", "--account", account, "--opportunity", opportunity, "--number", "SO-2026-9001", "--json"]))
        let empty = try await alice.fail(["order", "submit", order])
        #expect(empty.stderr.contains("no lines"))
        try await alice.run(["order", "add-line", order, "--product", "FS-SEN-100", "--quantity", "10"])
        try await alice.run(["order", "add-line", order, "--product", "FS-SEN-200", "--quantity", "2"])
        try await alice.run(["order", "submit", order])
        let late = try await alice.fail(["order", "add-line", order, "--product", "FS-SEN-100", "--quantity", "1"])
        #expect(late.stderr.contains("only a draft order"))

        // A complaint handled to resolution.
        try await alice.run(["ticket", "ack", Self.ticket])
        try await alice.run(["ticket", "start", Self.ticket])
        try await alice.run(["ticket", "resolve", Self.ticket, "--resolution", "重开发票 Invoice reissued"])

        // The customer's verdict.
        try await alice.run(["survey", "record", "--account", account, "--kind", "nps", "--score", "9", "--channel", "visit", "--comment", "响应很快"])
        try await alice.run(["survey", "record", "--account", account, "--kind", "csat", "--score", "5"])
        let offScale = try await alice.fail(["survey", "record", "--account", account, "--kind", "csat", "--score", "7"])
        #expect(offScale.stderr.contains("1 to 5"))

        // Before syncing, the device's own report counts the day's edits and says so.
        let local = try await JSONValues.object(try alice.run(["report", "pipeline", "--json"]))
        #expect(JSONValues.int(local, ["unsyncedLocalEdits"]) == 1, "the new opportunity")
        try await alice.run(["sync"])

        // A rep may not read the server's reports; the manager may.
        let refused = try await alice.fail(["report", "pipeline", "--server"])
        #expect(refused.stderr.contains("manager or admin"))

        let states = try await world.serverStore.states()
        // The manager's reports cover their territories only.
        let kpis = IndependentKPIs(states, territories: Self.managerTerritories)
        let byID = Dictionary(states.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        // The day's work is on the server, with the derived values the workflows promise.
        let orderState = try #require(byID[order])
        #expect(orderState.value(of: "status") == .string("submitted"))
        #expect(orderState.value(of: "total") == .string("6300"), "10 × 380 + 2 × 1250")
        let ticketState = try #require(byID[Self.ticket])
        #expect(ticketState.value(of: "status") == .string("resolved"))
        #expect(ticketState.value(of: "first_response_at") != .null)
        #expect(ticketState.value(of: "resolved_at") != .null)
        #expect(byID[Self.lead]?.value(of: "converted_opportunity") == .string(opportunity))
        #expect(byID[opportunity]?.value(of: "closed_on") != .null)

        // Pipeline by stage.
        let pipeline = try await JSONValues.object(try manager.run(["report", "pipeline", "--server", "--json", "--currency", "CNY"]))
        #expect(JSONValues.string(pipeline, ["source"]) == "server")
        let rows = try #require(JSONValues.value(pipeline, ["result", "rows"]) as? [[String: Any]])
        let expected = kpis.pipelineCNY()
        #expect(rows.count == OpportunityStage.allCases.count)
        for row in rows {
            let stage = try #require(row["stage"] as? String)
            let figures = expected[stage] ?? IndependentKPIs.StageFigures()
            #expect(JSONValues.int(row, ["count"]) == figures.count, "\(stage) count")
            #expect(JSONValues.decimal(row, ["amount"]) == figures.amount, "\(stage) amount")
            #expect(JSONValues.decimal(row, ["weightedAmount"]) == figures.weighted, "\(stage) weighted amount")
        }

        // Conversion and win rate.
        let conversion = try await JSONValues.object(try manager.run(["report", "conversion", "--server", "--json"]))
        #expect(JSONValues.int(conversion, ["result", "leads", "leads"]) == kpis.leadCount)
        #expect(JSONValues.int(conversion, ["result", "leads", "converted"]) == kpis.convertedLeads)
        let won = kpis.opportunities(at: "won"), lost = kpis.opportunities(at: "lost")
        #expect(JSONValues.int(conversion, ["result", "won"]) == won)
        #expect(JSONValues.int(conversion, ["result", "lost"]) == lost)
        #expect(abs((JSONValues.double(conversion, ["result", "winRate", "value"]) ?? -1) - Double(won) / Double(won + lost)) < 1e-12)

        // Complaint handling: every ticket counted, the resolved one no longer open.
        let complaints = try await JSONValues.object(try manager.run(["report", "complaints", "--server", "--json"]))
        let severities = try #require(JSONValues.value(complaints, ["result", "rows"]) as? [[String: Any]])
        let all = try #require(severities.last)
        #expect(all["severity"] as? String == "all")
        #expect(JSONValues.int(all, ["count"]) == kpis.ticketCount)
        #expect(JSONValues.int(all, ["open"]) == kpis.unresolvedTickets)

        // Satisfaction: CSAT mean, NPS = % promoters − % detractors.
        let satisfaction = try await JSONValues.object(try manager.run(["report", "satisfaction", "--server", "--json"]))
        let csat = kpis.csatScores, nps = kpis.npsScores
        #expect(JSONValues.int(satisfaction, ["result", "csat", "answers"]) == csat.count)
        let csatMean = Double(csat.reduce(0, +)) / Double(csat.count)
        #expect(abs((JSONValues.double(satisfaction, ["result", "csat", "average", "value"]) ?? -1) - csatMean) < 1e-9)
        let promoters = nps.filter { $0 >= 9 }.count, detractors = nps.filter { $0 <= 6 }.count
        #expect(JSONValues.int(satisfaction, ["result", "nps", "promoters"]) == promoters)
        #expect(JSONValues.int(satisfaction, ["result", "nps", "detractors"]) == detractors)
        let npsScore = Double(promoters - detractors) * 100 / Double(nps.count)
        #expect(abs((JSONValues.double(satisfaction, ["result", "nps", "score", "value"]) ?? -1000) - npsScore) < 1e-9)

        // Visits per rep: alice's visits, the day's included.
        let visits = try await JSONValues.object(try manager.run(["report", "visits", "--server", "--json"]))
        let reps = try #require(JSONValues.value(visits, ["result", "reps"]) as? [[String: Any]])
        let aliceRow = try #require(reps.first { $0["owner"] as? String == "alice" })
        #expect(JSONValues.int(aliceRow, ["total"]) == kpis.visitsByOwner["alice"])

        // The same report straight from the HTTP API, as a spreadsheet and as a chart.
        let token = try #require(try DeviceStore(path: manager.database, schema: CRMSchema.schema).setting("token"))
        let csv = try await Self.get(world.url, "/v1/reports/pipeline?format=csv&currency=CNY", token: token)
        #expect(csv.status == 200)
        let wonLine = try #require(csv.body.split(separator: "\r\n").first { $0.hasPrefix("CNY,won,") })
        #expect(wonLine.split(separator: ",")[2] == "\(expected["won"]?.count ?? -1)")
        let svg = try await Self.get(world.url, "/v1/reports/pipeline.svg", token: token)
        #expect(svg.status == 200)
        #expect(svg.body.hasPrefix("<svg"))

        // Synced, the rep's device reads the same pipeline as the server for the same scope.
        let eastManager = try await world.device("mgr-east")
        let device = try await JSONValues.canonicalResult(try alice.run(["report", "pipeline", "--json", "--currency", "CNY"]))
        await #expect(device == (try JSONValues.canonicalResult(try eastManager.run(["report", "pipeline", "--server", "--json", "--currency", "CNY"]))))
    }

    /// One GET with a bearer token; the body as text.
    static func get(_ base: URL, _ path: String, token: String) async throws -> (status: Int, body: String) {
        guard let url = URL(string: base.absoluteString + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("two devices that converged compute every report with the same numbers, and so does the server")
    func convergedDevicesAgree() async throws {
        let world = try await Self.world()
        defer { world.server.terminate() }
        let alice = try await world.device("alice")
        let bob = try await world.device("bob")
        let manager = try await world.device("mgr-east")
        try await alice.run(["sync"])
        try await bob.run(["sync"])

        // Offline, both work on the same customers; two of the edits collide.
        let opportunity = "423fa9ba-3043-4261-8d86-21674230e1ca"  // 产线自动化改造, at proposal
        let converted = try await alice.run(["lead", "convert", Self.lead, "--amount", "120000", "--json"])
        let account = try Self.id(of: "account", in: converted)
        try await alice.run(["visit", "log", "--account", account, "--outcome", "kick-off"])
        try await alice.run(["opportunity", "stage", opportunity, "negotiation", "--amount", "1500000"])
        try await alice.run(["ticket", "ack", Self.ticket])
        try await bob.run(["opportunity", "stage", opportunity, "negotiation", "--amount", "1390000"])
        try await bob.run(["survey", "record", "--account", "74d7a291-52c7-4612-8c65-010936ec730b", "--kind", "nps", "--score", "4"])
        try await bob.run(["classify", "--apply", "--as-of", "2026-11-23"])

        for device in [alice, bob, alice] { try await device.run(["sync"]) }
        await #expect(try alice.states() == bob.states(), "the devices converged")

        for name in ReportName.allCases {
            let arguments = ["report", name.rawValue, "--json", "--as-of", "2026-11-23"]
            let onAlice = try await JSONValues.canonicalResult(try alice.run(arguments))
            let onBob = try await JSONValues.canonicalResult(try bob.run(arguments))
            // The server's report for a manager of alice's and bob's territory.
            let onServer = try await JSONValues.canonicalResult(try manager.run(arguments + ["--server"]))
            #expect(onAlice == onBob, "\(name) differs between the converged devices")
            #expect(onAlice == onServer, "\(name) differs between a device and the server")
            await #expect(JSONValues.int(try JSONValues.object(try alice.run(arguments)), ["unsyncedLocalEdits"]) == 0)
        }
    }
}
