import CRM
import FieldWork
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncStore

/// The quick-start demo: a server on a temporary embedded store, three enrolled devices that
/// bootstrap the fixtures, edit offline (concurrently on the same fields, a delete against an
/// edit, counters and tags on one account), sync in a shuffled order, and converge.
struct DemoRunner {
    var serverExecutable: URL
    var fixtures: URL
    var seed: UInt64
    var keepDirectory: Bool
    var print: (String) -> Void

    struct Device {
        var name: String
        var store: DeviceStore
        var client: SyncClient
    }

    /// Runs the demo; returns true when every device and the server converged.
    func run() async throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if !keepDirectory { try? FileManager.default.removeItem(at: directory) } }
        let serverDB = directory.appendingPathComponent("server.sqlite").path

        section(DemoString.sectionServer())
        let names = ["alice", "bob", "carol"]
        var codes: [String: String] = [:]
        for name in names {
            let output = try await ServerProcess.run(serverExecutable, ["user", "add", name, "--role", "rep", "--territory", "east", "--db", serverDB])
            guard let code = Self.enrollmentCode(in: output) else {
                throw SyncClientError(code: "demo_failed", message: DemoString.noEnrollmentCode(["output": output]))
            }
            codes[name] = code
        }
        _ = try await ServerProcess.run(serverExecutable, ["import", fixtures.path, "--db", serverDB])
        let server = ServerProcess(executable: serverExecutable, arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--db", serverDB, "--log-level", "error"])
        let url = try await server.start()
        defer { server.terminate() }
        print(DemoString.serverListening(["url": url.absoluteString, "file": fixtures.lastPathComponent]))

        section(DemoString.sectionEnroll())
        var devices: [Device] = []
        for name in names {
            let store = try DeviceStore(path: directory.appendingPathComponent("\(name).sqlite").path, schema: CRMSchema.schema, rule: CRMRules.rule)
            var logger = Logger(label: "fieldsync.demo.\(name)")
            logger.logLevel = .warning
            let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url, language: cliLanguage.rawValue), logger: logger)
            try await client.enroll(code: codes[name] ?? "", deviceName: "\(name)-phone", serverURL: url.absoluteString)
            let summary = try await client.sync()
            let status = try store.status()
            print(DemoString.enrolledDevice([
                "name": name, "replica": store.replicaID.short, "records": summary.snapshotRecords, "rounds": summary.rounds,
                "accounts": status.records["account"] ?? 0, "opportunities": status.records["opportunity"] ?? 0,
            ]))
            devices.append(Device(name: name, store: store, client: client))
        }

        let (alice, bob, carol) = (devices[0], devices[1], devices[2])
        let opportunity = try pickOpenOpportunity(alice.store)
        let accounts = try alice.store.records("account", matching: [.equals("territory", .string("east"))])
        guard accounts.count >= 2 else { throw SyncClientError(code: "demo_failed", message: DemoString.needsTwoAccounts()) }
        let doomed = accounts[0]
        let sampled = accounts[1]
        let tag = sampled.sets["tags"]?.first ?? "key-account"

        section(DemoString.sectionOffline())
        let amountA = "128000", amountB = "142000", phone = "021-5555-0101"
        try alice.store.apply([
            .update("opportunity", id: opportunity.id, [.set("amount", .string(amountA))]),
            .update("account", id: doomed.id, [.set("phone", .string(phone))]),
            .update("account", id: sampled.id, [.increment("samples_given", by: 10), .add("tags", "vip")]),
        ])
        print(DemoString.firstEdits([
            "name": alice.name, "opportunity": title(opportunity), "amount": amountA, "account": name(doomed), "phone": phone,
            "sampled": name(sampled), "samples": 10, "tag": "vip",
        ]))
        try bob.store.apply([
            .update("opportunity", id: opportunity.id, [.set("amount", .string(amountB))]),
            .update("account", id: sampled.id, [.increment("samples_given", by: 25), .remove("tags", tag)]),
        ])
        print(DemoString.secondEdits(["name": bob.name, "opportunity": title(opportunity), "amount": amountB, "sampled": name(sampled), "samples": 25, "tag": tag]))
        try carol.store.apply([
            .delete("account", id: doomed.id),
            .update("account", id: sampled.id, [.increment("samples_given", by: 5), .add("tags", tag)]),
        ])
        print(DemoString.thirdEdits(["name": carol.name, "account": name(doomed), "sampled": name(sampled), "samples": 5, "tag": tag]))

        section(DemoString.sectionSync())
        var generator = SplitMix64(seed: seed)
        let order = devices.shuffled(using: &generator)
        print(DemoString.syncOrder(["seed": seed, "order": order.map(\.name).joined(separator: " → ")]))
        for device in order + order {
            let summary = try await device.client.sync()
            print(DemoString.syncedDevice([
                "name": device.name.padding(toLength: 5, withPad: " ", startingAt: 0), "pushed": summary.pushed, "accepted": summary.accepted,
                "rejected": summary.rejected, "pulled": summary.pulled, "opened": summary.conflictsOpened,
            ]))
        }

        section(DemoString.sectionConverged())
        let dumps = try devices.map { try $0.store.canonicalDump() }
        let converged = dumps.allSatisfy { $0 == dumps[0] }
        for device in devices {
            let state = dumps[0] == (try device.store.canonicalDump()) ? DemoString.identicalState : DemoString.differentState
            print(state(["name": device.name, "n": try device.store.status().openConflicts]))
        }
        if let merged = try alice.store.record("opportunity", id: opportunity.id) {
            print(DemoString.amountShown(["opportunity": title(opportunity), "value": merged.value("amount")]))
            for sibling in merged.conflicts["amount"] ?? [] {
                let author = devices.first { $0.store.replicaID == sibling.dot.replica }?.name ?? sibling.dot.replica.short
                print(DemoString.competingValue(["value": sibling.value, "author": author, "time": Timestamps.string(milliseconds: sibling.hlc.physical)]))
            }
        }
        if let account = try alice.store.record("account", id: doomed.id) {
            print(DemoString.deletedWhileEdited([
                "account": name(doomed), "deleter": carol.name, "editor": alice.name,
                "outcome": (account.deleted ? DemoString.outcomeDeleted : DemoString.outcomeKept)(),
                "conflict": (account.deleteConflict ? DemoString.conflictOpen : DemoString.conflictNone)(),
            ]))
        }
        if let account = try alice.store.record("account", id: sampled.id) {
            let before = sampled.value("samples_given").intValue ?? 0
            print(DemoString.samplesAndTags([
                "account": name(sampled), "value": account.value("samples_given"), "sum": "\(before) + 10 + 25 + 5",
                "tags": (account.sets["tags"] ?? []).sorted().joined(separator: DemoString.listSeparator()), "tag": tag,
                "remover": bob.name, "adder": carol.name,
            ]))
        }

        section(DemoString.sectionConflicts())
        for conflict in try alice.store.openConflicts() {
            let kind = Labels.conflictKind(conflict.key.kind.rawValue)
            let padding = String(repeating: " ", count: max(1, 19 - DisplayWidth.of(kind)))
            print("  \(kind)\(padding)\(conflict.key.entity)/\(conflict.key.recordID.prefix(8))\(conflict.key.field.isEmpty ? "" : ".\(conflict.key.field)")")
        }
        print("")
        print(converged ? DemoString.converged(["n": devices.count]) : DemoString.notConverged())
        return converged
    }

    private func section(_ title: String) {
        print("")
        print(title)
    }

    private func name(_ record: RecordSnapshot) -> String { record.value("name").description }

    private func title(_ record: RecordSnapshot) -> String { DemoString.opportunity(["title": record.value("title")]) }

    private func pickOpenOpportunity(_ store: DeviceStore) throws -> RecordSnapshot {
        for stage in ["negotiation", "proposal", "needs_analysis", "qualification"] {
            if let found = try store.records("opportunity", matching: [.equals("stage", .string(stage))], limit: 1).first {
                return found
            }
        }
        throw SyncClientError(code: "demo_failed", message: DemoString.noOpenOpportunity())
    }

    /// Finds the enrollment code in `fieldsync-server user add` output: the value after
    /// "code" on the line that names it.
    static func enrollmentCode(in output: String) -> String? {
        for line in output.split(separator: "\n") where line.lowercased().contains("code") {
            if let token = line.split(whereSeparator: { $0 == " " || $0 == ":" }).last { return String(token) }
        }
        return nil
    }
}

/// A small seeded generator so a demo order can be replayed with `--seed`.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
